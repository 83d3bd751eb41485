import { throwIfAborted } from '../abort';
import type { CosineBlockFn } from '../forecast/candidate-cosine';
import { fastCpuCosineBlock } from '../fast-cosine/wasm-cosine';
import { assertMatrix, normalizeRows, type TopK } from '../similarity';

/**
 * Stage 1 of patent → BREF section matching, embedding side: the top-k sections of every patent
 * and the top-k patents of every section by cosine similarity, without the P × S matrix.
 *
 * Patents are scored in row blocks against all sections: memory is O(block × S + (P + S) × k)
 * besides the inputs, so 650,000 patents × 4,212 sections (11 GB of f32 scores) fit a tab.
 * Tie rule (the one of topkRows and the WGSL top-k kernel): among equal scores the lower index
 * ranks first, in both directions; a list with fewer than k entries is padded with index −1,
 * score −Infinity. The lists are merged in one sweep per block rather than by topkRows, see
 * {@link mergeBlock}.
 */

/**
 * A rectangular scorer: the blockRows × sectionRows row-major matrix of dot products of the unit
 * rows `block` against the unit rows `sections`. `cosineBlock` of similarity.ts has exactly this
 * shape (the scalar twin). May fill and return `out` (exactly that size) instead of allocating.
 */
export type CrossCosineFn = (
  block: Float32Array,
  blockRows: number,
  sections: Float32Array,
  sectionRows: number,
  dim: number,
  out?: Float32Array,
) => Float32Array | Promise<Float32Array>;

export interface CrossTopKOptions {
  /** Entries per patent list and per section list (default 10). */
  k?: number;
  /**
   * The project's block scorer (the triangular contract of candidate-cosine.ts): default the fast
   * CPU one, `fastCpuCosineBlock()` (WebAssembly SIMD where it validates). A GPU runner with the
   * same contract plugs in here. See {@link crossFromCosineBlock} for how it is used.
   */
  cosineBlock?: CosineBlockFn;
  /** A rectangular scorer instead (e.g. similarity.ts `cosineBlock`); takes precedence. */
  crossCosine?: CrossCosineFn;
  /** Cap on one block of scores (default {@link DEFAULT_CROSS_BLOCK_BYTES}); at least one patent row per block. */
  maxBlockBytes?: number;
  /** Rows are already unit length: skip the normalisation (saves a copy of each block). */
  normalized?: boolean;
  signal?: AbortSignal;
  /** Patent rows scored so far, of all; called after every block. */
  onProgress?: (done: number, total: number) => void;
}

export interface CrossTopK {
  /** patents × k: each patent's best sections. */
  perPatent: TopK;
  /** sections × k: each section's best patents. */
  perSection: TopK;
}

const F32 = 4;
/**
 * 8 MiB of scores per block: ~450 patent rows against 4,212 sections. Larger blocks waste more on
 * the stacked layout's patent × patent corner, smaller ones repack the sections more often; on the
 * WebAssembly kernel 8 MiB ran fastest of 2–32 MiB (test/bench/prefilter.bench.ts).
 */
export const DEFAULT_CROSS_BLOCK_BYTES = 8 * 1024 * 1024;

/**
 * Adapts a triangular CosineBlockFn (rows [s, s + r) of one matrix against rows [s, rows)) to the
 * rectangular contract: the block's patent rows are stacked above the sections and the first
 * `blockRows` rows are scored from 0, which gives blockRows × (blockRows + S); the leading
 * blockRows columns (patent against patent) are thrown away. That costs blockRows / S extra work,
 * halved on the WebAssembly kernel, which skips and mirrors the lower triangle, plus one
 * repacking of the sections per block on that kernel (it repacks at every blockStart 0): both are
 * a few per cent at the default block size. The result is a strided view, so the caller reads
 * row r at r × (blockRows + S) + blockRows; see {@link crossTopK}.
 */
export function crossFromCosineBlock(scorer: CosineBlockFn): StridedCrossFn {
  let stacked: Float32Array | undefined;
  let stackedFor: Float32Array | undefined;
  let buffer: Float32Array | undefined;
  return async (block, blockRows, sections, sectionRows, dim) => {
    const rows = blockRows + sectionRows;
    // One stacked matrix per sections array and block height; only the patent rows change.
    if (stacked === undefined || stackedFor !== sections || stacked.length !== rows * dim) {
      stacked = new Float32Array(rows * dim);
      stacked.set(sections, blockRows * dim);
      stackedFor = sections;
    }
    stacked.set(block.subarray(0, blockRows * dim));
    if (buffer === undefined || buffer.length !== blockRows * rows) buffer = new Float32Array(blockRows * rows);
    const scores = await scorer(stacked, rows, dim, 0, blockRows, buffer);
    if (scores.length !== blockRows * rows) {
      throw new RangeError(`cosine scorer returned ${scores.length} scores, expected ${blockRows * rows}`);
    }
    return { scores, stride: rows, offset: blockRows };
  };
}

/** A block of scores laid out with row r's sections at r × stride + offset … + S. */
export interface StridedScores {
  scores: Float32Array;
  stride: number;
  offset: number;
}

export type StridedCrossFn = (
  block: Float32Array,
  blockRows: number,
  sections: Float32Array,
  sectionRows: number,
  dim: number,
) => Promise<StridedScores>;

function fromCross(scorer: CrossCosineFn): StridedCrossFn {
  let buffer: Float32Array | undefined;
  return async (block, blockRows, sections, sectionRows, dim) => {
    if (buffer === undefined || buffer.length !== blockRows * sectionRows) buffer = new Float32Array(blockRows * sectionRows);
    const scores = await scorer(block, blockRows, sections, sectionRows, dim, buffer);
    if (scores.length !== blockRows * sectionRows) {
      throw new RangeError(`cosine scorer returned ${scores.length} scores, expected ${blockRows * sectionRows}`);
    }
    return { scores, stride: sectionRows, offset: 0 };
  };
}

