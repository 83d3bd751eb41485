/**
 * Benchmark, not a test: the forecast's scoring core for 8,000 codes × 384 dims, i.e. every one
 * of the 31,996,000 code pairs as a candidate. Side by side:
 *   - CPU twin: block-wise cosine of candidate pairs (candidateCosines + cosineBlock) and the
 *     exact radix AUC (rankScores);
 *   - naive JS: a textbook double loop (naiveCosineMatrix) and the sort-based rocAuc, measured
 *     on a subset and extrapolated (a full run would take minutes and a 256 MB dense matrix);
 *   - GPU: candidateCosines with the app's pair scorer (gpuPairCosines, one score per candidate) (on a software adapter: a subset of codes,
 *     extrapolated by pair count).
 * Writes bench-results/forecast.json. Only correctness is asserted, never a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';
import { candidateCosines } from '../../src/core/forecast/candidate-cosine';
import type { CandidatePairs } from '../../src/core/forecast/candidates';
import { rankScores } from '../../src/core/forecast/ranking';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { naiveCosineMatrix } from '../../src/core/similarity';
import { gpuPairCosineFn } from '../../src/gpu/forecast-cosine';
import { acquireTestDevice, maxAbsDiff, withDevice } from '../gpu/gpu-harness';

const N = 8000;
const DIM = 384;
const SEED = 20_240_612;
const NAIVE_ROWS = 500;
const NAIVE_AUC_SCORES = 2_000_000;
const GPU_FALLBACK_CODES = 1500;
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/forecast.json`;

const codes = Array.from({ length: N }, (_, i) => `C${i}`);
const vectors = randomNormalMatrix(mulberry32(SEED), N, DIM);
const embedding = { codes, dim: DIM, vectors };
const results: Record<string, unknown> = {
  codes: N,
  dim: DIM,
  pairs: (N * (N - 1)) / 2,
  seed: SEED,
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
};
let twinScores: Float32Array | undefined;

function allPairs(n: number): CandidatePairs {
  const length = (n * (n - 1)) / 2;
  const first = new Uint32Array(length);
  const second = new Uint32Array(length);
  let c = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      first[c] = i;
      second[c++] = j;
    }
  }
  return { codeCount: n, first, second, length };
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe(`forecast scoring benchmark, ${N} codes × ${DIM}`, () => {
  it('CPU twin: block-wise candidate cosines + radix AUC, against the naive loop and rocAuc', async () => {
    const candidates = allPairs(N);
    const cosine = await timed(() => candidateCosines(embedding, codes, candidates));
    const scores = cosine.value.scores;
    twinScores = scores;
    // Labels with a planted signal so the AUC is not trivially ½.
    const rng = mulberry32(SEED + 1);
    const labels = Uint8Array.from(scores, (s) => (s + 0.05 * (rng() - 0.5) > 0.12 ? 1 : 0));
    const auc = await timed(() => rankScores(scores, labels, { ks: [10, 100, 1000] }));

    const naiveCosine = await timed(() => naiveCosineMatrix(vectors.subarray(0, NAIVE_ROWS * DIM), NAIVE_ROWS, vectors, N, DIM));
    let worst = 0;
    for (let i = 0; i < NAIVE_ROWS; i++) {
      for (let j = i + 1; j < N; j += 97) {
        const c = i * N - (i * (i + 1)) / 2 + (j - i - 1);
        worst = Math.max(worst, Math.abs(scores[c] - naiveCosine.value[i * N + j]));
      }
    }
    expect(worst).toBeLessThan(1e-5);
    const naivePerPairMs = naiveCosine.ms / (NAIVE_ROWS * N);
    const subsetScores = scores.subarray(0, NAIVE_AUC_SCORES);
    const subsetLabels = labels.subarray(0, NAIVE_AUC_SCORES);
    const naiveAuc = await timed(() => rocAuc(subsetScores, subsetLabels));
    const radixSubset = rankScores(subsetScores, subsetLabels);
    expect(radixSubset.auc).toBe(naiveAuc.value);
    const pairs = candidates.length;
    const nLogN = (n: number): number => n * Math.log2(n);
    const naiveCosineMs = naivePerPairMs * pairs;
    const naiveAucMs = (naiveAuc.ms * nLogN(pairs)) / nLogN(NAIVE_AUC_SCORES);
    results.cpuTwin = {
      cosineMs: round(cosine.ms),
      aucMs: round(auc.ms),
      totalMs: round(cosine.ms + auc.ms),
      auc: auc.value.auc,
      positives: auc.value.positives,
      cosineGflops: round((pairs * DIM * 2) / (cosine.ms * 1e6), 2),
    };
    results.naiveJs = {
      extrapolated: true,
      how: `naiveCosineMatrix on ${NAIVE_ROWS} rows × ${N} scaled by pair count; rocAuc on the first ${NAIVE_AUC_SCORES} scores scaled by n·log n`,
      measured: { cosineMs: round(naiveCosine.ms), cosinePairs: NAIVE_ROWS * N, rocAucMs: round(naiveAuc.ms), rocAucScores: NAIVE_AUC_SCORES },
      cosineMs: round(naiveCosineMs),
      aucMs: round(naiveAucMs),
      totalMs: round(naiveCosineMs + naiveAucMs),
      maxAbsDiffVsTwin: worst,
      radixAucEqualsRocAucOnSubset: radixSubset.auc === naiveAuc.value,
    };
    results.speedup = round((naiveCosineMs + naiveAucMs) / (cosine.ms + auc.ms), 2);
  });

  it(
    'GPU: candidate cosines from gpuPairCosines',
    withDevice(async ({ device, adapter }) => {
      if (!twinScores) throw new Error('the CPU benchmark must run first');
      const codesOnGpu = adapter.isFallbackAdapter ? GPU_FALLBACK_CODES : N;
      const candidates = allPairs(codesOnGpu);
      const gpuPairs = gpuPairCosineFn(device);
      const sub = { codes: codes.slice(0, codesOnGpu), dim: DIM, vectors: vectors.subarray(0, codesOnGpu * DIM) };
      await candidateCosines(sub, codes, allPairs(64), { pairCosines: gpuPairs }); // warm-up: pipelines
      const run = await timed(() => candidateCosines(sub, codes, candidates, { pairCosines: gpuPairs }));
      const twin = await candidateCosines(sub, codes, candidates);
      const diff = maxAbsDiff(run.value.scores, twin.scores);
      expect(diff).toBeLessThan(1e-4);
      const scale = (N * (N - 1)) / (codesOnGpu * (codesOnGpu - 1));
      results.gpu = {
        adapter,
        codes: codesOnGpu,
        measuredMs: round(run.ms),
        cosineMs: round(run.ms * scale),
        extrapolated: codesOnGpu !== N,
        maxAbsDiffVsTwin: diff,
      };
    }),
  );

  afterAll(async () => {
    const acquired = await acquireTestDevice();
    if (!acquired.ok) results.gpuSkipped = acquired.reason;
    else if (acquired.adapter.isFallbackAdapter) {
      results.note = 'Fallback (software) adapter: GPU timings measure CPU emulation on a subset, scaled by pair count.';
    }
    results.generatedAt = new Date().toISOString();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify(results, null, 2);
    writeFileSync(RESULTS_FILE, `${json}\n`);
    console.log(`${RESULTS_FILE}:\n${json}`);
  });
});
