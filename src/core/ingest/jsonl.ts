/** Reader for JSON lines: one patent object per line. */
import { addElement } from './json-values';
import { JsonlLines } from './jsonl-lines';
import { type ColumnMapping, type PatentReader, type ReadBatch } from './types';
import { NotAPatentFileError } from '../errors';

/** If this many non-blank lines in a row fail before any parses, the file is not JSONL. */
const JSONL_PROBE_LINES = 5;

/** One JSON object per line; the line splitting is JsonlLines'. */
export class JsonlPatentReader implements PatentReader {
  /** The batch the current push/end fills. */
  private out: ReadBatch = { patents: [], errors: [] };
  private readonly lines = new JsonlLines({
    line: (line, text) => this.onLine(line, text),
    tooLong: (line, maxChars) => this.out.errors.push({ line, reason: `line longer than ${maxChars} characters`, file: this.fileName }),
  });
  /** Until one line parses as an object, count failures to tell "broken rows" from "not JSONL". */
  private sawObject = false;
  private failuresBeforeObject = 0;

  constructor(private readonly mapping: ColumnMapping, private readonly fileName: string) {}

  push(chunk: string): ReadBatch {
    const out: ReadBatch = (this.out = { patents: [], errors: [] });
    this.lines.push(chunk);
    return out;
  }

  end(): ReadBatch {
    const out: ReadBatch = (this.out = { patents: [], errors: [] });
    this.lines.end();
    if (!this.sawObject && this.failuresBeforeObject === 0) {
      throw new NotAPatentFileError(this.fileName, 'the file is empty; expected one JSON patent object per line');
    }
    if (!this.sawObject) this.notJsonl();
    return out;
  }

  private onLine(line: number, text: string): void {
    const isObjectLine = addElement(this.out, { line, text }, this.mapping, this.fileName);
    if (isObjectLine) this.sawObject = true;
    else if (!this.sawObject && ++this.failuresBeforeObject >= JSONL_PROBE_LINES) this.notJsonl();
  }

  private notJsonl(): never {
    throw new NotAPatentFileError(this.fileName, 'its first lines are not JSON objects; expected one JSON patent object per line');
  }
}
