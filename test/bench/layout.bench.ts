/**
 * Benchmark, not a test: UMAP (2D) on clustered Gaussian data × 384 dims, the size of MiniLM-class
 * patent embeddings. Writes bench-results/layout.json. Times are recorded, never asserted.
 *
 * Per size and pipeline, the phases as umap() runs them (timed from its progress events): k-NN
 * graph (for `pca50`: PCA to 50 axes fitted on 50k sampled rows, trees and refinement on the PCA
 * coordinates, exact cosine distances of the found neighbours), then fuzzy graph + initialisation
 * + epochs; then on the same sampled rows the graph's recall against the exact 384-d neighbours
 * and the layout's neighbourhood preservation (10 nearest, 384-d cosine vs 2D).
 * - `current`: umap() of this checkout with `pcaDims: 50` (what the map engine is meant to pass);
 * - `current-full`: umap() of this checkout on the full vectors (LAYOUT_BENCH_FULL=1);
 * - `baseline`: umap() of an older checkout, LAYOUT_BENCH_BASELINE=/path/to/checkout (its src/);
 * - `wasm`: embedding-atlas's WASM NNDescent + UMAP (cosine, 200 epochs), when
 *   LAYOUT_BENCH_WASM=/path/to/embedding-atlas/dist/umap.js (not a dependency of the app: install
 *   it outside the repository, e.g. `npm install --no-save --legacy-peer-deps embedding-atlas`).
 * LAYOUT_BENCH_SIZES overrides the sizes (default 20000,50000); sizes are skipped once the run has
 * used LAYOUT_BENCH_BUDGET_MIN minutes (default 30), and skipped sizes say so in the JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleIndices } from '../../src/core/layout/cluster-quality';
import { exactKnn, type NeighbourGraph } from '../../src/core/layout/knn';
import { DEFAULT_UMAP, umap, type UmapOptions } from '../../src/core/layout/umap';
import { gaussian, mulberry32 } from '../../src/core/random';

const SIZES = (process.env.LAYOUT_BENCH_SIZES ?? '20000,50000').split(',').map(Number);
const DIM = 384;
const CLUSTERS = 50;
const SEED = 20_240_612;
const PCA_DIMS = 50;
const K = DEFAULT_UMAP.neighbours - 1;
const PRESERVATION_K = 10;
const BUDGET_MS = Number(process.env.LAYOUT_BENCH_BUDGET_MIN ?? 30) * 60_000;
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/layout.json`;

type Umap = (vectors: Float32Array, n: number, dim: number, options: UmapOptions) => Promise<{ coordinates: Float32Array; epochs: number }>;
type Knn = (vectors: Float32Array, n: number, dim: number, k: number, options: { trees: number; rounds: number; seed: number }) => Promise<NeighbourGraph>;
interface Wasm {
  createNNDescent(n: number, dim: number, data: Float32Array, options: object): Promise<{ queryByIndex(i: number, k: number): { indices: Int32Array; distances: Float32Array }; destroy(): void }>;
  createUMAPFromKNN(n: number, out: number, indices: Int32Array, distances: Float32Array, options: object): Promise<{ run(): Promise<void>; embedding: Float32Array; destroy(): void }>;
}

const startedAt = performance.now();
const runs: Record<string, unknown>[] = [];
const results: Record<string, unknown> = {
  dim: DIM, clusters: CLUSTERS, seed: SEED, umap: { ...DEFAULT_UMAP, components: 2 }, pcaDims: PCA_DIMS,
  node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`, runs,
};

/** Unit vectors around CLUSTERS random centres; the noise is as large as the centre spread, so clusters overlap. */
function clusteredData(n: number): Float32Array {
  const rng = mulberry32(SEED);
  const centres = Array.from({ length: CLUSTERS }, () => Float64Array.from({ length: DIM }, () => gaussian(rng)));
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(rng() * CLUSTERS)];
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = centre[d] + gaussian(rng);
      out[i * DIM + d] = v;
      norm += v * v;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < DIM; d++) out[i * DIM + d] *= scale;
  }
  return out;
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/** Exact 384-d neighbours of the sampled rows, computed once per size for every pipeline. */
function truthFor(vectors: Float32Array, n: number) {
  const rows = sampleIndices(n, n > 100_000 ? 200 : 500, SEED);
  return { rows, exact: exactKnn(vectors, n, DIM, K, { queryRows: rows }) };
}

function quality(truth: ReturnType<typeof truthFor>, n: number, graph: Int32Array, width: number, coordinates: Float32Array) {
  const { rows, exact } = truth;
  const low = exactKnn(coordinates, n, 2, PRESERVATION_K, { metric: 'euclidean', queryRows: rows });
  let found = 0;
  let kept = 0;
  rows.forEach((row, r) => {
    const neighbours = new Set(exact.indices.subarray(r * K, (r + 1) * K));
    const listed = Array.from(graph.subarray(row * width, (row + 1) * width)).filter((j) => j !== row).slice(0, K);
    for (const j of listed) if (neighbours.has(j)) found++;
    const near = new Set(low.indices.subarray(r * PRESERVATION_K, (r + 1) * PRESERVATION_K));
    for (let j = 0; j < PRESERVATION_K; j++) if (near.has(exact.indices[r * K + j])) kept++;
  });
  return { knnRecall: round(found / (rows.length * K), 4), preservation: round(kept / (rows.length * PRESERVATION_K), 4), sampledRows: rows.length };
}

