/**
 * Streaming XML events for the format readers, on top of saxes (pure JS: it runs in Web Workers,
 * where DOMParser does not exist). `push` takes decoded text in pieces of any size; events reach
 * the handlers synchronously, tags with the 1-based line of their `<`.
 *
 * saxes checks well-formedness strictly and, after an error, guesses on: an attribute value that
 * lacks its closing quote swallows the rest of the file, an unescaped `&` everything up to the next
 * `;`. Patent files are read document by document, so this layer decides instead:
 *  - errors that lose nothing are tolerated (see xml-errors.ts: `&nbsp;` stays as written, since
 *    DTDs are not loaded);
 *  - end tags are reported once, by the name written; nesting is the reader's to judge (saxes'
 *    own recovery from a stray `</y>` closes every open element);
 *  - any other error is reported, that parser is dropped, and reading resumes at the next match of
 *    `resumeAt` (the reader's next document) with a fresh parser; a handler can ask for the same
 *    (`skipToResume`) once the document at hand is known to be bad;
 *  - an XML declaration after the start begins a new document (files concatenated into one).
 *
 * Memory stays bounded: saxes buffers text only up to its next event, and a stretch of more than
 * MAX_CHARS_WITHOUT_MARKUP characters without one is an error. Work is linear: a character goes
 * through at most two parsers (see `frontier`) and one resume search; `charsParsed` and
 * `charsSearched` count it.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { describeFatal, isEndTagComplaint, isTolerated } from './xml-errors';
import { countNewlines, ResumeSearch, type Mark } from './xml-resume';

export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>, line: number): void;
  /** Also called straight after `open` for a self-closing element (`<br/>`). */
  close(name: string, line: number): void;
  /** Character data with entities decoded; CDATA sections come as text too. Consumers concatenate. */
  text(text: string): void;
  /** A problem that cost data; reading goes on at the next `resumeAt` match. */
  error(message: string, line: number): void;
}

/** Longer than any real text run between two tags, far shorter than a file. */
export const MAX_CHARS_WITHOUT_MARKUP = 1 << 22;

const XML_DECLARATION = /<\?xml[\s?]/g;
/** End tags longer than this are named as saxes saw them instead of as written. */
const RECENT_CHARS = 256;

/** Thrown from the error handler to stop a parser at a fatal error. */
class Abandon extends Error {}

/** Namespaces are not resolved (readers match local names), so attributes are plain strings. */
const PARSER_OPTIONS = { position: true, xmlns: false } as const;
type Parser = SaxesParser<typeof PARSER_OPTIONS>;

interface Resume {
  mark: Mark;
  /** The input from `mark` up to the piece being written, when `mark` lies in an earlier piece. */
  before: string;
}

export class XmlEventStream {
  private parser: Parser;
  /** Where the current parser's input starts in the whole input, and its line there. */
  private parserStart: Mark = { pos: 0, line: 1 };
  /** The piece being written to the current parser and where it starts in the whole input. */
  private piece = '';
  private pieceStart: Mark = { pos: 0, line: 1 };
  /** The last RECENT_CHARS written to the current parser before `piece`, to read end-tag names. */
  private recent = '';
  /** Just after the last event of the current parser: everything before it was understood. */
  private confirmed: Mark = { pos: 0, line: 1 };
  /**
   * Pieces written to the current parser since the one holding `confirmed` (from `retainedStart`):
   * after an error, reading resumes from there whatever the chunking. MAX_CHARS_WITHOUT_MARKUP
   * bounds them.
   */
  private retained: string[] = [];
  private retainedStart = 0;
  /** saxes turns an end tag it cannot match into text (`</a>`): cut from the next text event. */
  private unmatchedEndTag = '';
  /**
   * The furthest point a dropped parser reached. A parser that fails resumes its search after it,
   * so text is parsed at most twice however many documents in a row are broken.
   */
  private frontier: Mark = { pos: 0, line: 1 };
  private lastEndTagAt = -1;
  private startTag: { name: string; line: number } | null = null;
  /** Looking for the resume point after an error. */
  private readonly resume: ResumeSearch;
  /** Characters received so far, and a possible start of `<?xml` held back from the last push. */
  private received = 0;
  private pendingDeclaration = '';
  private closing = false;
  /** Set by `skipToResume` from inside a handler: the parser stops after that event. */
  private skipRequested = false;
  /** Counted work: characters written to a parser (see also `charsSearched`). */
  charsParsed = 0;

  constructor(private readonly handlers: XmlHandlers, resumeAt: RegExp) {
    this.resume = new ResumeSearch(resumeAt);
    this.parser = this.startParser({ pos: 0, line: 1 });
  }

  /** Counted work: characters searched for the resume point after errors. */
  get charsSearched(): number {
    return this.resume.charsSearched;
  }

  push(chunk: string): void {
    const text = this.pendingDeclaration + chunk;
    this.pendingDeclaration = '';
    this.received += chunk.length;
    this.feed(text, this.received - text.length);
  }

