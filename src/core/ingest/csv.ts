/**
 * Streaming CSV/TSV records (RFC 4180), for the tabular patent reader, PatentsView tables and
 * format detection.
 *
 * Speed: fields are cut with indexOf + slice, never built character by character, so the reader
 * runs at memory-scan speed. The parser is resumable: state survives between chunks, so a record
 * split over many chunks is scanned once, whatever the chunk size.
 */
import type { RowError } from './types';

export interface CsvRecord {
  /** 1-based line where the record starts (a quoted field may carry it over several lines). */
  line: number;
  fields: string[];
}

export interface CsvBatch {
  records: CsvRecord[];
  errors: RowError[];
}

/**
 * Bounds on a record, so that one stray `"` cannot swallow the rest of a file: a record longer
 * than this (UTF-16 code units, ~1 MiB of text) is reported as too long, one whose quoted field
 * spans more lines as an unclosed quote; reading resumes on the line after its start. Real cells
 * (long claims) stay far below both.
 */
export const MAX_RECORD_CHARS = 1 << 20;
export const MAX_RECORD_LINES = 10_000;
/**
 * The first record (the header) may be this long: exports with hundreds of thousands of columns
 * exist (one per code). Records after it may then be twice the header's length.
 */
export const MAX_HEADER_CHARS = 1 << 24;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;

/** Splits CSV/TSV text into records. Blank lines are skipped; field counts are the caller's business. */
export class CsvRecordReader {
  /** Text not yet consumed; after each call index 0 is where the record in progress starts. */
  private buffer = '';
  /** Next index of `buffer` to read, and the 1-based physical line there. */
  private pos = 0;
  private line = 1;
  /** Where (index, line) the record in progress starts: the resynchronisation point after an error. */
  private recordStart = 0;
  private recordLine = 1;
  /** Completed fields of the record in progress. */
  private fields: string[] = [];
  /** Inside a quoted field whose content starts at `quoteStart`; the closing-quote search resumes at `searchFrom`. */
  private inQuote = false;
  private quoteStart = 0;
  private searchFrom = 0;
  private quoteHasEscapes = false;
  /** A quoted field just closed: a delimiter, a line end or the end of the file must follow. */
  private afterQuote = false;
  /** Discarding the rest of an over-long line up to its newline. */
  private skippingLine = false;
  private sawText = false;
  /** Next delimiter / newline at or after `pos` (-1: none in the buffer); reset whenever `pos` moves back or the buffer changes. */
  private nextDelimiter = -2;
  private nextNewline = -2;
  private readonly delimiterCode: number;
  /** The length bound of the record in progress: MAX_HEADER_CHARS until the first record is out. */
  private maxRecordChars = MAX_HEADER_CHARS;
  private sawRecord = false;

