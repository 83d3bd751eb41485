/**
 * CPU twins of the GPU similarity kernels (shaders/normalize_rows.wgsl, cosine_tile.wgsl,
 * topk_rows.wgsl). Pure TypeScript with no DOM or GPU access, so it runs in workers, Node and
 * tests alike, and it is the reference the GPU path is checked against: the tie rule and the
 * padding of short rows here are the contract both sides implement.
 *
 * Matrices are row-major Float32Arrays; `rows × dim` means element (r, d) is at r * dim + d.
 */

/** Per-row top-k result, row-major `rows × k`. Missing entries have index -1, score -Infinity. */
export interface TopK {
  k: number;
  rows: number;
  indices: Int32Array;
  scores: Float32Array;
}

export interface TopKRowsOptions {
  /** Column to ignore for a row (e.g. the row's own column in a self-similarity matrix); -1 for none. */
  excludeColumnOfRow?: (row: number) => number;
}

export interface SimilarityTopKOptions {
  /**
   * Upper bound on the bytes of one block of scores held at a time. Memory stays
   * O(n·dim + blockBytes + n·k) instead of O(n²); the default suits a browser tab.
   */
  maxBlockBytes?: number;
}

/** 16 MiB of f32 scores per block: big enough to amortise loop overhead, small for a tab. */
export const DEFAULT_CPU_BLOCK_BYTES = 16 * 1024 * 1024;

const BYTES_PER_F32 = 4;

/**
 * Returns a copy of `x` with every row scaled to unit L2 norm. The norm is accumulated in
 * double precision, so no f32 overflow or underflow is possible. A row whose norm is zero stays
 * zero, and a row containing NaN or ±Infinity becomes zero too, so the output never holds NaN.
 */
export function normalizeRows(x: Float32Array, rows: number, dim: number): Float32Array {
  assertMatrix('x', x, rows, dim);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let sumOfSquares = 0;
    for (let d = 0; d < dim; d++) {
      const value = x[offset + d];
      sumOfSquares += value * value;
    }
    const norm = Math.sqrt(sumOfSquares);
    if (norm === 0 || !Number.isFinite(norm)) continue;
    const scale = 1 / norm;
    for (let d = 0; d < dim; d++) out[offset + d] = x[offset + d] * scale;
  }
  return out;
}

/**
 * aRows×bRows matrix of dot products between rows of `a` and rows of `b`: the cosine
 * similarities when both were passed through {@link normalizeRows}.
 *
 * Register-blocked like shaders/cosine_tile.wgsl: each pass of the inner loop loads 2 values of
 * `a` and 4 of `b` and feeds 8 independent accumulators, which V8 keeps in registers. That runs
 * ~2× faster than a 4-way unrolled single dot product and ~3–4× faster than the naive loop.
 * At the edges the last row/column is reused (clamped) and the surplus results are dropped, as
 * on the GPU, so any aRows and bRows work without separate remainder loops.
 */
export function cosineBlock(
  a: Float32Array,
  aRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
): Float32Array {
  assertMatrix('a', a, aRows, dim);
  assertMatrix('b', b, bRows, dim);
  const out = new Float32Array(aRows * bRows);
  for (let i = 0; i < aRows; i += 2) {
    const a0 = i * dim;
    const a1 = Math.min(i + 1, aRows - 1) * dim;
    const hasSecondRow = i + 1 < aRows;
    for (let j = 0; j < bRows; j += 4) {
      const b0 = j * dim;
      const b1 = Math.min(j + 1, bRows - 1) * dim;
      const b2 = Math.min(j + 2, bRows - 1) * dim;
      const b3 = Math.min(j + 3, bRows - 1) * dim;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let d = 0; d < dim; d++) {
        const x0 = a[a0 + d];
        const x1 = a[a1 + d];
        const y0 = b[b0 + d];
        const y1 = b[b1 + d];
        const y2 = b[b2 + d];
        const y3 = b[b3 + d];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const columns = Math.min(4, bRows - j);
      storeBlockRow(out, i * bRows + j, columns, s00, s01, s02, s03);
      if (hasSecondRow) storeBlockRow(out, (i + 1) * bRows + j, columns, s10, s11, s12, s13);
    }
  }
  return out;
}

/** Writes the first `columns` (1–4) of a 4-wide block row. */
function storeBlockRow(
  out: Float32Array,
  offset: number,
  columns: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  out[offset] = v0;
  if (columns > 1) out[offset + 1] = v1;
  if (columns > 2) out[offset + 2] = v2;
  if (columns > 3) out[offset + 3] = v3;
}

