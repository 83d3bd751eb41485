/**
 * Splits streamed text into JSON lines, for every JSONL reader (patents, catalogue texts). Lines
 * are collected as pieces, so a long line arriving in tiny chunks stays linear; a line longer than
 * any real record is dropped up to its newline and reported, so one missing newline cannot swallow
 * the file. Blank lines are skipped but counted, so line numbers are the file's.
 */
import { MAX_ELEMENT_CHARS } from './json-values';

export interface JsonlLineHandler {
  /** A non-blank line, with its 1-based line number. */
  line(line: number, text: string): void;
  /** A line that passed `maxChars` and was dropped. */
  tooLong(line: number, maxChars: number): void;
}

export class JsonlLines {
  /** The line in progress, as received; `pendingChars` is their total length. */
  private pieces: string[] = [];
  private pendingChars = 0;
  /** Dropping the rest of an over-long line up to its newline. */
  private skippingLine = false;
  private lineCount = 0;
  private sawText = false;

  constructor(private readonly handler: JsonlLineHandler, private readonly maxChars = MAX_ELEMENT_CHARS) {}

  /** Lines finished so far (blank ones included). */
  get lines(): number {
    return this.lineCount;
  }

  push(chunk: string): void {
    if (!this.sawText && chunk.length > 0) {
      this.sawText = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      this.addPiece(chunk.slice(start, newline));
      this.finishLine();
      start = newline + 1;
    }
    if (start < chunk.length) this.addPiece(chunk.slice(start));
  }

  /** Finishes a last line that had no newline. */
  end(): void {
    if (this.pieces.length > 0 || this.skippingLine) this.finishLine();
  }

  private addPiece(piece: string): void {
    if (this.skippingLine) return;
    this.pendingChars += piece.length;
    if (this.pendingChars <= this.maxChars) {
      this.pieces.push(piece);
      return;
    }
    this.handler.tooLong(this.lineCount + 1, this.maxChars);
    this.pieces = [];
    this.skippingLine = true;
  }

  private finishLine(): void {
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    const skipped = this.skippingLine;
    this.pieces = [];
    this.pendingChars = 0;
    this.skippingLine = false;
    this.lineCount++;
    if (skipped || text.trim() === '') return;
    this.handler.line(this.lineCount, text);
  }
}
