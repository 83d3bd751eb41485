/**
 * A small streaming XML tokenizer for the format readers. It runs in Web Workers, where DOMParser
 * does not exist, and it never needs a whole file: `push` takes decoded text in pieces of any size
 * (a piece may end mid-tag, mid-attribute, mid-entity or mid-CDATA) and returns the events that
 * piece completed.
 *
 * What it does NOT do: validate nesting (readers track their own element stack), resolve
 * namespaces (names keep their prefix; see `localName`), or load DTDs (DOCTYPE is skipped, and an
 * entity it does not know, such as `&nbsp;`, stays in the text as written).
 *
 * Malformed markup yields an `error` event and scanning goes on; nothing here throws on input.
 * Work is linear in the input: text is sliced by index, and the only text carried from one push to
 * the next is a few characters of undecided markup or the (bounded) inside of an unfinished tag.
 */

export type XmlEvent =
  | { kind: 'open'; name: string; attributes: Record<string, string>; line: number }
  /** Also emitted straight after the `open` of a self-closing element (`<br/>`). */
  | { kind: 'close'; name: string; line: number }
  /** Character data with entities decoded; CDATA sections are merged into the surrounding text. */
  | { kind: 'text'; text: string; line: number }
  | { kind: 'error'; message: string; line: number };

/**
 * A text node longer than this is emitted in several `text` events so that a file that is one huge
 * text run (or not XML at all) cannot grow one string without bound. Consumers concatenate.
 */
export const MAX_TEXT_EVENT_CHARS = 1 << 20;
/** A start/end tag longer than this is dropped as malformed (real patent tags are < 1 KB). */
export const MAX_TAG_CHARS = 1 << 16;

/** What the scanner is inside of; everything except 'content' began with `<` at `markupLine`. */
type Mode = 'content' | 'tag' | 'comment' | 'cdata' | 'pi' | 'doctype';