/**
 * Per-row top-k of a rows×cols score matrix, by descending score.
 *
 * Tie rule (shared with shaders/topk_rows.wgsl): among equal scores the LOWER column index
 * ranks first. Columns are scanned in ascending order and a later column only displaces an
 * entry whose score is strictly lower, which yields that rule without a secondary key.
 * NaN scores and the excluded column are skipped; a row with fewer than k usable columns is
 * padded with index -1 and score -Infinity.
 *
 * Insertion into a sorted array of length k costs O(cols + m·k) per row for m insertions; for
 * the small k this app uses (≤ 32 neighbours) that beats a heap.
 */
export function topkRows(
  scores: Float32Array,
  rows: number,
  cols: number,
  k: number,
  options: TopKRowsOptions = {},
): TopK {
  assertMatrix('scores', scores, rows, cols);
  assertCount('k', k);
  const indices = new Int32Array(rows * k).fill(-1);
  const topScores = new Float32Array(rows * k).fill(-Infinity);
  if (k === 0) return { k, rows, indices, scores: topScores };

  for (let r = 0; r < rows; r++) {
    const base = r * k;
    const rowOffset = r * cols;
    const excluded = options.excludeColumnOfRow?.(r) ?? -1;
    let filled = 0;
    for (let c = 0; c < cols; c++) {
      const score = scores[rowOffset + c];
      if (c === excluded || Number.isNaN(score)) continue;
      let slot: number;
      if (filled < k) {
        slot = filled;
        filled++;
      } else if (score > topScores[base + k - 1]) {
        slot = k - 1;
      } else {
        continue;
      }
      while (slot > 0 && topScores[base + slot - 1] < score) {
        topScores[base + slot] = topScores[base + slot - 1];
        indices[base + slot] = indices[base + slot - 1];
        slot--;
      }
      topScores[base + slot] = score;
      indices[base + slot] = c;
    }
  }
  return { k, rows, indices, scores: topScores };
}

/**
 * k nearest neighbours of every row of `vectors` (n×dim) by cosine similarity. Rows are
 * normalised once, then scored in blocks of rows against all n rows so that only one
 * block of scores exists at a time. With `excludeSelf`, row i never lists itself.
 */
export function similarityTopK(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  excludeSelf: boolean,
  options: SimilarityTopKOptions = {},
): TopK {
  assertMatrix('vectors', vectors, n, dim);
  assertCount('k', k);
  const maxBlockBytes = options.maxBlockBytes ?? DEFAULT_CPU_BLOCK_BYTES;
  const normalized = normalizeRows(vectors, n, dim);
  const result: TopK = {
    k,
    rows: n,
    indices: new Int32Array(n * k).fill(-1),
    scores: new Float32Array(n * k).fill(-Infinity),
  };
  if (n === 0 || k === 0) return result;

  const rowsPerBlock = Math.max(1, Math.floor(maxBlockBytes / (n * BYTES_PER_F32)));
  for (let start = 0; start < n; start += rowsPerBlock) {
    const blockRows = Math.min(rowsPerBlock, n - start);
    const block = cosineBlock(
      normalized.subarray(start * dim, (start + blockRows) * dim),
      blockRows,
      normalized,
      n,
      dim,
    );
    const blockTop = topkRows(block, blockRows, n, k, {
      excludeColumnOfRow: excludeSelf ? (row) => start + row : undefined,
    });
    result.indices.set(blockTop.indices, start * k);
    result.scores.set(blockTop.scores, start * k);
  }
  return result;
}

/**
 * Textbook cosine similarity, dot(a_i, b_j) / (|a_i|·|b_j|), as a plain double loop over raw
 * (unnormalised) rows; 0 where either row is zero. Kept only as the slow baseline for the
 * benchmark and as an independent reference in tests.
 */
export function naiveCosineMatrix(
  a: Float32Array,
  aRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
): Float32Array {
  assertMatrix('a', a, aRows, dim);
  assertMatrix('b', b, bRows, dim);
  const aNorms = rowNorms(a, aRows, dim);
  const bNorms = rowNorms(b, bRows, dim);
  const out = new Float32Array(aRows * bRows);
  for (let i = 0; i < aRows; i++) {
    for (let j = 0; j < bRows; j++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += a[i * dim + d] * b[j * dim + d];
      const denominator = aNorms[i] * bNorms[j];
      out[i * bRows + j] = denominator === 0 ? 0 : dot / denominator;
    }
  }
  return out;
}

function rowNorms(x: Float32Array, rows: number, dim: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += x[r * dim + d] ** 2;
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}

/** Throws a RangeError, naming both sizes, unless `data` is exactly rows×cols. */
export function assertMatrix(name: string, data: ArrayLike<number>, rows: number, cols: number): void {
  assertCount(`${name} rows`, rows);
  assertCount(`${name} columns`, cols);
  if (data.length !== rows * cols) {
    throw new RangeError(
      `${name} holds ${data.length} values but ${rows}×${cols} needs ${rows * cols}`,
    );
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
