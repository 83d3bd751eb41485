/**
 * Benchmark, not a test: the forecast's scoring core for 8,000 codes × 384 dims, i.e. every one
 * of the 31,996,000 code pairs as a candidate. Side by side, in one run:
 *   - CPU twin ("before"): candidateCosines with the reference cosineBlock, and the radix AUC as
 *     it was before the counting pass (test/bench/ranking-baseline.ts, a frozen copy);
 *   - fast CPU ("after"): candidateCosines with wasmCosineBlock (WebAssembly SIMD) and today's
 *     rankScores;
 *   - naive JS: a textbook double loop (naiveCosineMatrix) and the sort-based rocAuc, measured
 *     on a subset and extrapolated (a full run would take minutes and a 256 MB dense matrix);
 *   - GPU: candidateCosines with the app's pair scorer (gpuPairCosines, one score per candidate;
 *     on a software adapter: a subset of codes, extrapolated by pair count). BENCH_GPU=0 skips it while
 *     iterating on the CPU paths.
 * Wall times are the figures; CPU times (process.cpuUsage) are recorded beside them because a
 * shared 2-core machine inflates wall time by whatever else runs. Writes
 * bench-results/forecast.json. Only correctness is asserted, never a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';
import { wasmCosineBlock } from '../../src/core/fast-cosine/wasm-cosine';
import { candidateCosines } from '../../src/core/forecast/candidate-cosine';
import type { CandidatePairs } from '../../src/core/forecast/candidates';
import { rankScores, type RankingSummary } from '../../src/core/forecast/ranking';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { naiveCosineMatrix } from '../../src/core/similarity';
import { gpuPairCosineFn } from '../../src/gpu/forecast-cosine';
import { acquireTestDevice, maxAbsDiff, withDevice } from '../gpu/gpu-harness';
import { rankScoresBaseline } from './ranking-baseline';
import { round, timed, type Timed } from './timing';

const N = 8000;
const DIM = 384;
const SEED = 20_240_612;
const NAIVE_ROWS = 500;
const NAIVE_AUC_SCORES = 2_000_000;
const GPU_FALLBACK_CODES = 1500;
const KS = [10, 100, 1000];
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/forecast.json`;
/** f32 accumulation of a dot product of unit vectors vs. the twin's f64 one: γ_dim + one rounding. */
const FAST_TOLERANCE = (DIM + 1) * 2 ** -24;

