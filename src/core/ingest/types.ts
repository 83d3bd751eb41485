/**
 * Contracts between the format readers (one file each in src/core/ingest/), the ingest engine that
 * drives them on a byte stream, and the store. Pure types: no DOM, no GPU.
 *
 * A reader turns text chunks of ONE file into raw patent records. It does not normalise codes,
 * merge duplicates or touch storage: the engine does that once for every format.
 */

import type { TextEncodingName } from './encoding';

/** Formats the importer recognises. */
export type FormatKind =
  | 'csv' // generic comma-separated, header row, columns chosen by a ColumnMapping
  | 'tsv' // generic tab-separated
  | 'jsonl' // one JSON object per line
  | 'json-array' // a JSON array of objects (one file, streamed object by object)
  | 'lens-csv' // Lens.org CSV export
  | 'google-json' // Google Patents public-data JSON / JSONL export
  | 'patentsview' // PatentsView bulk TSV tables (several files joined on patent_id)
  | 'epo-xml'; // EPO publication-server ST.36 or DOCDB exchange XML

/**
 * A problem with one row (or XML document) that kept it out; the rest of the file still loads.
 * Warnings have the same shape.
 */
export interface RowError {
  /** 1-based physical line where the row (record, object, document) starts. */
  line: number;
  reason: string;
  /** File name, when several files are imported together. */
  file?: string;
}

/**
 * One patent as found in the file, before code normalisation and duplicate merging.
 * `year` is already resolved from a year or a date column (the reader reports a bad one as RowError).
 */
export interface RawPatent {
  line: number;
  id: string;
  year: number;
  title: string;
  abstract?: string;
  claims?: string;
  /** Code strings exactly as written (`H04L 27/26 (2006.01)`, `H04L0027260000`, …). */
  rawCodes: string[];
}

export interface ReadBatch {
  patents: RawPatent[];
  errors: RowError[];
  /** Problems that kept nothing out (a patent without a title, a repeated key); absent when none. */
  warnings?: RowError[];
}

/**
 * Streaming reader for one file. `push` receives decoded text in arbitrary pieces (a piece may end
 * mid-line, mid-quote, mid-tag or mid-character-reference); `end` flushes what is left.
 * Each call returns only the records completed by that call, so memory stays bounded.
 * A reader must never throw on malformed input: it reports RowErrors, or for a file that is not
 * its format at all throws NotAPatentFileError from the first push/end that can tell.
 */
export interface PatentReader {
  push(chunk: string): ReadBatch;
  end(): ReadBatch;
}

/**
 * Which source columns feed which patent fields, for CSV/TSV/JSON formats. Column names are the
 * header names (CSV/TSV) or object keys (JSON). Several `codes` columns may be given; within one
 * cell codes are split on `codeSeparator` (default: the first of `;;`, `;`, `|`, `,` present).
 */
export interface ColumnMapping {
  id?: string; // when absent the reader uses `row-<line>`
  title: string;
  abstract?: string;
  claims?: string;
  /** A year column (2001) or a date column (2001-05-17, 20010517, 17.05.2001, 2001/05/17). */
  year?: string;
  date?: string;
  codes: string[];
  codeSeparator?: string;
}

/** What detection concluded from the file name and its first bytes. */
export interface DetectedFormat {
  kind: FormatKind;
  /** 0..1; below CONFIDENT_DETECTION the UI asks the user to confirm or edit the mapping. */
  confidence: number;
  /** Header names or the first object's keys, for the mapping editor. */
  columns: string[];
  /** Proposed mapping for tabular/JSON formats; undefined for formats with a fixed schema. */
  mapping?: ColumnMapping;
  /** Why detection chose this, shown to the user. */
  explanation: string;
  /** Field separator of a 'csv' file when it is not a comma (';' from European-locale spreadsheets). */
  delimiter?: ';';
  /** How the file's bytes are decoded when it is not UTF-8 (the import may still switch to Windows-1252). */
  encoding?: TextEncodingName;
}

export const CONFIDENT_DETECTION = 0.8;

