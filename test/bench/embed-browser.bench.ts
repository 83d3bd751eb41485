/**
 * Benchmark, not a test: patents per second on ONNX Runtime WASM in headless Chromium (the
 * backend the app uses without a hardware GPU), for the two bundled encoders on the demo corpus
 * and for a MiniLM-sized encoder (random weights, built here) on longer texts. Side by side:
 *  - naive: transformers.js `feature-extraction`, one text per call, ONNX Runtime's own thread
 *    default (a single thread on a 2-core machine): the baseline;
 *  - naive, threads: the same loop on every core (up to 4);
 *  - app, 1 thread / app, threads: the app's EncoderEngine (length-sorted exact-length batches
 *    sized for the thread count and the model's width, only last_hidden_state fetched) with
 *    threads off and on. The app itself runs models under THREADS_MIN_MODEL_BYTES on one thread
 *    and larger ones threaded (src/ml/runtime.ts): `app` in the output names which of the two
 *    that is, and appVsNaive is its speedup.
 * Every run is a fresh worker; configurations alternate over rounds. The machine is shared, so
 * speedups are given as the median of per-round ratios and as the ratio of best rounds.
 * Writes bench-results/embed-browser.json.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { wasmThreadsFor } from '../../src/ml/runtime';
import { CHROMIUM_PATH } from '../e2e/browser';
import { ensureMiniLmShapedModel, longTexts } from './browser/bench-model';
import { callProbe, withDevPage } from './browser/dev-page';
import type { BenchConfig, BrowserEmbedBench } from './browser/embed-probe';

const ROUNDS = Number(process.env.EMBED_BENCH_ROUNDS ?? 5);
const MINILM_TEXTS = Number(process.env.EMBED_BENCH_MINILM_TEXTS ?? 128);
/** The app's thread count for large models on this machine (src/ml/runtime.ts). */
const THREADS = wasmThreadsFor(null, cpus().length, true);
const CONFIGS: BenchConfig[] = [
  { name: 'naive', mode: 'naive', threads: 'onnxruntime' },
  { name: 'naive, threads', mode: 'naive', threads: THREADS },
  { name: 'app, 1 thread', mode: 'app', threads: 1 },
  { name: 'app, threads', mode: 'app', threads: THREADS },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Speedup of `fast` over `slow`: the median of per-round ratios (the two ran minutes apart at
 * most, so a load swing on the shared machine hits both), and the ratio of each one's best round.
 */
function speedup(runs: BrowserEmbedBench['runs'], slow: string, fast: string) {
  const ratios = runs[slow].seconds.map((s, round) => s / runs[fast].seconds[round]);
  return { medianOfRoundRatios: +median(ratios).toFixed(2), bestRounds: +(Math.min(...runs[slow].seconds) / Math.min(...runs[fast].seconds)).toFixed(2) };
}

function summarise(model: string, texts: string, modelBytes: number, measured: BrowserEmbedBench) {
  const appThreads = wasmThreadsFor(modelBytes, cpus().length, measured.crossOriginIsolated);
  const app = appThreads > 1 ? 'app, threads' : 'app, 1 thread';
  const configs = Object.fromEntries(Object.entries(measured.runs).map(([name, run]) => [name, {
    patentsPerSecondMedian: +(measured.patents / median(run.seconds)).toFixed(1),
    patentsPerSecondBest: +(measured.patents / Math.min(...run.seconds)).toFixed(1),
    seconds: run.seconds.map((s) => +s.toFixed(2)),
    threads: run.threads,
    paddingFraction: +run.paddingFraction.toFixed(3),
    worstCosineToNaive: +run.worstCosine.toFixed(6),
  }]));
  return {
    model, texts, patents: measured.patents, dim: measured.dim,
    crossOriginIsolated: measured.crossOriginIsolated, hardwareConcurrency: measured.hardwareConcurrency,
    configs,
    /** What the app runs: one thread below THREADS_MIN_MODEL_BYTES, every core (up to 4) above. */
    app: { config: app, threads: appThreads, modelBytes },
    appVsNaive: speedup(measured.runs, 'naive', app),
    app1ThreadVsNaive: speedup(measured.runs, 'naive', 'app, 1 thread'),
    appThreadsVsNaive: speedup(measured.runs, 'naive', 'app, threads'),
    threadGainApp: speedup(measured.runs, 'app, 1 thread', 'app, threads'),
    threadGainNaive: speedup(measured.runs, 'naive', 'naive, threads'),
  };
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('embedding throughput in Chromium (WASM)', () => {
  it('app engine vs naive feature-extraction loop, threads on and off', async () => {
    if (!existsSync('public/models/ps-techtoken-tiny')) throw new Error('public/models is missing: run `npm run build` first');
    const demo = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => patentText(JSON.parse(l) as Patent));
    const miniLm = ensureMiniLmShapedModel();
    const load = { before: loadavg().map((l) => +l.toFixed(2)), after: [] as number[] };
    const results = await withDevPage(async (page, base) => {
      const measured: ReturnType<typeof summarise>[] = [];
      const cases = [
        { model: 'bundled:ps-encoder-tiny', dir: 'models/ps-encoder-tiny', texts: demo, label: 'demo corpus' },
        { model: 'bundled:ps-techtoken-tiny', dir: 'models/ps-techtoken-tiny', texts: demo, label: 'demo corpus' },
        { model: `url:${new URL(`${miniLm}/`, base).href}`, dir: miniLm, texts: longTexts(demo, MINILM_TEXTS), label: `${MINILM_TEXTS} texts of 29-214 tokens cut from the demo patents` },
      ];
      for (const { model, dir, texts, label } of cases) {
        const run = await callProbe<BrowserEmbedBench>(page, '/test/bench/browser/embed-probe.ts', 'runEmbedBench', [texts, model, null, CONFIGS, ROUNDS]);
        const bytes = statSync(`${dir}/onnx/model.onnx`).size;
        const summary = summarise(model.startsWith('url:') ? `${miniLm} (MiniLM-L6 shape, random weights)` : model, label, bytes, run);
        console.log(JSON.stringify(summary));
        for (const config of Object.values(summary.configs)) expect(config.worstCosineToNaive).toBeGreaterThan(0.9999);
        measured.push(summary);
      }
      return measured;
    });
    load.after = loadavg().map((l) => +l.toFixed(2));
    const output = {
      backend: 'ONNX Runtime WASM (simd, threaded) in headless Chromium, fp32', rounds: ROUNDS,
      cpus: cpus().length, loadAverage: load, results, generatedAt: new Date().toISOString(),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/embed-browser.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 3_600_000);
});