const codes = Array.from({ length: N }, (_, i) => `C${i}`);
const vectors = randomNormalMatrix(mulberry32(SEED), N, DIM);
const embedding = { codes, dim: DIM, vectors };
const pairs = (N * (N - 1)) / 2;
const results: Record<string, unknown> = {
  codes: N,
  dim: DIM,
  pairs,
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

/** Labels with a planted signal so the AUC is not trivially ½; the same for every path. */
function plantedLabels(scores: Float32Array): Uint8Array {
  const rng = mulberry32(SEED + 1);
  return Uint8Array.from(scores, (s) => (s + 0.05 * (rng() - 0.5) > 0.12 ? 1 : 0));
}

function pathFigures(cosine: Timed<unknown>, auc: Timed<RankingSummary>): Record<string, unknown> {
  return {
    cosineMs: round(cosine.ms),
    aucMs: round(auc.ms),
    totalMs: round(cosine.ms + auc.ms),
    cosineGflops: round((pairs * DIM * 2) / (cosine.ms * 1e6), 2),
    cpu: { cosineMs: round(cosine.cpuMs), aucMs: round(auc.cpuMs), totalMs: round(cosine.cpuMs + auc.cpuMs) },
    auc: auc.value.auc,
    positives: auc.value.positives,
  };
}

function sameSummary(a: RankingSummary, b: RankingSummary): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe(`forecast scoring benchmark, ${N} codes × ${DIM}`, () => {
  it('CPU twin and fast CPU path, against the naive loop and rocAuc', async () => {
    const pairsOf = allPairs(N);
    // Before: the reference kernel and the frozen radix AUC.
    const twinCosine = await timed(() => candidateCosines(embedding, codes, pairsOf));
    const scores = twinCosine.value.scores;
    twinScores = scores;
    const labels = plantedLabels(scores);
    const twinAuc = await timed(() => rankScoresBaseline(scores, labels, { ks: KS }));

    // After: WebAssembly SIMD cosines and the counting AUC, on the same labels.
    const fastCosine = await timed(() => candidateCosines(embedding, codes, pairsOf, { cosineBlock: wasmCosineBlock }));
    const fastScores = fastCosine.value.scores;
    const fastAuc = await timed(() => rankScores(fastScores, labels, { ks: KS }));
    const fastVsTwin = maxAbsDiff(fastScores, scores);
    expect(fastVsTwin).toBeLessThanOrEqual(FAST_TOLERANCE);
    // Exactness: both AUC implementations agree on both score sets, ROC and precision@k included.
    expect(sameSummary(rankScores(scores, labels, { ks: KS }), twinAuc.value)).toBe(true);
    expect(sameSummary(rankScoresBaseline(fastScores, labels, { ks: KS }), fastAuc.value)).toBe(true);

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
    const subsetAuc = rankScores(subsetScores, subsetLabels).auc;
    expect(subsetAuc).toBe(naiveAuc.value);
    expect(rankScores(fastScores.subarray(0, NAIVE_AUC_SCORES), subsetLabels).auc).toBe(rocAuc(fastScores.subarray(0, NAIVE_AUC_SCORES), subsetLabels));
    const nLogN = (n: number): number => n * Math.log2(n);
    const naiveCosineMs = naivePerPairMs * pairs;
    const naiveAucMs = (naiveAuc.ms * nLogN(pairs)) / nLogN(NAIVE_AUC_SCORES);
    const naiveTotal = naiveCosineMs + naiveAucMs;
    const naiveCpuTotal = (naiveCosine.cpuMs / (NAIVE_ROWS * N)) * pairs + (naiveAuc.cpuMs * nLogN(pairs)) / nLogN(NAIVE_AUC_SCORES);
    const twinTotal = twinCosine.ms + twinAuc.ms;
    const fastTotal = fastCosine.ms + fastAuc.ms;

    results.cpuTwin = { ...pathFigures(twinCosine, twinAuc), how: 'cosineBlock (f64 accumulation) + pre-counting radix AUC' };
    results.fastCpu = {
      ...pathFigures(fastCosine, fastAuc),
      how: 'wasmCosineBlock (WebAssembly SIMD, f32x4, 4×8 tiles, upper triangle) + rankScores (counting radix AUC, WebAssembly passes)',
      maxAbsDiffVsTwin: fastVsTwin,
      tolerance: FAST_TOLERANCE,
      aucBitIdenticalToBaseline: true,
    };
    results.naiveJs = {
      extrapolated: true,
      how: `naiveCosineMatrix on ${NAIVE_ROWS} rows × ${N} scaled by pair count; rocAuc on the first ${NAIVE_AUC_SCORES} scores scaled by n·log n`,
      measured: { cosineMs: round(naiveCosine.ms), cosinePairs: NAIVE_ROWS * N, rocAucMs: round(naiveAuc.ms), rocAucScores: NAIVE_AUC_SCORES },
      cosineMs: round(naiveCosineMs),
      aucMs: round(naiveAucMs),
      totalMs: round(naiveTotal),
      cpuTotalMs: round(naiveCpuTotal),
      maxAbsDiffVsTwin: worst,
      radixAucEqualsRocAucOnSubset: subsetAuc === naiveAuc.value,
    };
    results.speedup = {
      twinVsNaive: round(naiveTotal / twinTotal, 2),
      fastVsNaive: round(naiveTotal / fastTotal, 2),
      fastVsTwin: round(twinTotal / fastTotal, 2),
      cosineFastVsTwin: round(twinCosine.ms / fastCosine.ms, 2),
      aucFastVsTwin: round(twinAuc.ms / fastAuc.ms, 2),
      cpuTime: {
        twinVsNaive: round(naiveCpuTotal / (twinCosine.cpuMs + twinAuc.cpuMs), 2),
        fastVsNaive: round(naiveCpuTotal / (fastCosine.cpuMs + fastAuc.cpuMs), 2),
      },
    };
  });

  it.skipIf(process.env.BENCH_GPU === '0')(
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
    if (process.env.BENCH_GPU === '0') results.gpuSkipped = 'BENCH_GPU=0';
    else {
      const acquired = await acquireTestDevice();
      if (!acquired.ok) results.gpuSkipped = acquired.reason;
      else if (acquired.adapter.isFallbackAdapter) {
        results.note = 'Fallback (software) adapter: GPU timings measure CPU emulation on a subset, scaled by pair count.';
      }
    }
    results.generatedAt = new Date().toISOString();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify(results, null, 2);
    writeFileSync(RESULTS_FILE, `${json}\n`);
    console.log(`${RESULTS_FILE}:\n${json}`);
  });
});