  /**
   * Called from a handler when the rest of the current document is of no use (the reader found it
   * malformed): parsing stops after this event and resumes at the next `resumeAt` match.
   */
  skipToResume(): void {
    this.skipRequested = true;
  }

  end(): void {
    const text = this.pendingDeclaration;
    this.pendingDeclaration = '';
    if (text !== '') this.feed(text, this.received - text.length, false);
    // The file may end inside something that swallowed markup (an unescaped `&`): resume once more.
    while (!this.resume.active) {
      const resume = this.closeParser(false);
      if (resume === null) return;
      const rest = resume.before + this.piece.slice(Math.max(0, resume.mark.pos - this.pieceStart.pos));
      this.resume.begin(resume.mark);
      this.feed(rest, resume.mark.pos, false);
    }
  }

  /**
   * Feeds `buffer`, which starts at index `at` of the whole input. `holdBack`: the buffer ends where
   * the input received so far ends, so a `<?xml` cut there is held for the next push.
   */
  private feed(buffer: string, at: number, holdBack = true): void {
    let from = 0;
    while (from < buffer.length) {
      if (this.resume.active) {
        const point = this.resume.search(buffer, from, at);
        if (point === null) return;
        this.parser = this.startParser(point.mark);
        if (point.heldText !== '') this.feed(point.heldText, point.mark.pos, false);
        from = point.continueAt;
        continue;
      }
      // A declaration after the start of a parser's input begins a new document.
      XML_DECLARATION.lastIndex = at + from === this.parserStart.pos ? from + 1 : from;
      const declaration = XML_DECLARATION.exec(buffer);
      let to = declaration === null ? buffer.length : declaration.index;
      if (declaration === null && holdBack) {
        const lt = buffer.lastIndexOf('<');
        if (lt >= from && buffer.length - lt <= 5 && '<?xml'.startsWith(buffer.slice(lt))) to = lt;
      }
      const pieceAt = at + from;
      const resume = this.write(buffer.slice(from, to), pieceAt);
      if (resume !== null) {
        this.resume.begin(resume.mark);
        // Text from earlier pushes is searched on its own; this buffer is then searched in place.
        if (resume.before !== '') this.feed(resume.before, resume.mark.pos, false);
        from = Math.max(resume.mark.pos, pieceAt) - at;
      } else if (declaration !== null) {
        this.restartAt({ pos: at + to, line: this.lineNow() });
        from = to;
      } else {
        this.pendingDeclaration = buffer.slice(to);
        return;
      }
    }
  }

  /** Writes one piece; when the parser has to be dropped, returns where to resume. */
  private write(text: string, at: number): Resume | null {
    const parser = this.parser;
    this.piece = text;
    this.pieceStart = { pos: at, line: this.lineNow() };
    this.retained.push(text);
    let failed: Mark | null = null;
    try {
      parser.write(text);
    } catch (error) {
      if (!(error instanceof Abandon)) throw error;
      failed = { pos: this.position(), line: this.lineNow() };
    }
    const pieceEnd = at + text.length;
    this.charsParsed += (failed?.pos ?? pieceEnd) - at;
    if (failed === null && pieceEnd - this.confirmed.pos > MAX_CHARS_WITHOUT_MARKUP) {
      this.handlers.error(`no markup in ${MAX_CHARS_WITHOUT_MARKUP} characters`, this.lineNow());
      failed = { pos: pieceEnd, line: this.lineNow() };
    }
    this.recent = text.length >= RECENT_CHARS ? text.slice(-RECENT_CHARS) : (this.recent + text).slice(-RECENT_CHARS);
    if (failed !== null) return this.resumeAfter(failed, pieceEnd);
    this.keepFrom(this.confirmed.pos);
    return null;
  }

  /** Drops retained pieces that end before `pos`. */
  private keepFrom(pos: number): void {
    let drop = 0;
    while (drop < this.retained.length - 1 && this.retainedStart + this.retained[drop].length <= pos) {
      this.retainedStart += this.retained[drop].length;
      drop++;
    }
    if (drop > 0) this.retained.splice(0, drop);
  }

  /**
   * Where to resume after the current parser failed at `failed`: after what it understood, never
   * before where a dropped parser stopped, never after `end` (the end of the text written).
   */
  private resumeAfter(failed: Mark, end: number): Resume {
    let mark = this.confirmed.pos >= this.frontier.pos ? this.confirmed : this.frontier;
    if (failed.pos > this.frontier.pos) this.frontier = failed;
    if (mark.pos > end) mark = { pos: end, line: failed.line };
    const pieceAt = this.pieceStart.pos;
    const before = mark.pos < pieceAt ? this.retained.slice(0, -1).join('').slice(mark.pos - this.retainedStart) : '';
    return { mark, before };
  }

  private restartAt(mark: Mark): void {
    this.closeParser(true);
    if (mark.pos > this.frontier.pos) this.frontier = mark;
    this.parser = this.startParser(mark);
  }

  /** Ends the current parser; `quietly` at a new document, whose reader judges what was left open. */
  private closeParser(quietly: boolean): Resume | null {
    this.closing = quietly;
    try {
      this.parser.close();
      return null;
    } catch (error) {
      if (!(error instanceof Abandon)) throw error;
      return this.resumeAfter({ pos: this.received, line: this.lineNow() }, this.received);
    } finally {
      this.closing = false;
    }
  }

