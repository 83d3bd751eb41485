/**
 * The project's own UMAP (McInnes, Healy & Melville 2018), following umap-learn's reference
 * implementation: cosine k-NN → fuzzy simplicial set → stochastic gradient descent with negative
 * sampling, initialised from PCA (Kobak & Linderman 2021: a global initialisation keeps the large
 * scale structure that a random one loses). Written here rather than wrapping umap-js to control
 * memory (typed arrays throughout), progress, cancellation and the PCA start.
 *
 * Reproducibility: every random draw comes from one mulberry32 stream in a fixed order, so the
 * same data and options give the same coordinates bit for bit on one JS engine. Engines may differ
 * in the last bit of Math.exp/Math.pow, so two browsers can disagree slightly.
 *
 * k-NN: exact cosine up to `exactKnnMaxPoints` (5,000, near umap-learn's brute-force limit of 4,096;
 * n²·dim work: ~5 s for 5k × 384 on one core, ~10 min projected for 50k). Above it, an approximate
 * graph: random projection trees, then rounds of neighbour-of-neighbour refinement with the full
 * vectors (knn-forest.ts, knn-refine.ts): on clustered 384-d data it found 99% of the exact
 * neighbours at 5k in 2.3 s and 93% at 20k in 23 s. A caller with the WebGPU top-k kernel can pass
 * the exact graph instead (`graph`).
 */
import { throwIfAborted, type TaskOptions } from '../abort';
import { mulberry32 } from '../random';
import { exactKnnAsync, nextTurn, type NeighbourGraph } from './knn';
import { pcaReduce, reducedCosineKnn } from './knn-reduced';
import { approximateCosineKnn } from './knn-refine';
import { pca } from './pca';
import { fitCurve } from './umap-curve';
import { fuzzySimplicialSet, type FuzzyGraph } from './umap-graph';

export interface UmapOptions {
  components: 2 | 3;
  /** umap-learn's n_neighbors: the point itself plus neighbours − 1 others. */
  neighbours?: number;
  minDist?: number;
  spread?: number;
  /** Default as umap-learn: 500 up to 10,000 points, 200 above. */
  epochs?: number;
  learningRate?: number;
  negativeSampleRate?: number;
  seed?: number;
  init?: 'pca' | 'random';
  /** Precomputed cosine-distance k-NN (self excluded, nearest first), at least neighbours − 1 wide. */
  graph?: NeighbourGraph;
  exactKnnMaxPoints?: number;
  /** Approximate k-NN: random projection trees, and the most refinement rounds run. */
  forestTrees?: number;
  refineRounds?: number;
  /**
   * Reduce wider inputs to this many PCA axes (fitted on a sample of rows) for the approximate
   * k-NN and the initialisation, as umap-learn users do (50 is usual); the graph's distances stay
   * exact cosine distances of the full vectors (knn-reduced.ts). Absent: full vectors throughout.
   */
  pcaDims?: number;
  /** With pcaDims: refinement rounds on the full vectors after the reduced search (default 2). */
  pcaFullRounds?: number;
}

export interface UmapProgress {
  stage: 'layout';
  phase: 'neighbours' | 'refine' | 'epochs';
  done: number;
  total: number;
  unit: 'rows' | 'rounds' | 'epochs';
}

export type UmapProgressCallback = (progress: UmapProgress) => void;

export interface UmapResult {
  /** n×components, row-major. */
  coordinates: Float32Array;
  components: number;
  epochs: number;
  knn: 'exact' | 'approximate' | 'precomputed';
  /** PCA axes the k-NN search and the initialisation used, or null for the full vectors. */
  reducedDim: number | null;
  /** The k-NN graph the layout was built from (cosine distances, self excluded). */
  graph: NeighbourGraph;
  a: number;
  b: number;
}

