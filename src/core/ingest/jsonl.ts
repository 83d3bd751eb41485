/** Reader for JSON lines: one patent object per line. */
import { addElement, MAX_ELEMENT_CHARS } from './json-values';
import { type ColumnMapping, type PatentReader, type ReadBatch } from './types';
import { NotAPatentFileError } from '../errors';

/** If this many non-blank lines in a row fail before any parses, the file is not JSONL. */
const JSONL_PROBE_LINES = 5;

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