  private startParser(mark: Mark): Parser {
    const parser: Parser = new SaxesParser(PARSER_OPTIONS);
    this.parser = parser;
    this.parserStart = mark;
    this.confirmed = mark;
    this.pieceStart = mark;
    this.piece = '';
    this.recent = '';
    this.retained = [];
    this.retainedStart = mark.pos;
    this.unmatchedEndTag = '';
    this.lastEndTagAt = -1;
    this.startTag = null;
    this.skipRequested = false;
    parser.on('opentagstart', (tag) => {
      this.touch();
      // A name follows its `<` directly: the line of the `<` is the line now, unless the name
      // ended with a line break.
      const line = this.lineNow() - (this.charBefore(this.position()) === '\n' ? 1 : 0);
      this.startTag = { name: tag.name, line };
    });
    parser.on('opentag', (tag) => {
      const line = this.startTag?.line ?? this.lineNow();
      this.startTag = null;
      this.touch();
      this.handlers.open(tag.name, tag.attributes, line);
      if (tag.isSelfClosing) this.handlers.close(tag.name, line);
      this.stopIfAsked();
    });
    parser.on('closetag', (tag) => {
      this.onCloseTag(tag);
      this.stopIfAsked();
    });
    parser.on('text', (text) => {
      this.touch();
      let kept = text;
      if (this.unmatchedEndTag !== '' && kept.startsWith(this.unmatchedEndTag)) kept = kept.slice(this.unmatchedEndTag.length);
      this.unmatchedEndTag = '';
      if (kept !== '') this.handlers.text(kept);
    });
    parser.on('cdata', (text) => {
      this.touch();
      this.handlers.text(text);
    });
    // No handlers for comments, processing instructions or the DOCTYPE: with a few more handlers
    // saxes runs 4-6 times slower (its parser object leaves V8's fast-property mode). They count
    // towards MAX_CHARS_WITHOUT_MARKUP, which real ones stay far below.
    parser.on('error', (error) => this.onError(error.message.replace(/^\d+:\d+: /, '')));
    return parser;
  }

  private onCloseTag(tag: SaxesTagPlain): void {
    if (tag.isSelfClosing) return; // reported with its open
    const at = this.position();
    this.touch();
    if (at === this.lastEndTagAt) return; // saxes pops several elements for one mismatched end tag
    this.lastEndTagAt = at;
    this.emitEndTag(at, tag.name);
  }

  private emitEndTag(at: number, fallback: string): void {
    const written = this.endTagBefore(at);
    this.handlers.close(written?.name ?? fallback, this.lineNow() - (written?.newlines ?? 0));
  }

  /** The end tag written just before index `at` of the whole input (`</name >`), when still at hand. */
  private endTagBefore(at: number): { name: string; newlines: number } | null {
    let source = this.piece;
    let end = at - this.pieceStart.pos;
    let start = end > 1 ? source.lastIndexOf('</', end - 2) : -1;
    if (start === -1) {
      source = this.recent + this.piece.slice(0, Math.max(0, end));
      end = source.length;
      start = source.lastIndexOf('</', end - 2);
      if (start === -1) return null;
    }
    const name = source.slice(start + 2, end - 1).trim();
    return /^[^\s<>]*$/.test(name) ? { name, newlines: countNewlines(source, start, end) } : null;
  }

  private onError(message: string): void {
    if (this.closing) return;
    const at = this.position();
    if (isEndTagComplaint(message)) {
      if (at !== this.lastEndTagAt) {
        // An end tag with nothing left open in saxes: no closetag event came, so report it here.
        this.lastEndTagAt = at;
        const unmatched = /^unmatched closing tag: (.*)\.$/.exec(message)?.[1];
        this.emitEndTag(at, unmatched ?? '');
        if (unmatched !== undefined) this.unmatchedEndTag = `</${unmatched}>`;
        this.stopIfAsked();
      }
      return;
    }
    const startTag = this.startTag;
    if (startTag !== null && this.charBefore(at) === '<') {
      this.handlers.error(`unterminated tag <${startTag.name}>`, startTag.line);
      throw new Abandon();
    }
    if (isTolerated(message)) return;
    this.handlers.error(describeFatal(message, startTag?.name), this.lineNow());
    throw new Abandon();
  }

  private stopIfAsked(): void {
    if (this.skipRequested) throw new Abandon();
  }

  private charBefore(at: number): string {
    const index = at - 1 - this.pieceStart.pos;
    return index >= 0 ? this.piece[index] ?? '' : this.recent[this.recent.length + index] ?? '';
  }

  private touch(): void {
    this.confirmed = { pos: this.position(), line: this.lineNow() };
  }

  private position(): number {
    return this.parserStart.pos + this.parser.position;
  }

  /** The line at the current parser's position. */
  private lineNow(): number {
    return this.parserStart.line + this.parser.line - 1;
  }
}
