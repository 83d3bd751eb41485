import type { CodeLevel } from '../types';
import type { TextEncodingName } from './encoding';
import type { FormatKind, RowError } from './types';

/** Kept in full up to this many entries; counts are always exact. */
export const MAX_LISTED_ISSUES = 1000;

export interface RejectedCode {
  /** The code as written in the file. */
  code: string;
  file?: string;
  /** Lines (1-based) of the rows that carried it, up to MAX_LISTED_ISSUES. */
  lines: number[];
}

/** What an import did, shown to the user and stored with the dataset. */
export interface ImportReport {
  /** `encoding`: how the file was decoded (set by every import since encodings were detected). */
  files: { name: string; bytes: number; format: FormatKind; encoding?: TextEncodingName }[];
  /** Files that were not patent files at all (one message each); the other files still imported. */
  fileErrors: { file: string; message: string }[];
  bytes: number;
  rowsRead: number;
  patentsImported: number;
  /** Rows whose id had been seen before (in this file or another file of the import). */
  duplicatesMerged: number;
  rowErrors: RowError[];
  rowErrorCount: number;
  /**
   * Things the user should know that kept nothing out: the encoding a file was read in, a patent
   * without a title, a key given twice. Optional because reports stored before they existed lack them.
   */
  warnings?: RowError[];
  warningCount?: number;
  rejectedCodes: RejectedCode[];
  rejectedCodeCount: number;
  patentsPerYear: Record<number, number>;
  /** Distinct codes at each level among imported patents. */
  codesPerLevel: Record<CodeLevel, number>;
  durationMs: number;
}