export const DEFAULT_UMAP = {
  neighbours: 15, minDist: 0.1, spread: 1, learningRate: 1, negativeSampleRate: 5, seed: 0,
  exactKnnMaxPoints: 5_000, forestTrees: 4, refineRounds: 10,
} as const;

const INIT_EXTENT = 10;
const INIT_NOISE = 1e-4;
const GRADIENT_CLIP = 4;
const YIELD_EVERY_MS = 40;

export async function umap(
  vectors: Float32Array,
  n: number,
  dim: number,
  options: UmapOptions,
  onProgress?: UmapProgressCallback,
  task: TaskOptions = {},
): Promise<UmapResult> {
  if (vectors.length !== n * dim) throw new RangeError(`vectors must hold ${n}×${dim} values`);
  const o = { ...DEFAULT_UMAP, ...options };
  const { components, seed } = o;
  const signal = task.signal;
  throwIfAborted(signal);
  const rng = mulberry32(seed);
  const epochs = o.epochs ?? (n <= 10_000 ? 500 : 200);
  const { a, b } = fitCurve(o.minDist, o.spread);
  if (n <= components + 1) return { coordinates: new Float32Array(n * components), components, epochs: 0, knn: 'exact', reducedDim: null, a, b,
    graph: { rows: n, k: 0, indices: new Int32Array(0), distances: new Float32Array(0) } };

  const k = Math.min(o.neighbours - 1, n - 1);
  const approximate = !o.graph && n > o.exactKnnMaxPoints;
  const reduced = o.pcaDims !== undefined && o.pcaDims >= components && dim > o.pcaDims ? pcaReduce(vectors, n, dim, o.pcaDims, { seed }) : null;
  throwIfAborted(signal);
  let graph: NeighbourGraph;
  if (o.graph) graph = truncateGraph(o.graph, n, k);
  else if (approximate) {
    const report = (done: number) => onProgress?.({ stage: 'layout', phase: 'refine', done, total: o.refineRounds, unit: 'rounds' });
    const knnOptions = { trees: o.forestTrees, rounds: o.refineRounds, seed, fullRounds: o.pcaFullRounds ?? 2 };
    graph = reduced
      ? await reducedCosineKnn(vectors, n, dim, reduced, k, knnOptions, report, signal)
      : await approximateCosineKnn(vectors, n, dim, k, knnOptions, report, signal);
    report(o.refineRounds);
  }
  else {
    const onRows = (done: number, total: number) => onProgress?.({ stage: 'layout', phase: 'neighbours', done, total, unit: 'rows' });
    graph = await exactKnnAsync(vectors, n, dim, k, { metric: 'cosine' }, onRows, signal);
  }
  throwIfAborted(signal);

  const fuzzy = pruneWeakEdges(fuzzySimplicialSet(graph), epochs);
  // The leading reduced axes are the leading principal axes: no second PCA over the full vectors.
  const embedding = o.init === 'random'
    ? randomInit(rng, n, components)
    : pcaInit(rng, reduced ? leadingColumns(reduced.coordinates, n, reduced.dim, components) : pca(vectors, n, dim, { components, seed }).coordinates, n, components);
  await optimise(embedding, fuzzy, { ...o, a, b, epochs, components }, rng, onProgress, signal);
  return {
    coordinates: Float32Array.from(embedding), components, epochs, a, b,
    knn: o.graph ? 'precomputed' : approximate ? 'approximate' : 'exact',
    reducedDim: reduced && (approximate || o.init !== 'random') ? reduced.dim : null,
    graph,
  };
}

interface SgdSettings {
  a: number;
  b: number;
  epochs: number;
  components: number;
  learningRate: number;
  negativeSampleRate: number;
}

