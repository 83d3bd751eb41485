/**
 * Loaded by test/bench/embed-browser.bench.ts into Chromium through Vite's dev server: the app's
 * EncoderEngine (the code the ML worker runs) against a naive transformers.js
 * `feature-extraction` loop with batch 1, same model, same ONNX Runtime WASM backend, same texts,
 * each run in a fresh worker. Configurations alternate round by round, so a load spike on the
 * machine hits all of them alike.
 */
import * as Comlink from 'comlink';
import type { EmbedRunConfig, EmbedRunResult, EmbedWorkerApi } from './embed-worker';

export interface BenchConfig {
  name: string;
  mode: EmbedRunConfig['mode'];
  threads: EmbedRunConfig['threads'];
}

export interface BrowserEmbedBench {
  patents: number;
  dim: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Per configuration: seconds of each round, the threads it ran with, padding, worst cosine to the first configuration. */
  runs: Record<string, { seconds: number[]; threads: number; paddingFraction: number; worstCosine: number }>;
}

async function runInWorker(config: EmbedRunConfig): Promise<EmbedRunResult> {
  const worker = new Worker(new URL('./embed-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await Comlink.wrap<EmbedWorkerApi>(worker).run(config);
  } finally {
    worker.terminate();
  }
}

function worstCosine(a: Float32Array, b: Float32Array, dim: number): number {
  let worst = 1;
  for (let row = 0; row < a.length / dim; row++) {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += a[row * dim + d] * b[row * dim + d];
    worst = Math.min(worst, dot);
  }
  return worst;
}

export async function runEmbedBench(texts: string[], modelRef: string, batchSize: number | null, configs: BenchConfig[], rounds: number): Promise<BrowserEmbedBench> {
  const runs: BrowserEmbedBench['runs'] = {};
  let reference: Float32Array | null = null;
  let dim = 0;
  let isolated = false;
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round as well, so no configuration always runs first.
    const order = configs.map((_, i) => configs[(i + round) % configs.length]);
    for (const config of order) {
      const result = await runInWorker({ modelRef, texts, mode: config.mode, threads: config.threads, batchSize });
      dim = result.dim;
      isolated = result.crossOriginIsolated;
      reference ??= result.vectors;
      const entry = runs[config.name] ?? { seconds: [], threads: result.threads, paddingFraction: result.paddingFraction, worstCosine: 1 };
      entry.seconds.push(result.seconds);
      entry.worstCosine = Math.min(entry.worstCosine, worstCosine(result.vectors, reference, dim));
      runs[config.name] = entry;
    }
  }
  return { patents: texts.length, dim, crossOriginIsolated: isolated, hardwareConcurrency: navigator.hardwareConcurrency, runs };
}
