/**
 * Reader for Google Patents exports, which come as JSON lines or as a JSON array: the first
 * non-blank character decides.
 */
import { JsonArrayPatentReader } from './json-array';
import { JsonlPatentReader } from './jsonl';
import { type ColumnMapping, type PatentReader, type ReadBatch } from './types';
import { NotAPatentFileError } from '../errors';

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
