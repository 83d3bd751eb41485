/**
 * JSON patent readers: one object per line (JSONL), a top-level array of objects (streamed object
 * by object), and an auto-selecting reader for Google Patents exports, which come in both shapes.
 * Mapping keys may be dotted paths (`biblio.title`); values are read by `jsonText`/`jsonCodes`,
 * which understand Google's `[{text, language}]` and `[{code}]` shapes, so Google is a preset.
 */
import { splitCodeCell } from '../codes';
import { toRawPatent } from './presets';
import {
  NotAPatentFileError,
  type ColumnMapping,
  type PatentReader,
  type RawPatent,
  type ReadBatch,
  type RowError,
} from './types';

/**
 * An element (or JSONL line) this long is taken as an object that was never closed. Google records
 * with full descriptions reach a few MiB; the bound only stops one missing brace or newline from
 * swallowing the file.
 */
export const MAX_ELEMENT_CHARS = 32 * 1024 * 1024;

/** JSONL: if this many non-blank lines in a row fail before any parses, the file is not JSONL. */
const JSONL_PROBE_LINES = 5;

/** Prefer English text in Google's `*_localized` arrays (the map is language-agnostic otherwise). */
const PREFERRED_LANGUAGE = 'en';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Value at a key or dotted path; a path through an array collects from each element. */
export function jsonLookup(record: unknown, path: string): unknown {
  if (!isObject(record)) return undefined;
  if (path in record) return record[path]; // keys may themselves contain dots
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  const head = record[path.slice(0, dot)];
  const rest = path.slice(dot + 1);
  if (Array.isArray(head)) return head.map((item) => jsonLookup(item, rest)).filter((item) => item !== undefined);
  return jsonLookup(head, rest);
}

/** Text of a value: strings and numbers as they are, `{text}` objects, and localized arrays (English first). */
export function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value)) return jsonText(value.text);
  if (!Array.isArray(value)) return undefined;
  const english = value.find((item) => isObject(item) && item.language === PREFERRED_LANGUAGE && jsonText(item.text));
  if (english !== undefined) return jsonText(english);
  for (const item of value) {
    const text = jsonText(item);
    if (text !== undefined && text.trim() !== '') return text;
  }
  return undefined;
}

/** Code strings of a value: a cell of several codes, a list of strings, or a list of `{code}` objects. */
export function jsonCodes(value: unknown, separator?: string): string[] {
  if (typeof value === 'string') return splitCodeCell(value, separator);
  if (isObject(value)) return jsonCodes(value.code, separator);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => jsonCodes(item, separator));
}

/** A RawPatent from one parsed record, or the RowError reason. */
export function jsonToPatent(record: unknown, mapping: ColumnMapping, line: number): RawPatent | string {
  if (!isObject(record)) return 'not a JSON object';
  const text = (path: string | undefined): string | undefined => (path === undefined ? undefined : jsonText(jsonLookup(record, path)));
  return toRawPatent(
    {
      id: text(mapping.id),
      title: text(mapping.title),
      abstract: text(mapping.abstract),
      claims: text(mapping.claims),
      year: text(mapping.year),
      date: text(mapping.date),
      codes: mapping.codes.flatMap((path) => jsonCodes(jsonLookup(record, path), mapping.codeSeparator)),
    },
    line,
  );
}

/**
 * Parses one element's text and maps it, adding the patent or the error to `out`. Returns whether
 * the text was a JSON object, which tells broken rows apart from a file that is not JSON at all.
 */
function addElement(out: ReadBatch, element: JsonElement, mapping: ColumnMapping, fileName: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch {
    out.errors.push({ line: element.line, reason: 'not valid JSON', file: fileName });
    return false;
  }
  const result = jsonToPatent(value, mapping, element.line);
  if (typeof result === 'string') out.errors.push({ line: element.line, reason: result, file: fileName });
  else out.patents.push(result);
  return isObject(value);
}

/** One JSON object per line. Lines are collected as pieces, so a long line in tiny chunks stays linear. */
export class JsonlPatentReader implements PatentReader {
  /** The line in progress, as received; `pendingChars` is their total length. */
  private pieces: string[] = [];
  private pendingChars = 0;
  /** Dropping the rest of an over-long line up to its newline. */
  private skippingLine = false;
  private line = 0;
  private sawText = false;
  /** Until one line parses as an object, count failures to tell "broken rows" from "not JSONL". */
  private sawObject = false;
  private failuresBeforeObject = 0;

  constructor(private readonly mapping: ColumnMapping, private readonly fileName: string) {}

  push(chunk: string): ReadBatch {
    const out: ReadBatch = { patents: [], errors: [] };
    if (!this.sawText && chunk.length > 0) {
      this.sawText = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      this.addPiece(chunk.slice(start, newline), out);
      this.finishLine(out);
      start = newline + 1;
    }
    if (start < chunk.length) this.addPiece(chunk.slice(start), out);
    return out;
  }

