/**
 * Exact k nearest neighbours in blocks, on the CPU twins of the similarity kernels
 * (cosineBlock, topkRows): memory stays O(n·dim + block), time is O(n²·dim). That is seconds
 * for 5k × 384 and minutes for 50k × 384 on a laptop core, which is why umap.ts reduces large
 * inputs with PCA first, and why it accepts a precomputed graph (e.g. from the WebGPU kernel).
 */
import { throwIfAborted } from '../abort';
import { cosineBlock, DEFAULT_CPU_BLOCK_BYTES, normalizeRows, topkRows } from '../similarity';

const DIRECT_MAX_DIM = 4;

export type KnnMetric = 'cosine' | 'euclidean';

/** Row-major rows×k neighbour table, nearest first; padding has index -1 and distance Infinity. */
export interface NeighbourGraph {
  rows: number;
  k: number;
  indices: Int32Array;
  /** Cosine distance (1 − cosine) or Euclidean distance, by the metric that built the graph. */
  distances: Float32Array;
}

export interface KnnOptions {
  metric?: KnnMetric;
  /** Only these rows are queried (against all n); row i of the result belongs to queryRows[i]. */
  queryRows?: Int32Array;
  maxBlockBytes?: number;
}

export function exactKnn(vectors: Float32Array, n: number, dim: number, k: number, options: KnnOptions = {}): NeighbourGraph {
  const blocks = knnBlocks(vectors, n, dim, k, options);
  let step = blocks.next();
  while (!step.done) step = blocks.next();
  return step.value;
}

/** The same as exactKnn, yielding to the event loop between blocks so that an abort can arrive. */
export async function exactKnnAsync(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  options: KnnOptions = {},
  onBlock?: (doneRows: number, totalRows: number) => void,
  signal?: AbortSignal,
): Promise<NeighbourGraph> {
  const blocks = knnBlocks(vectors, n, dim, k, options);
  let step = blocks.next();
  while (!step.done) {
    onBlock?.(step.value.done, step.value.total);
    await nextTurn();
    throwIfAborted(signal);
    step = blocks.next();
  }
  return step.value;
}

export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function* knnBlocks(
  vectors: Float32Array, n: number, dim: number, requestedK: number, options: KnnOptions,
): Generator<{ done: number; total: number }, NeighbourGraph> {
  if (vectors.length !== n * dim) throw new RangeError(`vectors must hold ${n}×${dim} values`);
  const metric = options.metric ?? 'cosine';
  const k = Math.max(0, Math.min(requestedK, n - 1));
  const queries = options.queryRows ?? null;
  const rows = queries ? queries.length : n;
  const base = metric === 'cosine' ? normalizeRows(vectors, n, dim) : vectors;
  const halfSquaredNorms = metric === 'euclidean' ? rowHalfSquaredNorms(base, n, dim) : null;
  const graph: NeighbourGraph = {
    rows, k, indices: new Int32Array(rows * k).fill(-1), distances: new Float32Array(rows * k).fill(Infinity),
  };
  if (k === 0) return graph;
  // In 2D/3D layouts the expansion |a|² + |b|² − 2a·b loses close pairs to f32 cancellation.
  const direct = metric === 'euclidean' && dim <= DIRECT_MAX_DIM;
  const rowsPerBlock = Math.max(1, Math.floor((options.maxBlockBytes ?? DEFAULT_CPU_BLOCK_BYTES) / (n * 4)));
  for (let start = 0; start < rows; start += rowsPerBlock) {
    const blockRows = Math.min(rowsPerBlock, rows - start);
    const rowOf = (r: number) => (queries ? queries[start + r] : start + r);
    const block = direct
      ? negativeHalfSquaredDistances(base, n, dim, blockRows, rowOf)
      : cosineBlock(gatherRows(base, dim, blockRows, rowOf), blockRows, base, n, dim);
    // Ranking by a·b − |b|²/2 is ranking by −|a − b|²/2: the row's own |a|² is a constant.
    if (halfSquaredNorms && !direct) {
      for (let r = 0; r < blockRows; r++) for (let c = 0; c < n; c++) block[r * n + c] -= halfSquaredNorms[c];
    }
    const top = topkRows(block, blockRows, n, k, { excludeColumnOfRow: rowOf });
    for (let r = 0; r < blockRows; r++) {
      const self = rowOf(r);
      for (let j = 0; j < k; j++) {
        const at = r * k + j;
        const column = top.indices[at];
        if (column < 0) continue;
        graph.indices[(start + r) * k + j] = column;
        graph.distances[(start + r) * k + j] = direct
          ? Math.sqrt(-2 * top.scores[at])
          : halfSquaredNorms
          ? Math.sqrt(Math.max(0, 2 * halfSquaredNorms[self] - 2 * top.scores[at]))
          : Math.max(0, 1 - top.scores[at]);
      }
    }
    yield { done: start + blockRows, total: rows };
  }
  return graph;
}

function gatherRows(source: Float32Array, dim: number, count: number, rowOf: (r: number) => number): Float32Array {
  const first = rowOf(0);
  let contiguous = true;
  for (let r = 1; r < count && contiguous; r++) contiguous = rowOf(r) === first + r;
  if (contiguous) return source.subarray(first * dim, (first + count) * dim);
  const out = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) out.set(source.subarray(rowOf(r) * dim, (rowOf(r) + 1) * dim), r * dim);
  return out;
}

function negativeHalfSquaredDistances(
  vectors: Float32Array, n: number, dim: number, count: number, rowOf: (r: number) => number,
): Float32Array {
  const out = new Float32Array(count * n);
  for (let r = 0; r < count; r++) {
    const ro = rowOf(r) * dim;
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += (vectors[ro + d] - vectors[c * dim + d]) ** 2;
      out[r * n + c] = -0.5 * sum;
    }
  }
  return out;
}

function rowHalfSquaredNorms(vectors: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += vectors[r * dim + d] ** 2;
    out[r] = sum / 2;
  }
  return out;
}
