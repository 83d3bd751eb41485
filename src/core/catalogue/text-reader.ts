/**
 * Streaming reader for catalogue text files: JSON lines with at least `id` and `text`, the shape of
 * bref.jsonl (`id, bref, section, title, path, chapter, is_technique_section, text, pollutants`).
 * A company's own technique list in that shape (`id, title, text`) reads the same way. Lines are
 * split by the patent importer's JsonlLines; a malformed line becomes a RowError with its line
 * number and every other line still loads.
 */
import { JsonlLines } from '../ingest/jsonl-lines';
import type { RowError } from '../ingest/types';
import { NotACatalogueFileError } from './errors';

/** One line of the file, fields renamed to the app's; absent fields stay absent. */
export interface CatalogueTextRow {
  line: number;
  id: string;
  /** Absent when the line has none (null, missing or only blanks). */
  text?: string;
  title?: string;
  document?: string;
  number?: string;
  path?: string[];
  chapter?: string;
  isTechnique?: boolean;
  pollutants?: string[];
}

export interface TextReadBatch {
  rows: CatalogueTextRow[];
  errors: RowError[];
  /** Fields that were ignored because of their type; the row itself loaded. */
  warnings: RowError[];
}

/** As in the patent JSONL reader: this many failing lines before any object means "not JSON lines". */
const PROBE_LINES = 5;

const STRING_FIELDS = [
  ['title', 'title'],
  ['bref', 'document'],
  ['section', 'number'],
  ['chapter', 'chapter'],
] as const;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The row of one parsed line, or the reason it was rejected. Warnings for ignored fields go to `warn`. */
export function toTextRow(value: unknown, line: number, warn: (reason: string) => void): CatalogueTextRow | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const rawId = record.id;
  const id = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : undefined;
  if (id === undefined || id === '') return rawId === undefined ? 'no "id"' : '"id" must be a non-empty string';
  const row: CatalogueTextRow = { line, id };
  const text = record.text;
  if (typeof text === 'string') {
    if (text.trim() !== '') row.text = text;
  } else if (text !== undefined && text !== null) {
    return '"text" must be a string or null';
  }
  for (const [key, field] of STRING_FIELDS) {
    const v = record[key];
    if (typeof v === 'string') row[field] = v;
    else if (v !== undefined && v !== null) warn(`"${key}" is not a string: ignored`);
  }
  if (isStringArray(record.path)) row.path = record.path;
  else if (record.path !== undefined && record.path !== null) warn('"path" is not a list of strings: ignored');
  if (typeof record.is_technique_section === 'boolean') row.isTechnique = record.is_technique_section;
  else if (record.is_technique_section !== undefined && record.is_technique_section !== null) warn('"is_technique_section" is not true/false: ignored');
  if (isStringArray(record.pollutants)) row.pollutants = record.pollutants;
  else if (record.pollutants !== undefined && record.pollutants !== null) warn('"pollutants" is not a list of strings: ignored');
  return row;
}

export class CatalogueTextReader {
  private out: TextReadBatch = emptyBatch();
  private readonly lines = new JsonlLines({
    line: (line, text) => this.onLine(line, text),
    tooLong: (line, maxChars) => this.out.errors.push({ line, reason: `line longer than ${maxChars} characters`, file: this.fileName }),
  });
  private sawObject = false;
  private failuresBeforeObject = 0;

  constructor(private readonly fileName: string) {}

  push(chunk: string): TextReadBatch {
    const out = (this.out = emptyBatch());
    this.lines.push(chunk);
    return out;
  }

  end(): TextReadBatch {
    const out = (this.out = emptyBatch());
    this.lines.end();
    if (!this.sawObject && this.failuresBeforeObject === 0) throw new NotACatalogueFileError(this.fileName, 'the file is empty');
    if (!this.sawObject) this.notJsonl();
    return out;
  }

  private onLine(line: number, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.reject(line, 'not valid JSON', false);
      return;
    }
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (isObject) this.sawObject = true;
    const row = toTextRow(value, line, (reason) => this.out.warnings.push({ line, reason, file: this.fileName }));
    if (typeof row === 'string') this.reject(line, row, isObject);
    else this.out.rows.push(row);
  }

  private reject(line: number, reason: string, wasObject: boolean): void {
    this.out.errors.push({ line, reason, file: this.fileName });
    if (!wasObject && !this.sawObject && ++this.failuresBeforeObject >= PROBE_LINES) this.notJsonl();
  }

  private notJsonl(): never {
    throw new NotACatalogueFileError(this.fileName, 'its first lines are not JSON objects');
  }
}

function emptyBatch(): TextReadBatch {
  return { rows: [], errors: [], warnings: [] };
}