/**
 * Top-k sections per patent and top-k patents per section by cosine similarity. Rows need not be
 * normalised (they are, per block, unless `normalized`); zero rows score 0 against everything.
 */
export async function crossTopK(
  patents: Float32Array,
  patentRows: number,
  sections: Float32Array,
  sectionRows: number,
  dim: number,
  options: CrossTopKOptions = {},
): Promise<CrossTopK> {
  assertMatrix('patents', patents, patentRows, dim);
  assertMatrix('sections', sections, sectionRows, dim);
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const perPatent = emptyTopK(patentRows, k);
  const perSection = emptyTopK(sectionRows, k);
  throwIfAborted(options.signal);
  if (patentRows === 0 || sectionRows === 0 || k === 0) {
    options.onProgress?.(patentRows, patentRows);
    return { perPatent, perSection };
  }

  const unitSections = options.normalized ? sections : normalizeRows(sections, sectionRows, dim);
  const score = options.crossCosine
    ? fromCross(options.crossCosine)
    : crossFromCosineBlock(options.cosineBlock ?? fastCpuCosineBlock());
  const maxBlockBytes = options.maxBlockBytes ?? DEFAULT_CROSS_BLOCK_BYTES;
  // The stacked adapter holds blockRows × (blockRows + S) scores: solve for the larger shape.
  const rowsPerBlock = Math.max(1, Math.min(patentRows, blockRowsFor(maxBlockBytes, sectionRows)));
  const sectionState: SectionState = {
    filled: new Int32Array(sectionRows),
    threshold: new Float32Array(sectionRows).fill(-Infinity),
  };

  for (let start = 0; start < patentRows; start += rowsPerBlock) {
    throwIfAborted(options.signal);
    const blockRows = Math.min(rowsPerBlock, patentRows - start);
    const raw = patents.subarray(start * dim, (start + blockRows) * dim);
    const block = options.normalized ? raw : normalizeRows(raw, blockRows, dim);
    const scores = await score(block, blockRows, unitSections, sectionRows, dim);
    throwIfAborted(options.signal);
    mergeBlock(scores, blockRows, sectionRows, k, start, perPatent, perSection, sectionState);
    options.onProgress?.(start + blockRows, patentRows);
  }
  return { perPatent, perSection };
}

/** Largest b with b × (b + S) × 4 ≤ bytes. */
function blockRowsFor(bytes: number, sectionRows: number): number {
  const cells = bytes / F32;
  return Math.floor((-sectionRows + Math.sqrt(sectionRows * sectionRows + 4 * cells)) / 2);
}

function emptyTopK(rows: number, k: number): TopK {
  return { k, rows, indices: new Int32Array(rows * k).fill(-1), scores: new Float32Array(rows * k).fill(-Infinity) };
}

/** Running state of the per-section lists across blocks: fill count and current k-th score. */
interface SectionState {
  filled: Int32Array;
  threshold: Float32Array;
}

/**
 * Merges one block into both directions in a single sweep. Each cell is compared with its patent's
 * current k-th score (a local) and its section's (a contiguous array); an insertion is rare after
 * the first few rows, so the common case is two compares per cell, a third of the cost of running
 * topkRows per row and a second pass for the sections. The tie rule is topkRows': cells arrive in
 * ascending index order in both directions (sections left to right, patents block by block) and
 * a later one only displaces a strictly lower score. Unlike topkRows, NaN and −Infinity scores
 * are never listed (the compares are false): a cosine is never either, and a broken scorer's NaN
 * must not reach a shortlist.
 */
function mergeBlock(
  block: StridedScores,
  blockRows: number,
  sectionRows: number,
  k: number,
  start: number,
  perPatent: TopK,
  perSection: TopK,
  state: SectionState,
): void {
  const { scores, stride, offset } = block;
  const { indices: pIndices, scores: pScores } = perPatent;
  const { indices: sIndices, scores: sScores } = perSection;
  const { filled, threshold } = state;
  const last = k - 1;
  for (let r = 0; r < blockRows; r++) {
    const patent = start + r;
    const rowBase = r * stride + offset;
    const pBase = patent * k;
    let rowThreshold = -Infinity;
    let rowFilled = 0;
    for (let j = 0; j < sectionRows; j++) {
      const score = scores[rowBase + j];
      if (score > rowThreshold) {
        rowFilled = insertSorted(pScores, pIndices, pBase, k, rowFilled, score, j);
        if (rowFilled === k) rowThreshold = pScores[pBase + last];
      }
      if (score > threshold[j]) {
        const sBase = j * k;
        filled[j] = insertSorted(sScores, sIndices, sBase, k, filled[j], score, patent);
        if (filled[j] === k) threshold[j] = sScores[sBase + last];
      }
    }
  }
}

/**
 * Puts (score, index) into the descending list of k slots at `base`, of which `filled` are used
 * (the last one is dropped when full); an equal score stays behind the earlier, lower index.
 * Returns the new count of used slots. Also the GPU twin's merge (src/gpu/cross-topk-gpu.ts).
 */
export function insertSorted(scores: Float32Array, indices: Int32Array, base: number, k: number, filled: number, score: number, index: number): number {
  let slot = filled < k ? filled : k - 1;
  while (slot > 0 && scores[base + slot - 1] < score) {
    scores[base + slot] = scores[base + slot - 1];
    indices[base + slot] = indices[base + slot - 1];
    slot--;
  }
  scores[base + slot] = score;
  indices[base + slot] = index;
  return filled < k ? filled + 1 : k;
}
