/**
 * Benchmark, not a test: UMAP (2D) on clustered Gaussian data of 5k, 20k and 50k points × 384
 * dims, the size of MiniLM-class patent embeddings. Writes bench-results/layout.json. Times are
 * recorded, never asserted. Per size: the k-NN graph as umap() would build it (exact up to
 * 10,000 points, random projection trees + refinement above; the approximate one is also timed at
 * 5k for comparison) with its recall against the exact neighbours of sampled rows, then the rest
 * of UMAP (fuzzy graph, PCA start, epochs) on that graph, then the layout's neighbourhood
 * preservation on sampled rows. The exact k-NN is not run at 20k/50k: it grows as n² (see the
 * 5k time) and would take most of the budget. Sizes are skipped once the run has used BUDGET_MS,
 * so the bench stays near 10 minutes on a 2-core machine; skipped sizes say why in the JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleIndices } from '../../src/core/layout/cluster-quality';
import { exactKnn, type NeighbourGraph } from '../../src/core/layout/knn';
import { approximateCosineKnn } from '../../src/core/layout/knn-refine';
import { neighbourhoodPreservation } from '../../src/core/layout/quality';
import { DEFAULT_UMAP, umap } from '../../src/core/layout/umap';
import { gaussian, mulberry32 } from '../../src/core/random';
import { normalizeRows } from '../../src/core/similarity';

const SIZES = [5_000, 20_000, 50_000];
const DIM = 384;
const CLUSTERS = 50;
const SEED = 20_240_612;
const RECALL_QUERIES = 300;
const PRESERVATION_SAMPLE = 500;
const BUDGET_MS = 8 * 60_000;
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/layout.json`;

const startedAt = performance.now();
const runs: Record<string, unknown>[] = [];
const results: Record<string, unknown> = {
  dim: DIM,
  clusters: CLUSTERS,
  seed: SEED,
  umap: { ...DEFAULT_UMAP, components: 2 },
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
  runs,
};

/** Unit vectors around CLUSTERS random centres; the noise is as large as the centre spread, so clusters overlap. */
function clusteredData(n: number): Float32Array {
  const rng = mulberry32(SEED);
  const centres = Array.from({ length: CLUSTERS }, () => Float64Array.from({ length: DIM }, () => gaussian(rng)));
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(rng() * CLUSTERS)];
    for (let d = 0; d < DIM; d++) out[i * DIM + d] = centre[d] + gaussian(rng);
  }
  return normalizeRows(out, n, DIM);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Fraction of the exact cosine neighbours of sampled rows that `graph` lists. */
function recallAgainstExact(vectors: Float32Array, n: number, graph: NeighbourGraph): number {
  const { k } = graph;
  const queryRows = sampleIndices(n, RECALL_QUERIES, SEED);
  const exact = exactKnn(vectors, n, DIM, k, { queryRows });
  let found = 0;
  queryRows.forEach((row, r) => {
    const truth = new Set(exact.indices.subarray(r * k, (r + 1) * k));
    for (let j = 0; j < k; j++) if (truth.has(graph.indices[row * k + j])) found++;
  });
  return found / (queryRows.length * k);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe(`UMAP benchmark, ${SIZES.join(' / ')} × ${DIM}`, () => {
  for (const n of SIZES) {
    it(`UMAP 2D on ${n} points`, async () => {
      const used = performance.now() - startedAt;
      if (used > BUDGET_MS) {
        runs.push({ n, skipped: `bench budget of ${BUDGET_MS / 60_000} min used up (${round(used / 60_000, 1)} min) before this size` });
        return;
      }
      const vectors = clusteredData(n);
      const k = DEFAULT_UMAP.neighbours - 1;
      let rounds = 0;
      const approximate = await timed(() => approximateCosineKnn(vectors, n, DIM, k, {
        trees: DEFAULT_UMAP.forestTrees, rounds: DEFAULT_UMAP.refineRounds, seed: SEED,
      }, (round) => { rounds = round; }));
      const run: Record<string, unknown> = {
        n,
        approximateKnnMs: round(approximate.ms, 0),
        approximateKnnRounds: rounds,
        approximateKnnRecall: round(recallAgainstExact(vectors, n, approximate.value), 4),
      };
      let graph = approximate.value;
      if (n <= DEFAULT_UMAP.exactKnnMaxPoints) {
        const exact = await timed(() => exactKnn(vectors, n, DIM, k));
        run.exactKnnMs = round(exact.ms, 0);
        graph = exact.value;
      }
      run.knnUsed = n <= DEFAULT_UMAP.exactKnnMaxPoints ? 'exact' : 'approximate';
      const layout = await timed(() => umap(vectors, n, DIM, { components: 2, seed: SEED, graph }));
      expect(layout.value.coordinates.every(Number.isFinite)).toBe(true);
      run.epochs = layout.value.epochs;
      run.umapAfterKnnMs = round(layout.ms, 0);
      run.umapTotalMs = round(layout.ms + (n <= DEFAULT_UMAP.exactKnnMaxPoints ? (run.exactKnnMs as number) : approximate.ms), 0);
      const preservation = neighbourhoodPreservation(vectors, DIM, layout.value.coordinates, 2, n, {
        exactMaxPoints: 0, sample: PRESERVATION_SAMPLE, seed: SEED,
      });
      run.neighbourhoodPreservationSampled = round(preservation.value, 4);
      run.chance = round(preservation.chance, 6);
      runs.push(run);
      console.log(JSON.stringify(run));
    });
  }

  afterAll(() => {
    results.totalBenchMs = round(performance.now() - startedAt, 0);
    results.generatedAt = new Date().toISOString();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify(results, null, 2);
    writeFileSync(RESULTS_FILE, `${json}\n`);
    console.log(`${RESULTS_FILE}:\n${json}`);
  });
});
