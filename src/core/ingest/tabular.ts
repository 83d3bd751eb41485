/**
 * The tabular patent reader: generic CSV, TSV and Lens.org exports differ only in delimiter and
 * column mapping. Records come from the CSV record reader; this maps them to RawPatents.
 */
import { splitCodeCell } from '../codes';
import { CsvRecordReader, type CsvBatch, type CsvRecord } from './csv';
import { NO_TITLE_WARNING, toRawPatent, type MappedRecord } from './presets';
import { type ColumnMapping, type PatentReader, type RawPatent, type ReadBatch } from './types';
import { NotAPatentFileError } from '../errors';

/** Header positions of the mapped columns; -1 when absent. */
interface ColumnIndex {
  width: number;
  id: number;
  title: number;
  abstract: number;
  claims: number;
  year: number;
  date: number;
  codes: number[];
}

/** Reads a header row, then maps every record to a RawPatent through a ColumnMapping. */
export class TabularPatentReader implements PatentReader {
  private readonly records: CsvRecordReader;
  /** Set by the first record (the header). */
  private columns: ColumnIndex | null = null;

  constructor(
    delimiter: ',' | '\t' | ';',
    private readonly mapping: ColumnMapping,
    private readonly fileName: string,
  ) {
    this.records = new CsvRecordReader(delimiter);
  }

  push(chunk: string): ReadBatch {
    return this.convert(this.records.push(chunk));
  }

  end(): ReadBatch {
    const batch = this.convert(this.records.end());
    if (this.columns === null) {
      throw new NotAPatentFileError(this.fileName, 'the file is empty; expected a header row and one patent per row');
    }
    return batch;
  }

  private convert(batch: CsvBatch): ReadBatch {
    const out: ReadBatch = { patents: [], errors: batch.errors.map((error) => ({ ...error, file: this.fileName })) };
    for (const record of batch.records) {
      if (this.columns === null) {
        this.columns = this.resolveHeader(record.fields);
        continue;
      }
      const result = this.toPatent(this.columns, record);
      if (typeof result === 'string') {
        out.errors.push({ line: record.line, reason: result, file: this.fileName });
      } else if (result !== null) {
        out.patents.push(result);
        if (result.title === '') (out.warnings ??= []).push({ line: record.line, reason: NO_TITLE_WARNING, file: this.fileName });
      }
    }
    // Parse errors and mapping errors were collected apart: restore file order.
    if (batch.errors.length > 0) out.errors.sort((a, b) => a.line - b.line);
    return out;
  }

  /** A patent, a RowError reason, or null for a row with nothing in it (spreadsheets leave `,,,` rows). */
  private toPatent(columns: ColumnIndex, { line, fields }: CsvRecord): RawPatent | string | null {
    if (fields.every((field) => field.trim() === '')) return null;
    if (fields.length < columns.width || (fields.length > columns.width && fields.slice(columns.width).some((f) => f.trim() !== ''))) {
      return `expected ${columns.width} fields as in the header, found ${fields.length}`;
    }
    const at = (index: number): string | undefined => (index === -1 ? undefined : fields[index]);
    const codes: string[] = [];
    for (const index of columns.codes) codes.push(...splitCodeCell(fields[index], this.mapping.codeSeparator));
    const mapped: MappedRecord = {
      id: at(columns.id),
      title: at(columns.title),
      abstract: at(columns.abstract),
      claims: at(columns.claims),
      year: at(columns.year),
      date: at(columns.date),
      codes,
    };
    return toRawPatent(mapped, line);
  }

  private resolveHeader(header: string[]): ColumnIndex {
    const names = header.map((name) => name.trim());
    const lowered = names.map((name) => name.toLowerCase());
    const find = (column: string | undefined): number => {
      if (column === undefined) return -1;
      const exact = names.indexOf(column.trim());
      return exact !== -1 ? exact : lowered.indexOf(column.trim().toLowerCase());
    };
    const listed = names.slice(0, 12).map((name) => JSON.stringify(name)).join(', ') + (names.length > 12 ? ', …' : '');
    const columns: ColumnIndex = {
      width: header.length,
      id: find(this.mapping.id),
      title: find(this.mapping.title),
      abstract: find(this.mapping.abstract),
      claims: find(this.mapping.claims),
      year: find(this.mapping.year),
      date: find(this.mapping.date),
      // Absent code columns are skipped (a Lens export may omit CPC); a patent without codes still loads.
      codes: this.mapping.codes.map(find).filter((index) => index !== -1),
    };
    if (columns.title === -1) {
      throw new NotAPatentFileError(this.fileName, `it has no "${this.mapping.title}" title column (its header: ${listed})`);
    }
    if (columns.year === -1 && columns.date === -1) {
      throw new NotAPatentFileError(this.fileName, `it has no year or date column (its header: ${listed})`);
    }
    return columns;
  }
}
