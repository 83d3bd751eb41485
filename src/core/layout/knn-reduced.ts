/**
 * The k-NN graph of large inputs on PCA-reduced vectors, as umap-learn users reduce to ~50
 * dimensions first: 650,000 × 384 float32 vectors are 1 GB and every distance costs 384
 * multiply-adds; 50 PCA coordinates are 130 MB and 7.7× cheaper per distance.
 *
 * The axes come from a seeded sample of rows (the leading subspace of 50,000 rows is that of all
 * of them for this purpose), then every row is projected. Rows are unit vectors (cosine), so the
 * Euclidean distance between their PCA coordinates estimates |a − b| = √(2(1 − cos)): the trees
 * and refinement rank by it (knn-forest.ts with half norms). The final neighbours' distances are
 * then recomputed as exact cosine distances from the full vectors and each row re-sorted, so the
 * fuzzy graph sees true distances; only which neighbours were found depends on the reduction.
 */
import { throwIfAborted } from '../abort';
import { sampleIndices } from './cluster-quality';
import { nextTurn, type NeighbourGraph } from './knn';
import { forestKnn } from './knn-forest';
import { refineKnn, unitRows } from './knn-refine';
import { pca, projectOnto } from './pca';

export interface ReducedVectors {
  /** n × dim PCA coordinates. */
  coordinates: Float32Array;
  dim: number;
  /** Fraction of the (sample's) variance the kept axes explain. */
  explained: number;
  /** Rows the axes were fitted on. */
  fittedRows: number;
}

export interface ReduceOptions {
  seed?: number;
  /** Rows to fit the axes on (default 50,000); all rows when n is smaller. */
  sampleRows?: number;
}

const DEFAULT_SAMPLE_ROWS = 50_000;
const FIT_ITERATIONS = 3;
const ROWS_PER_TURN = 4096;

/** PCA coordinates of every row on `components` axes fitted to a sample of rows. */
export function pcaReduce(vectors: Float32Array, n: number, dim: number, components: number, options: ReduceOptions = {}): ReducedVectors {
  const sampleRows = Math.min(n, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const rows = sampleRows < n ? sampleIndices(n, sampleRows, options.seed ?? 0) : null;
  const sample = rows ? gather(vectors, dim, rows) : vectors;
  const model = pca(sample, sampleRows, dim, { components, seed: options.seed, iterations: FIT_ITERATIONS });
  const coordinates = rows ? projectOnto(model, vectors, n) : model.coordinates;
  const explained = model.variances.reduce((s, v) => s + v, 0) / Math.max(model.totalVariance, Number.MIN_VALUE);
  return { coordinates, dim: model.components, explained, fittedRows: sampleRows };
}

/**
 * Approximate cosine k-NN of `vectors` (self excluded, nearest first) found on their PCA
 * coordinates `reduced`, with exact cosine distances from the full vectors.
 */
export async function reducedCosineKnn(
  vectors: Float32Array,
  n: number,
  dim: number,
  reduced: ReducedVectors,
  k: number,
  options: { trees?: number; rounds: number; seed?: number; fullRounds?: number },
  onRound?: (round: number, changedFraction: number) => void,
  signal?: AbortSignal,
): Promise<NeighbourGraph> {
  const { coordinates, dim: low } = reduced;
  const halfNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let d = 0; d < low; d++) sum += coordinates[i * low + d] ** 2;
    halfNorms[i] = sum / 2;
  }
  const first = await forestKnn(coordinates, n, low, k, { trees: options.trees, seed: options.seed, halfNorms }, signal);
  onRound?.(0, 1);
  const found = await refineKnn(coordinates, n, low, first, { rounds: options.rounds, halfNorms }, onRound, signal);
  const fullRounds = options.fullRounds ?? 0;
  if (fullRounds <= 0) return exactCosineDistances(vectors, n, dim, found, signal);
  return refineKnn(unitRows(vectors, n, dim), n, dim, found, { rounds: fullRounds, minChangedFraction: 0 }, undefined, signal);
}

/** The same neighbours with exact cosine distances from the full vectors, each row re-sorted (ties by index). */
async function exactCosineDistances(vectors: Float32Array, n: number, dim: number, graph: NeighbourGraph, signal?: AbortSignal): Promise<NeighbourGraph> {
  const { k } = graph;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += vectors[i * dim + d] ** 2;
    norms[i] = Math.sqrt(sum) || 1;
  }
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(Infinity);
  const row: Array<{ j: number; d: number }> = [];
  for (let i = 0; i < n; i++) {
    row.length = 0;
    for (let a = 0; a < k; a++) {
      const j = graph.indices[i * k + a];
      if (j < 0) continue;
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += vectors[i * dim + d] * vectors[j * dim + d];
      row.push({ j, d: Math.max(0, 1 - sum / (norms[i] * norms[j])) });
    }
    row.sort((x, y) => x.d - y.d || x.j - y.j);
    row.forEach((entry, a) => { indices[i * k + a] = entry.j; distances[i * k + a] = entry.d; });
    if ((i + 1) % ROWS_PER_TURN === 0) {
      await nextTurn();
      throwIfAborted(signal);
    }
  }
  return { rows: n, k, indices, distances };
}

function gather(vectors: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}
