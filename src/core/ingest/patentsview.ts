/**
 * PatentsView bulk TSV tables, joined on patent_id. Each dropped file gets a feeder from
 * `PatentsViewJoin.table`; feeders stream rows into one partial record per patent (memory grows
 * with patents, which the import keeps anyway, never with file size), and `finish` emits a
 * RawPatent for every patent that has a g_patent row, in g_patent row order.
 *
 * Tables: g_patent (id, date, title), g_patent_abstract, g_ipc_at_issue (IPC split into
 * section/class/subclass/main_group/subgroup) and g_cpc_current (full CPC symbol in cpc_group).
 */
import { joinClassificationParts } from '../codes';
import { CsvRecordReader, type CsvBatch } from './csv';
import { hasValidCode, NO_TITLE_WARNING } from './presets';
import { type PatentReader, type RawPatent, type ReadBatch, type RowError } from './types';
import { NotAPatentFileError } from '../errors';

export type PatentsViewTable = 'patent' | 'abstract' | 'ipc' | 'cpc';

/** Columns each table must have; named lower-case as in the PatentsView data dictionary. */
const REQUIRED_COLUMNS: Record<PatentsViewTable, string[]> = {
  patent: ['patent_id', 'patent_date', 'patent_title'],
  abstract: ['patent_id', 'patent_abstract'],
  ipc: ['patent_id', 'section', 'ipc_class', 'subclass', 'main_group', 'subgroup'],
  cpc: ['patent_id', 'cpc_group'],
};
/** File-name stems, most specific first (`g_patent` is a prefix of `g_patent_abstract`). */
const TABLE_NAMES: [RegExp, PatentsViewTable][] = [
  [/g_patent_abstract/, 'abstract'],
  [/g_ipc_at_issue/, 'ipc'],
  [/g_cpc_current/, 'cpc'],
  [/g_patent/, 'patent'],
];
/**
 * Which table a file is: by its header columns when known (they are authoritative), else by its
 * name (`g_patent.tsv`, `2024_g_cpc_current (1).tsv`, …). Null when neither tells.
 */
export function patentsViewTableOf(fileName: string, columns?: readonly string[]): PatentsViewTable | null {
  if (columns && columns.length > 0) {
    const has = new Set(columns.map((c) => c.trim().toLowerCase()));
    if (has.has('patent_abstract')) return 'abstract';
    if (has.has('cpc_group')) return 'cpc';
    if (has.has('ipc_class')) return 'ipc';
    if (has.has('patent_date') && has.has('patent_title')) return 'patent';
    return null;
  }
  const name = fileName.toLowerCase().replace(/^.*[\\/]/, '');
  return TABLE_NAMES.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}


/** What the join knows about one patent so far. */
interface PartialPatent {
  firstFile: string;
  firstLine: number;
  /** Set by its g_patent row, even a rejected one (which is reported there, not as an orphan). */
  inPatentTable: boolean;
  /** From its g_patent row; an empty title is judged in `finish`, once the codes are known. */
  patent?: { line: number; file: string; year: number; title: string };
  abstract?: string;
  ipc?: string[];
  cpc?: string[];
}

export class PatentsViewJoin {
  private readonly records = new Map<string, PartialPatent>();
  /** patent_ids in g_patent row order: the output order. */
  private readonly order: string[] = [];
  private patentTables = 0;
  private readonly files: string[] = [];

  /** A feeder for one file; `header` (column names) identifies the table before any text arrives. */
  table(fileName: string, header?: readonly string[]): PatentReader {
    this.files.push(fileName);
    return new TableFeeder(this, fileName, header);
  }

  /** Call once, after every feeder has ended. */
  finish(): ReadBatch {
    const patents: RawPatent[] = [];
    const errors: RowError[] = [];
    const warnings: RowError[] = [];
    for (const id of this.order) {
      const record = this.records.get(id);
      if (!record?.patent) continue;
      const { line, file, year, title } = record.patent;
      const rawCodes = [...new Set([...record.ipc ?? [], ...record.cpc ?? []])];
      if (title === '') {
        // Without a title a patent is worth keeping only for its codes (co-occurrence).
        if (!hasValidCode(rawCodes)) {
          errors.push({ line, reason: 'no title', file });
          continue;
        }
        warnings.push({ line, reason: NO_TITLE_WARNING, file });
      }
      const patent: RawPatent = { line, id, year, title, rawCodes };
      if (record.abstract) patent.abstract = record.abstract;
      patents.push(patent);
    }
    const orphans = [...this.records].filter(([, r]) => !r.inPatentTable);
    if (this.patentTables === 0 && orphans.length > 0) {
      // Without g_patent every patent is an orphan: one clear message beats thousands of rows.
      errors.push({ line: 1, file: this.files[0], reason: `no g_patent table among ${this.files.join(', ')}: `
        + `it holds the titles and dates, so ${orphans.length} patents were skipped; add g_patent.tsv` });
    } else {
      for (const [id, r] of orphans) {
        errors.push({ line: r.firstLine, file: r.firstFile, reason: `patent_id ${id} has no g_patent row (no title or date)` });
      }
    }
    this.records.clear();
    this.order.length = 0;
    return warnings.length > 0 ? { patents, errors, warnings } : { patents, errors };
  }