/** umap-learn's optimize_layout_euclidean with move_other: edges are sampled in proportion to weight. */
async function optimise(
  embedding: Float64Array, graph: FuzzyGraph, s: SgdSettings, rng: () => number,
  onProgress: UmapProgressCallback | undefined, signal: AbortSignal | undefined,
): Promise<void> {
  const { a, b, epochs, components: dims } = s;
  const { heads, tails, weights, n } = graph;
  const edges = heads.length;
  let maxWeight = 0;
  for (let e = 0; e < edges; e++) maxWeight = Math.max(maxWeight, weights[e]);
  const epochsPerSample = Float64Array.from(weights, (w) => maxWeight / w);
  const epochsPerNegative = Float64Array.from(epochsPerSample, (v) => v / s.negativeSampleRate);
  const nextSample = epochsPerSample.slice();
  const nextNegative = epochsPerNegative.slice();
  const reportEvery = Math.max(1, Math.floor(epochs / 100));
  let lastYield = performance.now();

  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = s.learningRate * (1 - epoch / epochs);
    if (dims === 2) {
      epoch2d(embedding, heads, tails, n, a, b, alpha, epoch, epochsPerSample, epochsPerNegative, nextSample, nextNegative, rng);
    } else {
      for (let e = 0; e < edges; e++) {
        if (nextSample[e] > epoch) continue;
        const head = heads[e] * dims;
        const tail = tails[e] * dims;
        let d2 = 0;
        for (let d = 0; d < dims; d++) d2 += (embedding[head + d] - embedding[tail + d]) ** 2;
        if (d2 > 0) {
          const powered = Math.pow(d2, b);
          const coefficient = (-2 * a * b * (powered / d2)) / (a * powered + 1);
          for (let d = 0; d < dims; d++) {
            const step = alpha * clip(coefficient * (embedding[head + d] - embedding[tail + d]));
            embedding[head + d] += step;
            embedding[tail + d] -= step;
          }
        }
        nextSample[e] += epochsPerSample[e];

        const negatives = Math.floor((epoch - nextNegative[e]) / epochsPerNegative[e]);
        for (let p = 0; p < negatives; p++) {
          const other = Math.floor(rng() * n);
          if (other === heads[e]) continue;
          const far = other * dims;
          let q2 = 0;
          for (let d = 0; d < dims; d++) q2 += (embedding[head + d] - embedding[far + d]) ** 2;
          if (q2 <= 0) continue;
          const coefficient = (2 * b) / ((0.001 + q2) * (a * Math.pow(q2, b) + 1));
          for (let d = 0; d < dims; d++) embedding[head + d] += alpha * clip(coefficient * (embedding[head + d] - embedding[far + d]));
        }
        nextNegative[e] += negatives * epochsPerNegative[e];
      }
    }
    if ((epoch + 1) % reportEvery === 0 || epoch + 1 === epochs) {
      onProgress?.({ stage: 'layout', phase: 'epochs', done: epoch + 1, total: epochs, unit: 'epochs' });
    }
    // Yielding depends on the clock but draws no random numbers, so it cannot change the result.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await nextTurn();
      lastYield = performance.now();
    }
    throwIfAborted(signal);
  }
}

/**
 * One epoch of the loop above for 2D layouts, unrolled: the same operations in the same order
 * (so the same coordinates bit for bit) without the inner loops over dimensions, which are most
 * of the work at 650,000 points (~20 M edges, 5 negative samples per positive one).
 */
