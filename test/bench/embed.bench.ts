/**
 * Benchmark, not a test: patents per second embedded by the app's encoder engine (length-sorted
 * batches of 32, mask-aware pooling) against a naive transformers.js `feature-extraction` loop
 * with batch 1, same model, same backend, same texts; and the share of padding per batch with and
 * without sorting by length. Writes bench-results/embed.json.
 * In Node the backend is onnxruntime-node on the CPU (the browser app runs the same engine on
 * ONNX Runtime WASM or WebGPU).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer, pipeline } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import { localModelSource } from '../../src/ml/local-model';
import type { Patent } from '../../src/core/types';
import { BUNDLED_MODEL_NAME } from '../../src/ml/bundled';
import { EncoderEngine } from '../../src/ml/encoder';

const BATCH = 32;
const LENGTH_BUCKET = 16;

function paddingShare(lengths: number[], batch: number, bucket: number): number {
  let padded = 0;
  let positions = 0;
  for (let i = 0; i < lengths.length; i += batch) {
    const slice = lengths.slice(i, i + batch);
    const width = Math.ceil(Math.max(...slice) / bucket) * bucket;
    positions += width * slice.length;
    padded += slice.reduce((s, n) => s + width - n, 0);
  }
  return padded / positions;
}

describe('embedding throughput', () => {
  it('app engine vs naive feature-extraction loop on the demo corpus', async () => {
    const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
    const texts = patents.map(patentText);
    const engine = await EncoderEngine.create({ source: localModelSource('models', BUNDLED_MODEL_NAME), devices: ['cpu'] });
    await engine.embed(texts.slice(0, 64)); // warm-up
    let started = performance.now();
    const app = await engine.embed(texts, { batchSize: BATCH });
    const appSeconds = (performance.now() - started) / 1000;

    const extractor = await pipeline('feature-extraction', BUNDLED_MODEL_NAME, { dtype: 'fp32', device: 'cpu' });
    for (const text of texts.slice(0, 16)) await extractor(text, { pooling: 'mean', normalize: true }); // warm-up
    started = performance.now();
    const naive: number[][] = [];
    for (const text of texts) naive.push(Array.from((await extractor(text, { pooling: 'mean', normalize: true })).data as Float32Array));
    const naiveSeconds = (performance.now() - started) / 1000;

    // Both paths must compute the same vectors, or the comparison means nothing.
    const dim = app.dim;
    let worst = 1;
    naive.forEach((vector, i) => {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += vector[d] * app.vectors[i * dim + d];
      worst = Math.min(worst, dot);
    });
    expect(worst).toBeGreaterThan(0.9999);

    const tokenizer = await AutoTokenizer.from_pretrained(BUNDLED_MODEL_NAME);
    const tokenizerLengths = texts.map((t) => tokenizer.encode(t).length);
    const output = {
      model: BUNDLED_MODEL_NAME,
      backend: 'onnxruntime-node (CPU), fp32',
      patents: texts.length,
      app: { patentsPerSecond: +(texts.length / appSeconds).toFixed(1), seconds: +appSeconds.toFixed(2), batch: BATCH, paddingFraction: +app.paddingFraction.toFixed(3) },
      naiveBatch1: { patentsPerSecond: +(texts.length / naiveSeconds).toFixed(1), seconds: +naiveSeconds.toFixed(2) },
      speedup: +(naiveSeconds / appSeconds).toFixed(2),
      paddingFractionUnsorted: +paddingShare(tokenizerLengths, BATCH, LENGTH_BUCKET).toFixed(3),
      worstCosineAppVsNaive: +worst.toFixed(6),
      generatedAt: new Date().toISOString(),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/embed.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
    await engine.destroy();
  }, 600_000);
});
