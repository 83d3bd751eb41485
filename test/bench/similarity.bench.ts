/**
 * Benchmark, not a test: cosine matrix and k-NN for 2,000 × 384 random vectors on the GPU
 * kernels, the CPU twin, the WebAssembly SIMD kernel (wasmCosineKernel, which computes the upper
 * triangle and mirrors it) and a naive JS loop, side by side. Writes bench-results/similarity.json.
 * Only correctness is asserted; on SwiftShader (the fallback adapter) the GPU numbers measure a
 * CPU emulation and say nothing about real GPUs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmCosineKernel } from '../../src/core/fast-cosine/wasm-cosine';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import {
  cosineBlock,
  naiveCosineMatrix,
  normalizeRows,
  similarityTopK,
  type TopK,
} from '../../src/core/similarity';
import { gpuCosineMatrix, gpuSimilarityTopK } from '../../src/gpu/similarity-gpu';
import {
  acquireTestDevice,
  expectTopKEquivalent,
  maxAbsDiff,
  nextScoresOf,
  withDevice,
} from '../gpu/gpu-harness';

const N = 2000;
const DIM = 384;
const K = 10;
const SEED = 20_240_601;
/** Multiply-adds of an N×N cosine matrix, counted as 2 FLOPs each. */
const COSINE_FLOPS = 2 * N * N * DIM;
const GPU_TIMED_RUNS = 2;
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/similarity.json`;

interface Timing {
  ms: number;
  gflops: number;
  maxAbsDiffVsNaive?: number;
  runsMs?: number[];
}

const vectors = randomNormalMatrix(mulberry32(SEED), N, DIM);
const normalized = normalizeRows(vectors, N, DIM);
let naive: Float32Array | undefined;
let cpuTopK: TopK | undefined;
const results: Record<string, unknown> = {
  n: N,
  dim: DIM,
  k: K,
  seed: SEED,
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
};

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

function timing(ms: number, extra: Partial<Timing> = {}): Timing {
  return { ms: round(ms, 1), gflops: round(COSINE_FLOPS / (ms * 1e6), 3), ...extra };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

describe(`similarity benchmark, ${N} × ${DIM}`, () => {
  it('CPU: naive double loop, cosineBlock twin, similarityTopK', () => {
    const naiveRun = timed(() => naiveCosineMatrix(vectors, N, vectors, N, DIM));
    naive = naiveRun.value;
    // Let V8 optimise the twin's loop before timing it.
    cosineBlock(normalized.subarray(0, 64 * DIM), 64, normalized, N, DIM);
    const twinRun = timed(() => cosineBlock(normalized, N, normalized, N, DIM));
    const topkRun = timed(() => similarityTopK(vectors, N, DIM, K, true));
    cpuTopK = topkRun.value;
    const twinDiff = maxAbsDiff(twinRun.value, naive);
    expect(twinDiff).toBeLessThanOrEqual(1e-5);
    // The whole square as one block from row 0; the first call compiles and packs.
    const kernel = wasmCosineKernel();
    kernel.block(normalized, N, DIM, 0, 64);
    const wasmRun = timed(() => kernel.block(normalized, N, DIM, 0, N));
    const wasmDiff = maxAbsDiff(wasmRun.value, naive);
    // f32 summation: within (DIM + 1)·2⁻²⁴ of the exact dot product of unit rows.
    expect(wasmDiff).toBeLessThanOrEqual((DIM + 1) * 2 ** -24 + 1e-5);
    results.cosine = {
      naiveJs: timing(naiveRun.ms),
      cpuTwin: timing(twinRun.ms, { maxAbsDiffVsNaive: twinDiff }),
      cpuWasmSimd: timing(wasmRun.ms, { maxAbsDiffVsNaive: wasmDiff }),
    };
    results.topk = { cpu: { ms: round(topkRun.ms, 1) } };
  });

  it(
    'GPU: gpuCosineMatrix and gpuSimilarityTopK',
    withDevice(async ({ device, adapter, limits }) => {
      if (!naive || !cpuTopK) throw new Error('the CPU benchmark must run first');
      results.adapter = adapter;
      results.limits = limits;

      // 1. Cosine matrix: one warm-up (pipeline compilation, first allocation), then timed runs.
      await gpuCosineMatrix(device, normalized, N, normalized, N, DIM);
      const runs: number[] = [];
      let gpuCosine: Float32Array = new Float32Array(0);
      for (let i = 0; i < GPU_TIMED_RUNS; i++) {
        const run = await timedAsync(() => gpuCosineMatrix(device, normalized, N, normalized, N, DIM));
        runs.push(round(run.ms, 1));
        gpuCosine = run.value;
      }
      const gpuDiff = maxAbsDiff(gpuCosine, naive);
      expect(gpuDiff).toBeLessThanOrEqual(1e-4);
      Object.assign(results.cosine as object, {
        gpu: timing(Math.min(...runs), { maxAbsDiffVsNaive: gpuDiff, runsMs: runs }),
      });

      // 2. k-NN: warm-up compiles the normalise and top-k pipelines; timing includes upload,
      //    normalisation, all blocks and read-back, as the app sees it.
      await gpuSimilarityTopK(device, vectors, N, DIM, K, { excludeSelf: true });
      const gpuRun = await timedAsync(() => gpuSimilarityTopK(device, vectors, N, DIM, K, { excludeSelf: true }));
      expectTopKEquivalent(gpuRun.value, cpuTopK, {
        nextScores: nextScoresOf(similarityTopK(vectors, N, DIM, K + 1, true)),
      });
      let sameIndex = 0;
      for (let i = 0; i < cpuTopK.indices.length; i++) if (gpuRun.value.indices[i] === cpuTopK.indices[i]) sameIndex++;
      const topk = results.topk as { cpu: { ms: number } };
      Object.assign(topk, {
        gpu: { ms: round(gpuRun.ms, 1) },
        gpuSpeedup: round(topk.cpu.ms / gpuRun.ms, 2),
        maxScoreDiff: maxAbsDiff(gpuRun.value.scores, cpuTopK.scores),
        indexAgreement: round(sameIndex / cpuTopK.indices.length, 6),
      });
    }),
  );

  afterAll(async () => {
    const acquired = await acquireTestDevice();
    if (!acquired.ok) results.gpuSkipped = acquired.reason;
    else if (acquired.adapter.isFallbackAdapter) {
      results.note = 'Fallback (software) adapter: GPU timings measure CPU emulation, not a GPU.';
    }
    results.generatedAt = new Date().toISOString();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify(results, null, 2);
    writeFileSync(RESULTS_FILE, `${json}\n`);
    console.log(`${RESULTS_FILE}:\n${json}`);
  });
});
