/**
 * One embedding run in a fresh worker (a fresh ONNX Runtime: its WASM thread count is fixed when
 * its first session is created in a realm, so every configuration gets its own worker). Loaded by
 * test/bench/browser/embed-probe.ts; the app runs the same EncoderEngine in workers/ml.worker.ts.
 */
import * as Comlink from 'comlink';
import { env, pipeline } from '@huggingface/transformers';
import { EncoderEngine } from '../../../src/ml/encoder';
import { openModel } from '../../../src/ml/runtime';
import { appBaseOf, browserRuntime } from '../../../src/ml/locations';
import { modelKey, parseModelRef } from '../../../src/ml/model-ref';

export interface EmbedRunConfig {
  modelRef: string;
  texts: string[];
  /** 'app': EncoderEngine, length-sorted batches; 'naive': transformers.js feature-extraction, one text per call. */
  mode: 'app' | 'naive';
  /**
   * WASM threads: a count, the app's default (src/ml/runtime.ts), or ONNX Runtime's own default
   * (ceil(cores / 2): what a plain transformers.js page gets).
   */
  threads: number | 'app' | 'onnxruntime';
  /** The app's batch cap; null: the engine's own (batchOptionsFor). */
  batchSize: number | null;
}

export interface EmbedRunResult {
  seconds: number;
  /** texts × dim, L2-normalised. */
  vectors: Float32Array;
  dim: number;
  paddingFraction: number;
  threads: number;
  crossOriginIsolated: boolean;
}

async function run(config: EmbedRunConfig): Promise<EmbedRunResult> {
  const appBase = appBaseOf(new URL('/', location.href).href);
  const runtime = { ...browserRuntime(appBase), wasmThreads: typeof config.threads === 'number' ? config.threads : undefined };
  const source = { kind: 'ref' as const, ref: config.modelRef, appBase };
  const { texts } = config;
  let result: Omit<EmbedRunResult, 'threads' | 'crossOriginIsolated'>;
  if (config.mode === 'app') {
    const engine = await EncoderEngine.create({ source, runtime, devices: ['wasm'], dtype: 'fp32' });
    await engine.embed(texts.slice(0, 32), { batchSize: config.batchSize ?? undefined }); // warm-up
    const started = performance.now();
    const embedded = await engine.embed(texts, { batchSize: config.batchSize ?? undefined });
    result = { seconds: (performance.now() - started) / 1000, vectors: embedded.vectors, dim: embedded.dim, paddingFraction: embedded.paddingFraction };
    await engine.destroy();
  } else {
    // Points transformers.js at the loader's cache (the files the app uses); no session yet, so
    // ONNX Runtime still takes its own thread default when asked to.
    await openModel(source, 'fp32', runtime);
    if (config.threads === 'onnxruntime') delete env.backends.onnx.wasm?.numThreads;
    const extractor = await pipeline('feature-extraction', modelKey(parseModelRef(config.modelRef)), { dtype: 'fp32', device: 'wasm' });
    for (const text of texts.slice(0, 8)) await extractor(text, { pooling: 'mean', normalize: true }); // warm-up
    const started = performance.now();
    const rows: Float32Array[] = [];
    for (const text of texts) rows.push((await extractor(text, { pooling: 'mean', normalize: true })).data as Float32Array);
    const seconds = (performance.now() - started) / 1000;
    const dim = rows[0].length;
    const vectors = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => vectors.set(row, i * dim));
    result = { seconds, vectors, dim, paddingFraction: 0 };
    await extractor.dispose();
  }
  const threads = env.backends.onnx.wasm?.numThreads;
  return Comlink.transfer({
    ...result,
    threads: typeof threads === 'number' && crossOriginIsolated ? threads : 1,
    crossOriginIsolated,
  }, [result.vectors.buffer]);
}

Comlink.expose({ run });
export type EmbedWorkerApi = { run: typeof run };