/** Longest prefix needed to tell markup kinds apart: `<![CDATA[` and `<!DOCTYPE` are 9 chars. */
const MARKUP_LOOKAHEAD = 9;
const TAG_STOP = /[<>"']/g;
const DOUBLE_QUOTED_STOP = /["<]/g;
const SINGLE_QUOTED_STOP = /['<]/g;
const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
/** Characters that end an element name: whitespace, '/', quotes, '='. */
const NAME_END = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2f, 0x22, 0x27, 0x3d]);
const ATTRIBUTE = /([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const ENTITY = /&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlTokenizer {
  private mode: Mode = 'content';
  /** Unconsumed input from the previous push (undecided markup prefix, or a possible terminator). */
  private carry = '';
  /** Line at the start of `carry` + next chunk, i.e. at the scan position. */
  private line = 1;
  private markupLine = 1;
  /** The inside of an unfinished start/end tag, and the quote it is inside of (or ''). */
  private tagText = '';
  private tagQuote = '';
  /** DOCTYPE scan state: `[` depth of the internal subset, open quote (or ''), inside a comment. */
  private doctype = { depth: 0, quote: '', inComment: false };
  /** Raw text since the last markup (entities not yet decoded: one may straddle two pushes). */
  private rawPieces: string[] = [];
  /** Decoded text of the current text node; reset when a tag or the end of input is emitted. */
  private textPieces: string[] = [];
  /** Characters buffered in rawPieces + textPieces (input units; only compared with the cap). */
  private textChars = 0;
  private textLine = 0;
  private atStart = true;
  private events: XmlEvent[] = [];
  /** During one scan(): the input, its first newline not yet counted into `line`, where a carry starts (-1: none). */
  private input = '';
  private nextNewline = -1;
  private carryFrom = -1;

  push(chunk: string): XmlEvent[] {
    if (this.atStart && chunk.length > 0) {
      this.atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // byte-order mark
    }
    const input = this.carry + chunk;
    this.carry = '';
    this.scan(input);
    if (this.textChars >= MAX_TEXT_EVENT_CHARS) this.flushText(false);
    return this.takeEvents();
  }

  /** Flushes what is left; an unfinished construct becomes an `error` event. */
  end(): XmlEvent[] {
    if (this.mode !== 'content') {
      const what = this.mode === 'pi' ? 'processing instruction' : this.mode;
      this.error(`unterminated ${what} (file ends inside it)`, this.markupLine);
    } else if (this.carry !== '') {
      this.error(`unterminated markup "${this.carry}"`, this.line);
    }
    this.mode = 'content';
    this.carry = '';
    this.flushText(true);
    return this.takeEvents();
  }

  private takeEvents(): XmlEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private scan(input: string): void {
    this.input = input;
    this.nextNewline = input.indexOf('\n');
    this.carryFrom = -1;
    let pos = 0;
    while (pos < input.length && this.carryFrom < 0) {
      switch (this.mode) {
        case 'content': pos = this.scanContent(input, pos); break;
        case 'tag': pos = this.scanTag(input, pos); break;
        case 'comment': pos = this.skipUntil(input, pos, '-->'); break;
        case 'pi': pos = this.skipUntil(input, pos, '?>'); break;
        case 'cdata': pos = this.skipUntil(input, pos, ']]>', true); break;
        case 'doctype': pos = this.scanDoctype(input, pos); break;
      }
    }
    // Whatever is carried is rescanned at index 0 of the next input, so `line` stops at its start.
    const end = this.carryFrom >= 0 ? this.carryFrom : input.length;
    this.lineAt(end);
    this.carry = input.slice(end);
    this.input = '';
  }

  /**
   * The line of `input[pos]`. Positions asked for only increase within one input, so each newline
   * is found once (an unbounded indexOf per call would be quadratic on one-line files).
   */
  private lineAt(pos: number): number {
    while (this.nextNewline >= 0 && this.nextNewline < pos) {
      this.line++;
      this.nextNewline = this.input.indexOf('\n', this.nextNewline + 1);
    }
    return this.line;
  }

  /** Text up to the next `<`, then decides which markup starts there. */
  private scanContent(input: string, pos: number): number {
    const lt = input.indexOf('<', pos);
    const textEnd = lt < 0 ? input.length : lt;
    if (textEnd > pos) {
      if (this.textPieces.length === 0 && this.rawPieces.length === 0) this.textLine = this.lineAt(pos);
      this.rawPieces.push(input.slice(pos, textEnd));
      this.textChars += textEnd - pos;
    }
    if (lt < 0) return input.length;
    const kind = classifyMarkup(input, lt);
    if (kind === 'undecided') {
      this.carryFrom = lt;
      return lt;
    }
    this.markupLine = this.lineAt(lt);
    this.settleRawText();
    switch (kind) {
      case 'comment': this.mode = 'comment'; return lt + 4;
      case 'cdata': this.mode = 'cdata'; return lt + 9;
      case 'pi': this.mode = 'pi'; return lt + 2;
      case 'doctype': this.mode = 'doctype'; this.doctype = { depth: 0, quote: '', inComment: false }; return lt + 2;
      case 'tag': this.mode = 'tag'; this.tagText = ''; this.tagQuote = ''; return lt + 1;
      case 'stray':
        this.error('stray "<" (not the start of a tag); kept as text', this.markupLine);
        if (this.textPieces.length === 0) this.textLine = this.markupLine;
        this.rawPieces.push('<');
        return lt + 1;
    }
  }

  /** Inside `<name …` or `</name …`: finds the closing `>` outside quotes. */
  private scanTag(input: string, pos: number): number {
    let p = pos;
    for (;;) {
      if (this.tagQuote !== '') {
        // '<' may not appear in an attribute value: seeing one means the quote was never closed.
        const stop = this.tagQuote === '"' ? DOUBLE_QUOTED_STOP : SINGLE_QUOTED_STOP;
        stop.lastIndex = p;
        const match = stop.exec(input);
        if (match === null) break;
        if (input[match.index] === '<') return this.abandonTag(input, pos, match.index);
        this.tagQuote = '';
        p = match.index + 1;
        continue;
      }
      TAG_STOP.lastIndex = p;
      const match = TAG_STOP.exec(input);
      if (match === null) break;
      const at = match.index;
      const ch = input[at];
      if (ch === '<') return this.abandonTag(input, pos, at);
      if (ch === '>') {
        const text = this.tagText + input.slice(pos, at);
        this.tagText = '';
        this.mode = 'content';
        this.emitTag(text);
        return at + 1;
      }
      this.tagQuote = ch;
      p = at + 1;
    }
    this.tagText += input.slice(pos);
    if (this.tagText.length > MAX_TAG_CHARS) {
      this.error(`tag longer than ${MAX_TAG_CHARS} characters; dropped`, this.markupLine);
      this.tagText = '';
      this.mode = 'content';
    }
    return input.length;
  }

  /** A `<` inside a tag means the tag was cut off: report it and rescan from that `<`. */
  private abandonTag(input: string, pos: number, lt: number): number {
    const name = /^\/?\s*([^\s/>"']*)/.exec(this.tagText + input.slice(pos, lt))?.[1] ?? '';
    this.error(`unterminated tag <${name}>`, this.markupLine);
    this.tagText = '';
    this.tagQuote = '';
    this.mode = 'content';
    return lt;
  }

  private emitTag(text: string): void {
    const line = this.markupLine;
    if (text.charCodeAt(0) === 0x2f /* '/' */) {
      const name = text.slice(1).trim();
      if (name === '' || /[\s"'=]/.test(name)) this.error(`malformed end tag </${name}>`, line);
      else this.emitWithText({ kind: 'close', name, line });
      return;
    }
    const selfClosing = text.endsWith('/');
    const body = selfClosing ? text.slice(0, -1) : text;
    // classifyMarkup checked the first character, so the name is at least one character long.
    let nameEnd = 1;
    while (nameEnd < body.length && !NAME_END.has(body.charCodeAt(nameEnd))) nameEnd++;
    const name = body.slice(0, nameEnd);
    const attributes: Record<string, string> = {};
    if (body.indexOf('=', nameEnd) >= 0) {
      ATTRIBUTE.lastIndex = nameEnd;
      for (let m = ATTRIBUTE.exec(body); m !== null; m = ATTRIBUTE.exec(body)) {
        attributes[m[1]] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
      }
    }
    this.emitWithText({ kind: 'open', name, attributes, line });
    if (selfClosing) this.events.push({ kind: 'close', name, line });
  }

  /**
   * Comment, processing instruction or CDATA: runs to `terminator`. A possible partial terminator
   * at the end of the input is carried; CDATA content (`keep`) joins the current text node.
   */
  private skipUntil(input: string, pos: number, terminator: string, keep = false): number {
    const end = input.indexOf(terminator, pos);
    const contentEnd = end >= 0 ? end : Math.max(pos, input.length - (terminator.length - 1));
    if (keep && contentEnd > pos) {
      this.addDecoded(input.slice(pos, contentEnd), this.lineAt(pos));
      this.textChars += contentEnd - pos;
    }
    if (end < 0) {
      if (contentEnd < input.length) this.carryFrom = contentEnd;
      return input.length;
    }
    this.mode = 'content';
    return end + terminator.length;
  }

  /** `<!DOCTYPE …>` (or another `<!…>` declaration), including an internal subset in `[…]`. */
  private scanDoctype(input: string, pos: number): number {
    const state = this.doctype;
    for (let p = pos; p < input.length; p++) {
      if (state.inComment) {
        // A comment in the internal subset may hold quotes or brackets: skip it whole.
        const end = input.indexOf('-->', p);
        if (end < 0) {
          const keep = Math.max(p, input.length - 2);
          if (keep < input.length) this.carryFrom = keep;
          return input.length;
        }
        state.inComment = false;
        p = end + 2;
        continue;
      }
      const ch = input[p];
      if (state.quote !== '') {
        if (ch === state.quote) state.quote = '';
      } else if (ch === '"' || ch === "'") {
        state.quote = ch;
      } else if (ch === '<' && state.depth > 0) {
        if (p + 4 > input.length) {
          this.carryFrom = p; // might be the start of a comment
          return p;
        }
        if (input.startsWith('<!--', p)) {
          state.inComment = true;
          p += 3;
        }
      } else if (ch === '[') {
        state.depth++;
      } else if (ch === ']') {
        state.depth = Math.max(0, state.depth - 1);
      } else if (ch === '>' && state.depth === 0) {
        this.mode = 'content';
        return p + 1;
      }
    }
    return input.length;
  }

  /** Raw text ends at markup: decode its entities now that none can be cut off. */
  private settleRawText(): void {
    if (this.rawPieces.length === 0) return;
    const raw = this.rawPieces.length === 1 ? this.rawPieces[0] : this.rawPieces.join('');
    this.rawPieces = [];
    this.addDecoded(decodeEntities(raw), this.textLine);
  }

  private addDecoded(text: string, line: number): void {
    if (this.textPieces.length === 0) this.textLine = line;
    this.textPieces.push(text);
  }

  /**
   * Emits the pending text node. Mid-text (atEnd false) a trailing `&…` that may be an unfinished
   * entity stays behind so that it is decoded once its `;` arrives.
   */
  private flushText(atEnd: boolean): void {
    let tail = '';
    if (this.rawPieces.length > 0) {
      let raw = this.rawPieces.join('');
      const amp = raw.lastIndexOf('&');
      if (!atEnd && amp >= 0 && /^&#?[A-Za-z0-9]{0,10}$/.test(raw.slice(amp))) {
        tail = raw.slice(amp);
        raw = raw.slice(0, amp);
      }
      this.rawPieces = [];
      if (raw !== '') this.addDecoded(decodeEntities(raw), this.textLine);
    }
    if (this.textPieces.length > 0) {
      this.events.push({ kind: 'text', text: this.textPieces.join(''), line: this.textLine });
      this.textPieces = [];
    }
    this.textChars = tail.length;
    if (tail !== '') {
      this.rawPieces.push(tail);
      this.textLine = this.line;
    }
  }

  /** Tags end the current text node, so its event goes first. */
  private emitWithText(event: XmlEvent): void {
    this.flushText(true);
    this.events.push(event);
  }

  private error(message: string, line: number): void {
    this.events.push({ kind: 'error', message, line });
  }
}

type MarkupKind = 'comment' | 'cdata' | 'pi' | 'doctype' | 'tag' | 'stray' | 'undecided';

/** What starts at `input[lt] === '<'`, or 'undecided' when the input ends too soon to tell. */
function classifyMarkup(input: string, lt: number): MarkupKind {
  const available = input.length - lt;
  const next = input[lt + 1];
  if (next === undefined) return 'undecided';
  if (next === '?') return 'pi';
  if (next === '/') return 'tag';
  if (next !== '!') return NAME_START.test(next) ? 'tag' : 'stray';
  const head = input.slice(lt, lt + MARKUP_LOOKAHEAD);
  for (const [prefix, kind] of [['<!--', 'comment'], ['<![CDATA[', 'cdata']] as const) {
    if (head.startsWith(prefix)) return kind;
    if (available < prefix.length && prefix.startsWith(head)) return 'undecided';
  }
  return 'doctype'; // <!DOCTYPE, <!ENTITY, …: skipped up to the matching '>'
}

/** Decodes the five predefined entities and numeric references; anything else stays as written. */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body];
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/** `exch:exchange-document` → `exchange-document`: readers match on local names. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