  /** @internal Adds one data row of `table` (for TableFeeder); returns a reason when the row is rejected. */
  addRow(table: PatentsViewTable, row: (column: string) => string, file: string, line: number): string | null {
    const id = row('patent_id').trim();
    if (id === '') return 'missing patent_id';
    let record = this.records.get(id);
    if (!record) {
      record = { firstFile: file, firstLine: line, inPatentTable: false };
      this.records.set(id, record);
    }
    switch (table) {
      case 'patent': {
        if (record.inPatentTable) return `duplicate patent_id ${id}`;
        record.inPatentTable = true;
        const title = row('patent_title').replace(/\s+/g, ' ').trim();
        const date = row('patent_date').trim();
        const year = /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : NaN;
        if (!(year >= 1800 && year <= 2100)) return title === '' ? 'no title' : `bad year "${date}"`;
        record.patent = { line, file, year, title };
        this.order.push(id);
        return null;
      }
      case 'abstract':
        record.abstract ??= row('patent_abstract').trim() || undefined;
        return null;
      case 'ipc': {
        const code = joinClassificationParts(row('section'), row('ipc_class'), row('subclass'), row('main_group'), row('subgroup'));
        if (code !== '') (record.ipc ??= []).push(code);
        return null;
      }
      case 'cpc': {
        // cpc_group is the whole symbol (`H04L27/2601`); older releases held only `27/2601`.
        const group = row('cpc_group').trim();
        const subclass = row('cpc_subclass').trim();
        const code = subclass !== '' && !group.startsWith(subclass) ? `${subclass} ${group}` : group;
        if (code !== '') (record.cpc ??= []).push(code);
        return null;
      }
    }
  }

  /** @internal A g_patent header was read, so patents missing from it are orphans, not a missing table. */
  countPatentTable(): void {
    this.patentTables++;
  }
}

/** Streams one table's rows into the join; its batches carry row errors only. */
class TableFeeder implements PatentReader {
  /** The project's one CSV/TSV record reader: quoting, line numbers and recovery as for any TSV. */
  private readonly rows = new CsvRecordReader('\t');
  private kind: PatentsViewTable | null;
  private columns: Map<string, number> | null = null;
  private errors: RowError[] = [];

  constructor(private readonly join: PatentsViewJoin, private readonly fileName: string, header?: readonly string[]) {
    this.kind = patentsViewTableOf(fileName, header);
    if (header && this.kind === null) throw this.notPatentsView(`columns ${header.join(', ')} match no PatentsView table`);
  }

  push(chunk: string): ReadBatch {
    this.consume(this.rows.push(chunk));
    return this.takeBatch();
  }

  end(): ReadBatch {
    this.consume(this.rows.end());
    if (this.columns === null) throw this.notPatentsView('the file is empty');
    return this.takeBatch();
  }

  private consume(batch: CsvBatch): void {
    // Record errors come in line order within a batch, as do the records themselves.
    for (const error of batch.errors) this.errors.push({ ...error, file: this.fileName });
    for (const record of batch.records) this.onRow(record.fields, record.line);
  }

  private onRow(fields: string[], line: number): void {
    if (fields.every((field) => field.trim() === '')) return; // blank line
    const { columns, kind } = this;
    if (columns === null || kind === null) {
      this.readHeader(fields);
      return;
    }
    const reason = this.join.addRow(kind, (name) => fields[columns.get(name) ?? -1] ?? '', this.fileName, line);
    if (reason !== null) this.errors.push({ line, reason, file: this.fileName });
  }

  /** The first row names the columns; they settle which table this is. */
  private readHeader(fields: string[]): void {
    const names = fields.map((f) => f.replace(/^\uFEFF/, '').trim().toLowerCase());
    this.kind = patentsViewTableOf(this.fileName, names) ?? this.kind;
    if (this.kind === null) throw this.notPatentsView('neither its name nor its header matches a PatentsView table');
    const missing = REQUIRED_COLUMNS[this.kind].filter((c) => !names.includes(c));
    if (missing.length > 0) throw this.notPatentsView(`the ${this.kind} table lacks column(s) ${missing.join(', ')}`);
    this.columns = new Map(names.map((name, index) => [name, index]));
    if (this.kind === 'patent') this.join.countPatentTable();
  }

  private notPatentsView(detail: string): NotAPatentFileError {
    return new NotAPatentFileError(this.fileName, `${detail} (expected g_patent, g_patent_abstract, g_ipc_at_issue or g_cpc_current TSV)`);
  }

  private takeBatch(): ReadBatch {
    const errors = this.errors;
    this.errors = [];
    return { patents: [], errors };
  }
}
