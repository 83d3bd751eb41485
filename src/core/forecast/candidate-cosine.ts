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
 * twin is the default and wasmCosineBlock (src/core/fast-cosine) the fast CPU one; the GPU scores
 * candidate pairs instead (see `pairCosines`).
 *
 * `out`, when given, has exactly that many elements and is the caller's buffer, reused for the
 * next block once this one has been read: a scorer may fill it and return it instead of
 * allocating (a fresh 16 MiB array per block costs its page faults, ~10 % of a fast CPU run).
 * A scorer may also ignore it and return its own array.
 */
export type CosineBlockFn = (
  normalized: Float32Array,
  rows: number,
  dim: number,
  blockStart: number,
  blockRows: number,
  out?: Float32Array,
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
  const used = usedCodes(candidates);
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
  // One block buffer for the whole run, offered to the scorer as `out` for as long as it uses it
  // (the twin and the GPU scorer return their own arrays; the buffer is then dropped).
  let buffer: Float32Array | undefined = new Float32Array(Math.min(rowsPerBlock, rows) * rows);
  let c = 0;
  for (let blockStart = 0; blockStart < rows; blockStart += rowsPerBlock) {
    throwIfAborted(options.signal);
    const blockRows = Math.min(rowsPerBlock, rows - blockStart);
    const width = rows - blockStart;
    const out = buffer?.subarray(0, blockRows * width);
    const block = await scoreBlock(normalized, rows, dim, blockStart, blockRows, out);
    if (block !== out) buffer = undefined;
    const gathered = gatherBlock(candidates, rowOfCode, block, blockStart, blockStart + blockRows, width, c, scores);
    c = gathered.next;
    missingPairs += gathered.missing;
    options.onBlock?.(c, candidates.length);
  }
  for (; c < candidates.length; c++) missingPairs++;
  return { scores, missingPairs };
}

/**
 * End of the run of candidates from `c` that share its first code. `first` is sorted, so an
 * exponential then binary search finds it in O(log run) reads instead of reading the whole run:
 * for 8,000 codes that skips 32 M reads.
 */
function runEnd(first: Uint32Array, c: number, length: number): number {
  const code = first[c];
  let inside = c; // first[inside] === code
  let step = 1;
  while (inside + step < length && first[inside + step] === code) {
    inside += step;
    step *= 2;
  }
  let outside = Math.min(length, inside + step); // first[outside] !== code, or the end
  while (outside - inside > 1) {
    const mid = (inside + outside) >>> 1;
    if (first[mid] === code) inside = mid;
    else outside = mid;
  }
  return outside;
}

/**
 * Whether second codes [c, end) are consecutive integers. Within a run they ascend strictly (the
 * candidates are distinct pairs sorted by (first, second)), so the two ends decide it. Dense
 * candidate sets (most code pairs never co-occur) are mostly such runs.
 */
function consecutive(second: Uint32Array, c: number, end: number): boolean {
  return second[end - 1] - second[c] === end - 1 - c;
}

/** Marks every code that occurs in a candidate. */
function usedCodes(candidates: CandidatePairs): Uint8Array {
  const used = new Uint8Array(candidates.codeCount);
  const { first, second, length } = candidates;
  for (let c = 0; c < length;) {
    const end = runEnd(first, c, length);
    used[first[c]] = 1;
    if (consecutive(second, c, end)) used.fill(1, second[c], second[end - 1] + 1);
    else for (let k = c; k < end; k++) used[second[k]] = 1;
    c = end;
  }
  return used;
}

/** Where {@link gatherBlock} stopped, and how many candidates it met with a code without a vector. */
interface Gathered {
  next: number;
  missing: number;
}

/**
 * Copies the scores of candidates from `c` on whose first code's row is below `rowEnd` out of
 * one block. Candidates with a code without a vector (row −1) keep their 0 and are counted;
 * those whose first code has none sit between blocks. Each run of one first code reads one row
 * of the block; a run of consecutive codes that all have consecutive rows (rows ascend with
 * code ids and skip codes without a vector, so equal spans at the two ends prove it) is one
 * contiguous slice of that row and is copied as such. A synchronous function over local typed
 * arrays, apart from the async caller, so V8 optimises it as a tight loop.
 */
function gatherBlock(
  candidates: CandidatePairs,
  rowOfCode: Int32Array,
  block: Float32Array,
  blockStart: number,
  rowEnd: number,
  width: number,
  c: number,
  scores: Float32Array,
): Gathered {
  const { first, second, length } = candidates;
  let missing = 0;
  while (c < length) {
    const r1 = rowOfCode[first[c]];
    if (r1 >= rowEnd) break;
    const end = runEnd(first, c, length);
    const base = (r1 - blockStart) * width - blockStart;
    const low = rowOfCode[second[c]];
    if (r1 < 0) {
      missing += end - c;
    } else if (low >= 0 && consecutive(second, c, end) && rowOfCode[second[end - 1]] - low === end - 1 - c) {
      scores.set(block.subarray(base + low, base + low + end - c), c);
    } else {
      for (let k = c; k < end; k++) {
        const r2 = rowOfCode[second[k]];
        if (r2 >= 0) scores[k] = block[base + r2];
        else missing++;
      }
    }
    c = end;
  }
  return { next: c, missing };
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