  constructor(private readonly delimiter: string) {
    if (delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
      throw new Error(`CSV delimiter must be one character other than a quote or line break, not ${JSON.stringify(delimiter)}`);
    }
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  push(chunk: string): CsvBatch {
    if (!this.sawText && chunk.length > 0) {
      this.sawText = true;
      if (chunk.charCodeAt(0) === BOM) chunk = chunk.slice(1);
    }
    this.buffer += chunk;
    return this.parse(false);
  }

  end(): CsvBatch {
    const batch = this.parse(true);
    this.buffer = '';
    this.pos = this.recordStart = this.searchFrom = this.quoteStart = 0;
    return batch;
  }

  private parse(final: boolean): CsvBatch {
    const out: CsvBatch = { records: [], errors: [] };
    const text = this.buffer;
    const n = text.length;
    this.nextDelimiter = this.nextNewline = -2;
    for (;;) {
      if (this.skippingLine) {
        const newline = text.indexOf('\n', this.pos);
        if (newline === -1) {
          this.pos = this.recordStart = n;
          break;
        }
        this.pos = newline + 1;
        this.line++;
        this.skippingLine = false;
        this.startRecord();
        continue;
      }
      if (this.inQuote) {
        if (!this.scanQuoted(text, final, out)) break;
        continue;
      }
      if (this.afterQuote) {
        if (!this.closeQuotedField(text, final, out)) break;
        continue;
      }
      // At the start of a field.
      if (this.pos >= n) {
        // `a,b,` at the very end of the file: the delimiter announced one more, empty field.
        if (final && this.fields.length > 0) {
          this.fields.push('');
          this.emit(out);
        }
        break;
      }
      const c = text.charCodeAt(this.pos);
      if (this.fields.length === 0) {
        if (c === LF) {
          this.pos++;
          this.line++;
          this.startRecord();
          continue;
        }
        if (c === CR && this.pos + 1 < n && text.charCodeAt(this.pos + 1) === LF) {
          this.pos += 2;
          this.line++;
          this.startRecord();
          continue;
        }
      }
      if (c === QUOTE) {
        this.inQuote = true;
        this.quoteHasEscapes = false;
        this.quoteStart = this.searchFrom = ++this.pos;
        continue;
      }
      // Unquoted field (a quote later in it is literal text, as most producers and readers treat it).
      if (this.nextDelimiter !== -1 && this.nextDelimiter < this.pos) this.nextDelimiter = text.indexOf(this.delimiter, this.pos);
      if (this.nextNewline !== -1 && this.nextNewline < this.pos) this.nextNewline = text.indexOf('\n', this.pos);
      const delimiterAt = this.nextDelimiter;
      const newlineAt = this.nextNewline;
      if (delimiterAt !== -1 && (newlineAt === -1 || delimiterAt < newlineAt)) {
        this.fields.push(text.slice(this.pos, delimiterAt));
        this.pos = delimiterAt + 1;
        continue;
      }
      // The bound is checked both on a complete record and while waiting, so the outcome does
      // not depend on where chunks happen to be cut.
      const lineEnd = newlineAt === -1 ? n : newlineAt;
      if (lineEnd - this.recordStart > this.maxRecordChars) {
        out.errors.push({ line: this.recordLine, reason: this.tooLong() });
        this.fields = [];
        this.skippingLine = true;
        continue;
      }
      if (newlineAt === -1 && !final) break; // the rest of this line has not arrived yet
      const fieldEnd = lineEnd > this.pos && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      this.fields.push(text.slice(this.pos, fieldEnd));
      this.pos = newlineAt === -1 ? n : newlineAt + 1;
      if (newlineAt !== -1) this.line++;
      this.emit(out);
    }
    this.compact();
    return out;
  }

  /** Looks for the closing quote; false when more text is needed. */
  private scanQuoted(text: string, final: boolean, out: CsvBatch): boolean {
    const n = text.length;
    let quoteAt = text.indexOf('"', this.searchFrom);
    // A quote in the last character may be the first half of a doubled quote: wait for the next chunk.
    while (quoteAt !== -1 && (quoteAt + 1 < n || final)) {
      if (quoteAt + 1 < n && text.charCodeAt(quoteAt + 1) === QUOTE) {
        this.quoteHasEscapes = true;
        quoteAt = text.indexOf('"', quoteAt + 2);
        continue;
      }
      this.line += countNewlines(text, this.searchFrom, quoteAt);
      this.searchFrom = quoteAt;
      if (this.boundExceeded(quoteAt) !== null) break; // closed too late: judged like a quote never closed
      let value = text.slice(this.quoteStart, quoteAt);
      if (this.quoteHasEscapes) value = value.replaceAll('""', '"');
      this.fields.push(value);
      this.inQuote = false;
      this.afterQuote = true;
      this.pos = quoteAt + 1;
      return true;
    }
    const scannedTo = quoteAt === -1 ? n : quoteAt;
    this.line += countNewlines(text, this.searchFrom, scannedTo);
    this.searchFrom = scannedTo;
    const exceeded = this.boundExceeded(scannedTo);
    if (final || exceeded !== null) {
      this.abandonRecord(text, final, out, exceeded ?? 'unclosed quote');
      return true;
    }
    return false;
  }

  /**
   * Why the record in progress, read up to `index`, cannot be a real record, or null. Length comes
   * first: a 50 MB cell is a cell too long to import, whatever quotes it may still close.
   */
  private boundExceeded(index: number): string | null {
    if (index - this.recordStart > this.maxRecordChars) return this.tooLong();
    return this.line - this.recordLine > MAX_RECORD_LINES ? 'unclosed quote' : null;
  }

  private tooLong(): string {
    return `record longer than ${this.maxRecordChars} characters`;
  }

  /** After a closing quote; false when more text is needed. */
  private closeQuotedField(text: string, final: boolean, out: CsvBatch): boolean {
    const n = text.length;
    let p = this.pos;
    // Tolerate `"value" ,` and the CR of CRLF.
    for (let c = text.charCodeAt(p); p < n && (c === SPACE || c === CR || (c === TAB && this.delimiterCode !== TAB)); c = text.charCodeAt(++p));
    if (p === n) {
      if (!final) return false;
      this.afterQuote = false;
      this.pos = n;
      this.emit(out);
      return false;
    }
    const c = text.charCodeAt(p);
    if (c === this.delimiterCode || c === LF) {
      this.afterQuote = false;
      this.pos = p + 1;
      if (c === LF) {
        this.line++;
        this.emit(out);
      }
      return true;
    }
    // Text after a closing quote. Over several lines this is almost always an earlier stray quote
    // that paired with the opening quote of a later field.
    this.abandonRecord(text, final, out, this.line > this.recordLine ? 'unclosed quote' : 'text after a closing quote');
    return true;
  }

  /** Reports the record in progress and resumes at the line after its start. */
  private abandonRecord(text: string, final: boolean, out: CsvBatch, reason: string): void {
    out.errors.push({ line: this.recordLine, reason });
    this.fields = [];
    this.inQuote = this.afterQuote = false;
    this.nextDelimiter = this.nextNewline = -2;
    const newline = text.indexOf('\n', this.recordStart);
    this.line = this.recordLine;
    if (newline === -1) {
      // The record's first line has not ended yet: drop it up to its newline.
      this.pos = text.length;
      this.skippingLine = !final;
      return;
    }
    this.pos = newline + 1;
    this.line++;
    this.startRecord();
  }

  private emit(out: CsvBatch): void {
    if (!this.sawRecord) {
      this.sawRecord = true;
      this.maxRecordChars = Math.max(MAX_RECORD_CHARS, 2 * (this.pos - this.recordStart));
    }
    out.records.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.startRecord();
  }

  private startRecord(): void {
    this.recordStart = this.pos;
    this.recordLine = this.line;
  }

  /** Drops consumed text; the record in progress is kept whole so an error can resynchronise inside it. */
  private compact(): void {
    const cut = this.skippingLine ? this.pos : this.recordStart;
    if (cut === 0) return;
    this.buffer = this.buffer.slice(cut);
    this.pos -= cut;
    this.quoteStart -= cut;
    this.searchFrom -= cut;
    this.recordStart = Math.max(0, this.recordStart - cut);
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
