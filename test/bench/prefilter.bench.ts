/**
 * Benchmark, not a test: stage 1 of BREF matching on the CPU, synthetic vectors of the real shape
 * (65,000 patents × 4,212 catalogue sections × 384 dims), the top-10 sections of every patent and
 * the top-10 patents of every section. Side by side in one run:
 *   - fast CPU: crossTopK with the WebAssembly SIMD block kernel (wasmCosineBlock), the P × S
 *     matrix scored in row blocks and never held whole;
 *   - naive JS: a textbook double loop (cosine with precomputed norms) and a full sort per row
 *     and per column, timed on a slice of the patents (the whole would take many minutes) and
 *     reported per pair.
 * Figures are pairs per second, their ratio, and both extrapolated by pair count to 650,000
 * patents. CPU times (process.cpuUsage) sit beside wall times because the machine is shared.
 * Sizes: PREFILTER_BENCH_PATENTS, _SECTIONS, _DIM, _K, _NAIVE_ROWS, _BLOCK_BYTES. Writes
 * bench-results/prefilter.json. Only correctness is asserted, never a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { initWasmCosine, wasmCosineBlock } from '../../src/core/fast-cosine/wasm-cosine';
import { crossTopK, DEFAULT_CROSS_BLOCK_BYTES } from '../../src/core/prefilter/cross-topk';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { round, timed } from './timing';

const env = (name: string, fallback: number): number => {
  const value = process.env[`PREFILTER_BENCH_${name}`];
  return value === undefined || value === '' ? fallback : Number(value);
};
const P = env('PATENTS', 65_000);
const S = env('SECTIONS', 4_212);
const DIM = env('DIM', 384);
const K = env('K', 10);
const NAIVE_ROWS = Math.min(P, env('NAIVE_ROWS', 300));
const BLOCK_BYTES = process.env.PREFILTER_BENCH_BLOCK_BYTES ? Number(process.env.PREFILTER_BENCH_BLOCK_BYTES) : undefined;
const TARGET_PATENTS = 650_000;
const SEED = 20_250_301;
const RESULTS_DIR = 'bench-results';
const RESULTS_FILE = `${RESULTS_DIR}/prefilter.json`;

const results: Record<string, unknown> = {
  patents: P,
  sections: S,
  dim: DIM,
  k: K,
  pairs: P * S,
  seed: SEED,
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
};

/** The naive baseline: cosine matrix of `rows` patents × all sections, then a sort per row and per column. */
function naiveTopK(patents: Float32Array, rows: number, sections: Float32Array): { perPatent: number[][]; perSection: number[][]; matrix: Float64Array } {
  const norms = (x: Float32Array, n: number): Float64Array => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let d = 0; d < DIM; d++) s += x[r * DIM + d] * x[r * DIM + d];
      out[r] = Math.sqrt(s);
    }
    return out;
  };
  const pn = norms(patents, rows);
  const sn = norms(sections, S);
  const matrix = new Float64Array(rows * S);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < S; j++) {
      let dot = 0;
      for (let d = 0; d < DIM; d++) dot += patents[i * DIM + d] * sections[j * DIM + d];
      const n = pn[i] * sn[j];
      matrix[i * S + j] = n === 0 ? 0 : dot / n;
    }
  }
  const perPatent: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const order = Array.from({ length: S }, (_, j) => j).sort((a, b) => matrix[i * S + b] - matrix[i * S + a] || a - b);
    perPatent.push(order.slice(0, K));
  }
  const perSection: number[][] = [];
  for (let j = 0; j < S; j++) {
    const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => matrix[b * S + j] - matrix[a * S + j] || a - b);
    perSection.push(order.slice(0, K));
  }
  return { perPatent, perSection, matrix };
}

describe(`prefilter benchmark, ${P} patents × ${S} sections × ${DIM}`, () => {
  it('crossTopK on the WebAssembly SIMD kernel against a naive double loop', async () => {
    const rng = mulberry32(SEED);
    const sections = randomNormalMatrix(rng, S, DIM);
    const patents = randomNormalMatrix(rng, P, DIM);
    await initWasmCosine();
    const options = { k: K, cosineBlock: wasmCosineBlock, maxBlockBytes: BLOCK_BYTES };
    // Warm-up on a few rows: compiles the kernel and the JS loops before the timed run.
    await crossTopK(patents.subarray(0, 64 * DIM), 64, sections, S, DIM, options);
    const fast = await timed(() => crossTopK(patents, P, sections, S, DIM, options));

    const naive = await timed(() => naiveTopK(patents, NAIVE_ROWS, sections));
    // Correctness on the slice: the fast lists hold the naive scores place by place (an index
    // may differ only where two scores are within rounding of each other).
    let worst = 0;
    for (let i = 0; i < NAIVE_ROWS; i++) {
      naive.value.perPatent[i].forEach((j, p) => {
        const have = fast.value.perPatent.indices[i * K + p];
        worst = Math.max(worst, Math.abs(fast.value.perPatent.scores[i * K + p] - naive.value.matrix[i * S + j]));
        if (have !== j) worst = Math.max(worst, Math.abs(naive.value.matrix[i * S + have] - naive.value.matrix[i * S + j]));
      });
    }
    expect(worst).toBeLessThan(1e-5);
    if (NAIVE_ROWS === P) {
      naive.value.perSection.forEach((list, j) => list.forEach((i, p) => {
        expect(Math.abs(fast.value.perSection.scores[j * K + p] - naive.value.matrix[i * S + j])).toBeLessThan(1e-5);
      }));
    }

    const fastPairsPerS = (P * S) / (fast.ms / 1000);
    const naivePairsPerS = (NAIVE_ROWS * S) / (naive.ms / 1000);
    const targetPairs = TARGET_PATENTS * S;
    results.fastCpu = {
      how: 'crossTopK: wasmCosineBlock (WebAssembly SIMD, f32x4, 4×8 tiles) on row blocks of patents stacked above the sections; both top-k directions merged from each block in one sweep (mergeBlock)',
      ms: round(fast.ms),
      cpuMs: round(fast.cpuMs),
      pairsPerSecond: Math.round(fastPairsPerS),
      gflops: round((P * S * DIM * 2) / (fast.ms * 1e6), 2),
      maxBlockBytes: BLOCK_BYTES ?? DEFAULT_CROSS_BLOCK_BYTES,
      maxAbsDiffVsNaiveOnSlice: worst,
    };
    results.naiveJs = {
      how: `textbook double loop (f64 dot products, norms precomputed) + a full sort per row and per column, on a slice of the first ${NAIVE_ROWS} patents × all ${S} sections`,
      slice: true,
      slicePatents: NAIVE_ROWS,
      ms: round(naive.ms),
      cpuMs: round(naive.cpuMs),
      pairsPerSecond: Math.round(naivePairsPerS),
    };
    results.ratio = {
      fastVsNaive: round(fastPairsPerS / naivePairsPerS, 1),
      cpuTime: round((naive.cpuMs / (NAIVE_ROWS * S)) / (fast.cpuMs / (P * S)), 1),
    };
    results.extrapolated = {
      patents: TARGET_PATENTS,
      sections: S,
      pairs: targetPairs,
      how: 'measured pairs per second scaled by pair count (both directions of top-k included in each path)',
      fastCpuSeconds: round(targetPairs / fastPairsPerS),
      naiveJsSeconds: round(targetPairs / naivePairsPerS),
    };
  });

  afterAll(() => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  });
});
