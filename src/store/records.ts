/**
 * Shapes of the records in the current (v2) database. Historical shapes live next to their
 * migration in schema.ts. Everything here must survive structured cloning: plain objects, arrays,
 * numbers, strings and typed arrays only.
 */
import type { CodeId, CodeLevel, Patent } from '../core/types';
import type { ImportReport } from '../core/ingest/report';

export type DatasetStatus = 'importing' | 'ready';

export interface SourceFile {
  name: string;
  bytes: number;
}

export interface DatasetRecord {
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  level: CodeLevel;
  /** 'importing' until finishImport; such datasets are never listed. */
  status: DatasetStatus;
  /** Set by softDelete (ms since the epoch); the dataset is hidden until undoDelete or purgeDeleted. */
  deletedAt?: number;
  patentCount: number;
  codeCount: number;
  /**
   * Identity of its content across machines (core/dataset-fingerprint.ts), set when the import
   * finishes; a link names the dataset by it. Records from before it have none (links use the id).
   */
  fingerprint?: string;
  report?: ImportReport;
  sourceFiles: SourceFile[];
}

/** A patent as stored: the key is [datasetId, id], so the same patent id may live in several datasets. */
export interface StoredPatent extends Patent {
  datasetId: string;
}

/** How many patents of a dataset carry a code. Key [datasetId, code]. */
export interface CodeRecord {
  datasetId: string;
  code: CodeId;
  patents: number;
}

/**
 * One slice of a dataset's embeddings for one model. Key [datasetId, modelId, chunk]; chunks are
 * numbered from 0 so that key order is row order. Slicing keeps each record a few MB, which IndexedDB
 * writes and reads far more reliably than one record of hundreds of MB.
 */
export interface EmbeddingChunkRecord {
  datasetId: string;
  modelId: string;
  chunk: number;
  dim: number;
  /** Patent ids of the rows in this chunk. */
  ids: string[];
  /** ids.length × dim floats, row-major. */
  vectors: Float32Array;
}

/** A computed result (forecast, match list) kept with its dataset. */
export interface ResultRecord {
  id: string;
  datasetId: string;
  /** What produced it, e.g. 'forecast'; the owner of the kind defines `value`. */
  kind: string;
  createdAt: number;
  value: unknown;
}
