import { throwIfAborted } from '../abort';
import type { PairCosineFn } from '../pair-cosine';
import { cosineBlock, DEFAULT_CPU_BLOCK_BYTES, normalizeRows } from '../similarity';
import type { CandidatePairs } from './candidates';

/** Code vectors of one method: `codes.length × dim`, row-major, any scale (rows get normalised). */
export interface CodeEmbedding {
  codes: readonly string[];
  dim: number;
  vectors: Float32Array;
}

/**
 * Scores of rows [blockStart, blockStart + blockRows) of `normalized` (rows × dim, unit rows)
 * against rows [blockStart, rows): a blockRows × (rows − blockStart) row-major matrix. The CPU
 * twin is the default (the GPU scores pairs instead: see `pairCosines`).
 */
export type CosineBlockFn = (
  normalized: Float32Array,
  rows: number,
  dim: number,
  blockStart: number,
  blockRows: number,
) => Float32Array | Promise<Float32Array>;

export const cpuCosineBlock: CosineBlockFn = (normalized, rows, dim, blockStart, blockRows) =>
  cosineBlock(
    normalized.subarray(blockStart * dim, (blockStart + blockRows) * dim),
    blockRows,
    normalized.subarray(blockStart * dim),
    rows - blockStart,
    dim,
  );

export interface CandidateCosineOptions {
  cosineBlock?: CosineBlockFn;
  /**
   * Scores the candidate pairs themselves instead of blocks of the upper triangle (the GPU's
   * gpuPairCosines, or its CPU twin pairCosines): rows are the codes, pairs the candidates.
   * Takes precedence over `cosineBlock`; `maxBlockBytes` then does not apply.
   */
  pairCosines?: PairCosineFn;
  /** Cap on one block of scores (default 16 MiB): the n×n matrix never exists. */
  maxBlockBytes?: number;
  signal?: AbortSignal;
  /** Candidate pairs scored so far, of all. */
  onBlock?: (done: number, total: number) => void;
}

export interface CandidateCosines {
  scores: Float32Array;
  /** Candidates with a code the embedding has no vector for: scored 0, as a zero vector would be. */
  missingPairs: number;
}

/**
 * Cosine similarity of every candidate pair under one embedding. Only codes that occur in a
 * candidate are kept (ascending code id), normalised once, and scored in blocks of consecutive
 * first codes against the codes from the block on (the upper triangle): candidates are sorted by
 * first code, so each block's candidates are one contiguous run.
 */
export async function candidateCosines(
  embedding: CodeEmbedding,
  codeNames: readonly string[],
  candidates: CandidatePairs,
  options: CandidateCosineOptions = {},
): Promise<CandidateCosines> {
  const { dim } = embedding;
  const embeddingRow = new Map(embedding.codes.map((code, r) => [code, r]));
  const used = new Uint8Array(candidates.codeCount);
  for (let c = 0; c < candidates.length; c++) {
    used[candidates.first[c]] = 1;
    used[candidates.second[c]] = 1;
  }
  if (options.pairCosines) return scorePairs(embedding, embeddingRow, codeNames, candidates, used, options.pairCosines, options);
  const rowOfCode = new Int32Array(candidates.codeCount).fill(-1);
  const sourceRows: number[] = [];
  for (let i = 0; i < candidates.codeCount; i++) {
    const source = used[i] ? embeddingRow.get(codeNames[i]) : undefined;
    if (source === undefined) continue;
    rowOfCode[i] = sourceRows.length;
    sourceRows.push(source);
  }
  const rows = sourceRows.length;
  const gathered = new Float32Array(rows * dim);
  sourceRows.forEach((source, r) => gathered.set(embedding.vectors.subarray(source * dim, (source + 1) * dim), r * dim));
  const normalized = normalizeRows(gathered, rows, dim);

  const scores = new Float32Array(candidates.length);
  let missingPairs = 0;
  const scoreBlock = options.cosineBlock ?? cpuCosineBlock;
  const rowsPerBlock = Math.max(1, Math.floor((options.maxBlockBytes ?? DEFAULT_CPU_BLOCK_BYTES) / (Math.max(rows, 1) * 4)));
  let c = 0;
  for (let blockStart = 0; blockStart < rows; blockStart += rowsPerBlock) {
    throwIfAborted(options.signal);
    const blockRows = Math.min(rowsPerBlock, rows - blockStart);
    const width = rows - blockStart;
    const block = await scoreBlock(normalized, rows, dim, blockStart, blockRows);
    // Candidates whose first code has no vector sit between blocks; they score 0.
    for (; c < candidates.length; c++) {
      const r1 = rowOfCode[candidates.first[c]];
      const r2 = rowOfCode[candidates.second[c]];
      if (r1 >= blockStart + blockRows) break;
      if (r1 < 0 || r2 < 0) {
        missingPairs++;
        continue;
      }
      scores[c] = block[(r1 - blockStart) * width + (r2 - blockStart)];
    }
    options.onBlock?.(c, candidates.length);
  }
  for (; c < candidates.length; c++) missingPairs++;
  return { scores, missingPairs };
}

/**
 * The pair path: one row per code id (zero for codes without a vector or in no candidate, so such
 * pairs score exactly 0 as on the block path), normalised once, and the candidate lists passed as
 * the pairs, so nothing the size of the upper triangle is computed or copied.
 */
async function scorePairs(
  embedding: CodeEmbedding,
  embeddingRow: ReadonlyMap<string, number>,
  codeNames: readonly string[],
  candidates: CandidatePairs,
  used: Uint8Array,
  score: PairCosineFn,
  options: CandidateCosineOptions,
): Promise<CandidateCosines> {
  throwIfAborted(options.signal);
  const { dim } = embedding;
  const rows = candidates.codeCount;
  const table = new Float32Array(rows * dim);
  const hasVector = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const source = used[i] ? embeddingRow.get(codeNames[i]) : undefined;
    if (source === undefined) continue;
    table.set(embedding.vectors.subarray(source * dim, (source + 1) * dim), i * dim);
    hasVector[i] = 1;
  }
  const normalized = normalizeRows(table, rows, dim);
  let missingPairs = 0;
  for (let c = 0; c < candidates.length; c++) {
    if (!hasVector[candidates.first[c]] || !hasVector[candidates.second[c]]) missingPairs++;
  }
  const first = candidates.first.subarray(0, candidates.length);
  const second = candidates.second.subarray(0, candidates.length);
  const scores = await score(normalized, rows, dim, first, second);
  options.onBlock?.(candidates.length, candidates.length);
  return { scores, missingPairs };
}
