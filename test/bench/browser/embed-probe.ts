/**
 * Loaded by test/bench/embed-browser.bench.ts into Chromium through Vite's dev server: the app's
 * EncoderEngine (the code the encoder worker runs) against a naive transformers.js
 * `feature-extraction` loop with batch 1, same model, same ONNX Runtime WASM backend, same texts.
 */
import { pipeline } from '@huggingface/transformers';
import { EncoderEngine } from '../../../src/ml/encoder';
import { appBaseOf, browserRuntime } from '../../../src/ml/locations';
import { modelKey, parseModelRef } from '../../../src/ml/model-ref';

export interface BrowserEmbedBench {
  patents: number;
  appSeconds: number;
  naiveSeconds: number;
  paddingFraction: number;
  worstCosine: number;
  device: string;
}

export async function runEmbedBench(texts: string[], modelRef: string, batchSize: number): Promise<BrowserEmbedBench> {
  const appBase = appBaseOf(new URL('/', location.href).href);
  const source = { kind: 'ref' as const, ref: modelRef, appBase };
  const engine = await EncoderEngine.create({ source, runtime: browserRuntime(appBase), devices: ['wasm'], dtype: 'fp32' });
  const info = engine.info();
  if (!info) throw new Error('the encoder did not load');
  await engine.embed(texts.slice(0, 64)); // warm-up
  let started = performance.now();
  const app = await engine.embed(texts, { batchSize });
  const appSeconds = (performance.now() - started) / 1000;

  // EncoderEngine.create pointed transformers.js at the loader's cache: the pipeline reads the same files.
  const extractor = await pipeline('feature-extraction', modelKey(parseModelRef(modelRef)), { dtype: 'fp32', device: 'wasm' });
  for (const text of texts.slice(0, 16)) await extractor(text, { pooling: 'mean', normalize: true }); // warm-up
  started = performance.now();
  let worstCosine = 1;
  for (let i = 0; i < texts.length; i++) {
    const vector = (await extractor(texts[i], { pooling: 'mean', normalize: true })).data as Float32Array;
    let dot = 0;
    for (let d = 0; d < app.dim; d++) dot += vector[d] * app.vectors[i * app.dim + d];
    worstCosine = Math.min(worstCosine, dot);
  }
  const naiveSeconds = (performance.now() - started) / 1000;
  await extractor.dispose();
  await engine.destroy();
  return { patents: texts.length, appSeconds, naiveSeconds, paddingFraction: app.paddingFraction, worstCosine, device: info.device };
}