  /** Keeps a piece of the current line, unless the line has grown past any real record. */
  private addPiece(piece: string, out: ReadBatch): void {
    if (this.skippingLine) return;
    this.pendingChars += piece.length;
    if (this.pendingChars <= MAX_ELEMENT_CHARS) {
      this.pieces.push(piece);
      return;
    }
    out.errors.push({ line: this.line + 1, reason: `line longer than ${MAX_ELEMENT_CHARS} characters`, file: this.fileName });
    this.pieces = [];
    this.skippingLine = true;
  }

  end(): ReadBatch {
    const out: ReadBatch = { patents: [], errors: [] };
    if (this.pieces.length > 0 || this.skippingLine) this.finishLine(out);
    if (!this.sawObject && this.failuresBeforeObject === 0) {
      throw new NotAPatentFileError(this.fileName, 'the file is empty; expected one JSON patent object per line');
    }
    if (!this.sawObject) this.notJsonl();
    return out;
  }

  private finishLine(out: ReadBatch): void {
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    const skipped = this.skippingLine;
    this.pieces = [];
    this.pendingChars = 0;
    this.skippingLine = false;
    this.line++;
    if (skipped || text.trim() === '') return;
    const isObjectLine = addElement(out, { line: this.line, text }, this.mapping, this.fileName);
    if (isObjectLine) this.sawObject = true;
    else if (!this.sawObject && ++this.failuresBeforeObject >= JSONL_PROBE_LINES) this.notJsonl();
  }

  private notJsonl(): never {
    throw new NotAPatentFileError(this.fileName, 'its first lines are not JSON objects; expected one JSON patent object per line');
  }
}

/** One element of a JSON array, as text, with the line where it starts. */
export interface JsonElement {
  line: number;
  text: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

/**
 * Where the splitter is in the top-level array. `seek*`: after a broken element, skipping to the
 * next line that starts with `{` (pretty-printed and one-object-per-line arrays both put objects there).
 */
type Phase = 'before' | 'between' | 'element' | 'seek' | 'seek-line-start' | 'after' | 'done';

/**
 * Cuts a top-level JSON array into element texts, tracking strings, escapes and bracket depth so
 * an element is handed out only when complete. State survives between chunks: each character is
 * scanned once. Throws NotAPatentFileError when the top-level value is not an array.
 */
export class JsonArraySplitter {
  /** Unscanned text; index 0 is the start of the element in progress, if any. */
  private buffer = '';
  private pos = 0;
  private line = 1;
  private phase: Phase = 'before';
  /** Element in progress: start index and line, open brackets, string state. Reset per element. */
  private start = 0;
  private startLine = 1;
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  /** Last character outside strings and whitespace: a `{` or `[` inside an object must follow `:`. */
  private lastToken = 0;

  constructor(private readonly fileName: string) {}

  push(chunk: string): { elements: JsonElement[]; errors: RowError[] } {
    this.buffer += chunk;
    return this.scan(false);
  }

  end(): { elements: JsonElement[]; errors: RowError[] } {
    return this.scan(true);
  }