/** This checkout's umap(): the k-NN / epochs split from its progress events, recall from the graph it returns. */
async function runCurrent(label: string, vectors: Float32Array, n: number, options: Partial<UmapOptions>, truth: ReturnType<typeof truthFor>) {
  const started = performance.now();
  let epochsAt = 0;
  const result = await umap(vectors, n, DIM, { components: 2, seed: SEED, ...options }, (p) => {
    if (p.phase === 'epochs' && epochsAt === 0) epochsAt = performance.now();
  });
  const totalMs = performance.now() - started;
  expect(result.coordinates.every(Number.isFinite)).toBe(true);
  return {
    pipeline: label, n, epochs: result.epochs, reducedDim: result.reducedDim, knnMs: round(epochsAt - started),
    afterKnnMs: round(totalMs - (epochsAt - started)), totalMs: round(totalMs),
    ...quality(truth, n, result.graph.indices, result.graph.k, result.coordinates),
  };
}

/** An older checkout: its approximate k-NN (as its umap() would build it), then its umap() on that graph. */
async function runBaseline(root: string, vectors: Float32Array, n: number, truth: ReturnType<typeof truthFor>) {
  const { umap: baseUmap } = await import(/* @vite-ignore */ `${root}/src/core/layout/umap.ts`) as { umap: Umap };
  const { approximateCosineKnn } = await import(/* @vite-ignore */ `${root}/src/core/layout/knn-refine.ts`) as { approximateCosineKnn: Knn };
  let t = performance.now();
  const graph = await approximateCosineKnn(vectors, n, DIM, K, { trees: DEFAULT_UMAP.forestTrees, rounds: DEFAULT_UMAP.refineRounds, seed: SEED });
  const knnMs = performance.now() - t;
  t = performance.now();
  const result = await baseUmap(vectors, n, DIM, { components: 2, seed: SEED, graph });
  const afterKnnMs = performance.now() - t;
  return {
    pipeline: 'baseline', n, epochs: result.epochs, knnMs: round(knnMs), afterKnnMs: round(afterKnnMs), totalMs: round(knnMs + afterKnnMs),
    ...quality(truth, n, graph.indices, graph.k, result.coordinates),
  };
}

async function runWasm(wasm: Wasm, vectors: Float32Array, n: number, truth: ReturnType<typeof truthFor>) {
  let t = performance.now();
  const index = await wasm.createNNDescent(n, DIM, vectors, { metric: 'cosine', nNeighbors: K + 1, seed: 1 });
  const indices = new Int32Array(n * (K + 1));
  const distances = new Float32Array(n * (K + 1));
  for (let i = 0; i < n; i++) {
    const q = index.queryByIndex(i, K + 1);
    indices.set(q.indices, i * (K + 1));
    distances.set(q.distances, i * (K + 1));
  }
  index.destroy();
  const knnMs = performance.now() - t;
  t = performance.now();
  const layout = await wasm.createUMAPFromKNN(n, 2, indices, distances, { nEpochs: n <= 10_000 ? 500 : 200, minDist: DEFAULT_UMAP.minDist, seed: 1 });
  await layout.run();
  const coordinates = new Float32Array(layout.embedding);
  layout.destroy();
  const afterKnnMs = performance.now() - t;
  return { pipeline: 'wasm', n, knnMs: round(knnMs), afterKnnMs: round(afterKnnMs), totalMs: round(knnMs + afterKnnMs), ...quality(truth, n, indices, K + 1, coordinates) };
}

describe(`UMAP benchmark, ${SIZES.join(' / ')} × ${DIM}`, () => {
  for (const n of SIZES) {
    it(`UMAP 2D on ${n} points`, async () => {
      const used = performance.now() - startedAt;
      if (used > BUDGET_MS) {
        runs.push({ n, skipped: `bench budget of ${BUDGET_MS / 60_000} min used up (${round(used / 60_000, 1)} min) before this size` });
        return;
      }
      let t = performance.now();
      const vectors = clusteredData(n);
      const dataMs = performance.now() - t;
      t = performance.now();
      const truth = truthFor(vectors, n);
      console.log(`n=${n}: data ${round(dataMs)} ms, exact neighbours of ${truth.rows.length} rows ${round(performance.now() - t)} ms`);
      const pipelines: Array<() => Promise<Record<string, unknown>>> = [];
      const baseline = process.env.LAYOUT_BENCH_BASELINE;
      if (baseline) pipelines.push(() => runBaseline(baseline.replace(/\/+$/, ''), vectors, n, truth));
      pipelines.push(() => runCurrent('current', vectors, n, { pcaDims: PCA_DIMS }, truth));
      if (process.env.LAYOUT_BENCH_FULL) pipelines.push(() => runCurrent('current-full', vectors, n, {}, truth));
      const wasmPath = process.env.LAYOUT_BENCH_WASM;
      if (wasmPath) {
        const wasm = await import(/* @vite-ignore */ wasmPath) as Wasm;
        pipelines.push(() => runWasm(wasm, vectors, n, truth));
      }
      for (const pipeline of pipelines) {
        const run = await pipeline();
        runs.push(run);
        console.log(JSON.stringify(run));
      }
    });
  }

  afterAll(() => {
    results.totalBenchMs = round(performance.now() - startedAt);
    results.generatedAt = new Date().toISOString();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify(results, null, 2);
    writeFileSync(RESULTS_FILE, `${json}\n`);
    console.log(`${RESULTS_FILE}:\n${json}`);
  });
});