function epoch2d(
  embedding: Float64Array, heads: Int32Array, tails: Int32Array, n: number, a: number, b: number, alpha: number, epoch: number,
  epochsPerSample: Float64Array, epochsPerNegative: Float64Array, nextSample: Float64Array, nextNegative: Float64Array, rng: () => number,
): void {
  const edges = heads.length;
  for (let e = 0; e < edges; e++) {
    if (nextSample[e] > epoch) continue;
    const head = heads[e] * 2;
    const tail = tails[e] * 2;
    const dx = embedding[head] - embedding[tail];
    const dy = embedding[head + 1] - embedding[tail + 1];
    const d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const powered = Math.pow(d2, b);
      const coefficient = (-2 * a * b * (powered / d2)) / (a * powered + 1);
      const stepX = alpha * clip(coefficient * dx);
      embedding[head] += stepX;
      embedding[tail] -= stepX;
      const stepY = alpha * clip(coefficient * (embedding[head + 1] - embedding[tail + 1]));
      embedding[head + 1] += stepY;
      embedding[tail + 1] -= stepY;
    }
    nextSample[e] += epochsPerSample[e];

    const negatives = Math.floor((epoch - nextNegative[e]) / epochsPerNegative[e]);
    for (let p = 0; p < negatives; p++) {
      const other = Math.floor(rng() * n);
      if (other === heads[e]) continue;
      const far = other * 2;
      const qx = embedding[head] - embedding[far];
      const qy = embedding[head + 1] - embedding[far + 1];
      const q2 = qx * qx + qy * qy;
      if (q2 <= 0) continue;
      const coefficient = (2 * b) / ((0.001 + q2) * (a * Math.pow(q2, b) + 1));
      embedding[head] += alpha * clip(coefficient * qx);
      embedding[head + 1] += alpha * clip(coefficient * (embedding[head + 1] - embedding[far + 1]));
    }
    nextNegative[e] += negatives * epochsPerNegative[e];
  }
}

function clip(value: number): number {
  return value > GRADIENT_CLIP ? GRADIENT_CLIP : value < -GRADIENT_CLIP ? -GRADIENT_CLIP : value;
}

/** umap-learn drops edges too weak to be sampled even once in the run. */
function pruneWeakEdges(graph: FuzzyGraph, epochs: number): FuzzyGraph {
  let maxWeight = 0;
  for (const w of graph.weights) maxWeight = Math.max(maxWeight, w);
  const threshold = maxWeight / epochs;
  const keep: number[] = [];
  graph.weights.forEach((w, e) => {
    if (w >= threshold) keep.push(e);
  });
  return {
    n: graph.n,
    heads: Int32Array.from(keep, (e) => graph.heads[e]),
    tails: Int32Array.from(keep, (e) => graph.tails[e]),
    weights: Float64Array.from(keep, (e) => graph.weights[e]),
  };
}

/** Each axis scaled to [0, 10] as umap-learn rescales its initialisation, plus a little noise to split duplicates. */
function pcaInit(rng: () => number, coordinates: Float32Array, n: number, dims: number): Float64Array {
  const out = new Float64Array(n * dims);
  for (let d = 0; d < dims; d++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      min = Math.min(min, coordinates[i * dims + d]);
      max = Math.max(max, coordinates[i * dims + d]);
    }
    const scale = max > min ? INIT_EXTENT / (max - min) : 0;
    for (let i = 0; i < n; i++) out[i * dims + d] = (coordinates[i * dims + d] - min) * scale;
  }
  for (let i = 0; i < out.length; i++) out[i] += (rng() - 0.5) * 2 * INIT_NOISE;
  return out;
}

function leadingColumns(rows: Float32Array, n: number, width: number, count: number): Float32Array {
  const out = new Float32Array(n * count);
  for (let i = 0; i < n; i++) for (let c = 0; c < count; c++) out[i * count + c] = rows[i * width + c];
  return out;
}

function randomInit(rng: () => number, n: number, dims: number): Float64Array {
  return Float64Array.from({ length: n * dims }, () => (rng() * 2 - 1) * INIT_EXTENT);
}

function truncateGraph(graph: NeighbourGraph, n: number, k: number): NeighbourGraph {
  if (graph.rows !== n || graph.k < k) throw new RangeError(`graph must have ${n} rows and at least ${k} neighbours`);
  if (graph.k === k) return graph;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    indices.set(graph.indices.subarray(i * graph.k, i * graph.k + k), i * k);
    distances.set(graph.distances.subarray(i * graph.k, i * graph.k + k), i * k);
  }
  return { rows: n, k, indices, distances };
}
