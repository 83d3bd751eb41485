import type { Patent } from '../types';

export interface RowError {
  line: number;
  reason: string;
}

export interface ParseResult {
  patents: Patent[];
  errors: RowError[];
}

/**
 * JSON-lines patents, fed chunk by chunk so a file never has to be one string.
 * A bad row is reported with its 1-based line number and every other row still loads.
 */
export class JsonlPatentParser {
  private pending = '';
  private lineNumber = 0;
  private readonly result: ParseResult = { patents: [], errors: [] };

  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.parseLine(line);
  }

  end(): ParseResult {
    if (this.pending.length > 0) this.parseLine(this.pending);
    this.pending = '';
    return this.result;
  }

  private parseLine(raw: string): void {
    this.lineNumber++;
    const line = raw.trim();
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.result.errors.push({ line: this.lineNumber, reason: 'not valid JSON' });
      return;
    }
    const patent = toPatent(value);
    if (typeof patent === 'string') this.result.errors.push({ line: this.lineNumber, reason: patent });
    else this.result.patents.push(patent);
  }
}

export function parseJsonlPatents(text: string): ParseResult {
  const parser = new JsonlPatentParser();
  parser.push(text);
  return parser.end();
}

/** A Patent, or the reason the record is not one. */
function toPatent(value: unknown): Patent | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'row is not a JSON object';
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'string' && typeof id !== 'number') return 'missing id';
  const title = record.title;
  if (typeof title !== 'string' || title.trim() === '') return 'missing title';
  const year = Number(record.year);
  if (!Number.isInteger(year) || year < 1800 || year > 2100) return `bad year ${JSON.stringify(record.year)}`;
  const codes = record.codes;
  if (!Array.isArray(codes) || !codes.every((c): c is string => typeof c === 'string')) return 'codes must be a list of strings';
  const patent: Patent = { id: String(id), year, title, codes };
  if (typeof record.abstract === 'string') patent.abstract = record.abstract;
  if (typeof record.claims === 'string') patent.claims = record.claims;
  return patent;
}
