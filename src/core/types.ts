/** Canonical code string, e.g. `H04L` or `H04L 27/26` (see codes.ts). */
export type CodeId = string;

export interface Patent {
  id: string;
  year: number;
  title: string;
  abstract?: string;
  claims?: string;
  codes: CodeId[];
}

export type CodeLevel = 'subclass' | 'main_group' | 'subgroup';

/** Patent embeddings, row-major, one row per id, L2-normalised unless stated. */
export interface EmbeddingSet {
  modelId: string;
  dim: number;
  ids: string[];
  vectors: Float32Array;
}

/** One vector per technology code: the mean of the embeddings of the patents that carry it. */
export interface CodeVectors {
  level: CodeLevel;
  method: 'mean-of-patents' | 'techtoken';
  codes: CodeId[];
  dim: number;
  vectors: Float32Array;
  /** Number of patents that carry each code. */
  counts: Uint32Array;
}

export interface Neighbour {
  code: CodeId;
  similarity: number;
}