  private scan(final: boolean): { elements: JsonElement[]; errors: RowError[] } {
    const out = { elements: [] as JsonElement[], errors: [] as RowError[] };
    const text = this.buffer;
    const n = text.length;
    let i = this.pos;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.phase === 'element') {
        i = this.scanElement(text, i, out);
        continue;
      }
      if (c === LF) this.line++;
      if (this.phase === 'seek') {
        const newline = text.indexOf('\n', i);
        if (newline === -1) {
          i = n;
        } else {
          if (newline > i) this.line++; // the LF at i (if any) was counted above
          i = newline + 1;
          this.phase = 'seek-line-start';
        }
        continue;
      }
      if (isJsonSpace(c) || (this.phase === 'between' && c === COMMA)) {
        i++;
        continue;
      }
      if (this.phase === 'before') {
        if (c !== OPEN_BRACKET) {
          throw new NotAPatentFileError(this.fileName,
            `expected a JSON array of patent objects ("[{…}, {…}]"), but the file starts with ${JSON.stringify(text.slice(i, i + 12))}`);
        }
        this.phase = 'between';
        i++;
      } else if (this.phase === 'between' && c === CLOSE_BRACKET) {
        this.phase = 'after';
        i++;
      } else if (this.phase === 'between' || (this.phase === 'seek-line-start' && c === OPEN_BRACE)) {
        this.beginElement(i);
      } else if (this.phase === 'seek-line-start') {
        this.phase = 'seek';
      } else if (this.phase === 'after') {
        out.errors.push({ line: this.line, reason: 'text after the closing ] of the array' });
        this.phase = 'done';
      } else {
        i = n; // done: ignore the rest
      }
    }
    if (final) {
      if (this.phase === 'before') throw new NotAPatentFileError(this.fileName, 'the file is empty; expected a JSON array of patent objects');
      if (this.phase === 'element') out.errors.push({ line: this.startLine, reason: 'object not closed at the end of the file' });
      this.phase = 'done';
    }
    this.pos = i;
    this.compact();
    return out;
  }

  /** Scans the element in progress from `i`; returns where scanning stopped. */
  private scanElement(text: string, i: number, out: { elements: JsonElement[]; errors: RowError[] }): number {
    const n = text.length;
    for (; i < n; i++) {
      // Checked at the same character whatever the chunking, so results do not depend on it.
      if (i - this.start > MAX_ELEMENT_CHARS) {
        out.errors.push({ line: this.startLine, reason: `object not closed within ${MAX_ELEMENT_CHARS} characters` });
        this.phase = 'seek';
        return i;
      }
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        else if (c === LF) {
          // JSON strings cannot hold a raw line break, so a closing quote is missing.
          out.errors.push({ line: this.startLine, reason: 'unterminated string' });
          this.line++;
          this.phase = 'seek-line-start';
          return i + 1;
        }
        continue;
      }
      if (c === LF) this.line++;
      else if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.stack[this.stack.length - 1] === OPEN_BRACE && this.lastToken !== COLON) {
          // A value where a key belongs: the previous object lost its `}`. Start over here.
          out.errors.push({ line: this.startLine, reason: 'object not closed' });
          this.beginElement(i);
        }
        this.stack.push(c);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.stack.length === 0 && c === CLOSE_BRACKET) {
          // The array ends right after a bare value (`[1, 2]`).
          out.elements.push({ line: this.startLine, text: text.slice(this.start, i) });
          this.phase = 'after';
          return i + 1;
        }
        this.stack.pop();
        if (this.stack.length === 0) {
          out.elements.push({ line: this.startLine, text: text.slice(this.start, i + 1) });
          this.phase = 'between';
          return i + 1;
        }
      } else if (c === COMMA && this.stack.length === 0) {
        out.elements.push({ line: this.startLine, text: text.slice(this.start, i) });
        this.phase = 'between';
        return i + 1;
      }
      if (!isJsonSpace(c)) this.lastToken = c;
    }
    return i;
  }

  private beginElement(i: number): void {
    this.phase = 'element';
    this.start = i;
    this.startLine = this.line;
    this.stack = [];
    this.inString = this.escaped = false;
    this.lastToken = 0;
  }

  /** Drops scanned text, keeping an element in progress whole. */
  private compact(): void {
    const cut = this.phase === 'element' ? this.start : this.pos;
    if (cut === 0) return;
    this.buffer = this.buffer.slice(cut);
    this.pos -= cut;
    this.start -= cut;
  }
}

/** A top-level JSON array of patent objects, parsed one complete object at a time. */
export class JsonArrayPatentReader implements PatentReader {
  private readonly splitter: JsonArraySplitter;

  constructor(private readonly mapping: ColumnMapping, private readonly fileName: string) {
    this.splitter = new JsonArraySplitter(fileName);
  }

  push(chunk: string): ReadBatch {
    return this.convert(this.splitter.push(chunk));
  }

  end(): ReadBatch {
    return this.convert(this.splitter.end());
  }

  private convert(batch: { elements: JsonElement[]; errors: RowError[] }): ReadBatch {
    const out: ReadBatch = { patents: [], errors: batch.errors.map((error) => ({ ...error, file: this.fileName })) };
    for (const element of batch.elements) addElement(out, element, this.mapping, this.fileName);
    // Splitter errors and mapping errors were collected apart: restore file order.
    if (batch.errors.length > 0) out.errors.sort((a, b) => a.line - b.line);
    return out;
  }
}

/**
 * Picks JSONL or JSON-array from the first non-blank character (`[` → array). Google exports come
 * as either, and both are the `google-json` format.
 */
export class JsonPatentReader implements PatentReader {
  private inner: PatentReader | null = null;
  /** Text seen before the first non-blank character; whitespace only, so it is cheap to keep. */
  private leading = '';

  constructor(private readonly mapping: ColumnMapping, private readonly fileName: string) {}

  push(chunk: string): ReadBatch {
    if (this.inner !== null) return this.inner.push(chunk);
    const text = this.leading + chunk;
    const first = text.search(/[^\s\ufeff]/);
    if (first === -1) {
      this.leading = text;
      return { patents: [], errors: [] };
    }
    this.inner = text[first] === '['
      ? new JsonArrayPatentReader(this.mapping, this.fileName)
      : new JsonlPatentReader(this.mapping, this.fileName);
    this.leading = '';
    return this.inner.push(text);
  }

  end(): ReadBatch {
    if (this.inner === null) throw new NotAPatentFileError(this.fileName, 'the file is empty; expected JSON patent records');
    return this.inner.end();
  }
}
