/**
 * Benchmark, not a test: patents per second embedded by the app's encoder engine (length-sorted
 * exact-length batches, only last_hidden_state fetched, mask-aware pooling) against a naive
 * transformers.js `feature-extraction` loop with batch 1, same model, same backend, same texts;
 * for the two bundled encoders on the demo corpus and a MiniLM-sized encoder (random weights,
 * test/bench/browser/bench-model.ts) on longer texts; and the share of padding with and without
 * sorting by length. Rounds alternate the two paths; medians are reported.
 * Writes bench-results/embed.json. In Node the backend is onnxruntime-node on the CPU (both paths
 * use its default thread pool); the browser numbers are in embed-browser.bench.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { AutoTokenizer, pipeline } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import { localModelSource } from '../../src/ml/local-model';
import type { Patent } from '../../src/core/types';
import { EncoderEngine } from '../../src/ml/encoder';
import { ensureMiniLmShapedModel, longTexts } from './browser/bench-model';

/** Batch size of the unsorted-padding comparison (the engine sizes its own batches). */
const BATCH = 32;
const ROUNDS = Number(process.env.EMBED_BENCH_ROUNDS ?? 2);
const MINILM_TEXTS = Number(process.env.EMBED_BENCH_MINILM_TEXTS ?? 256);

function paddingShare(lengths: number[], batch: number): number {
  let padded = 0;
  let positions = 0;
  for (let i = 0; i < lengths.length; i += batch) {
    const slice = lengths.slice(i, i + batch);
    const width = Math.max(...slice);
    positions += width * slice.length;
    padded += slice.reduce((s, n) => s + width - n, 0);
  }
  return padded / positions;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function compare(root: string, id: string, texts: string[]) {
  const engine = await EncoderEngine.create({ source: localModelSource(root, id), devices: ['cpu'] });
  const extractor = await pipeline('feature-extraction', id, { dtype: 'fp32', device: 'cpu' });
  await engine.embed(texts.slice(0, 32)); // warm-up
  for (const text of texts.slice(0, 8)) await extractor(text, { pooling: 'mean', normalize: true });
  const appSeconds: number[] = [];
  const naiveSeconds: number[] = [];
  let app = await engine.embed(texts.slice(0, 1));
  let naive: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    app = await engine.embed(texts);
    appSeconds.push((performance.now() - started) / 1000);
    started = performance.now();
    naive = [];
    for (const text of texts) naive.push(Array.from((await extractor(text, { pooling: 'mean', normalize: true })).data as Float32Array));
    naiveSeconds.push((performance.now() - started) / 1000);
  }
  // Both paths must compute the same vectors, or the comparison means nothing.
  let worst = 1;
  naive.forEach((vector, i) => {
    let dot = 0;
    for (let d = 0; d < app.dim; d++) dot += vector[d] * app.vectors[i * app.dim + d];
    worst = Math.min(worst, dot);
  });
  expect(worst).toBeGreaterThan(0.9999);
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  const lengths = texts.map((t) => tokenizer.encode(t).length);
  await extractor.dispose();
  await engine.destroy();
  return {
    model: id, patents: texts.length,
    app: { patentsPerSecond: +(texts.length / median(appSeconds)).toFixed(1), seconds: appSeconds.map((s) => +s.toFixed(2)), paddingFraction: +app.paddingFraction.toFixed(3) },
    naiveBatch1: { patentsPerSecond: +(texts.length / median(naiveSeconds)).toFixed(1), seconds: naiveSeconds.map((s) => +s.toFixed(2)) },
    speedup: +(median(naiveSeconds) / median(appSeconds)).toFixed(2),
    paddingFractionUnsorted: +paddingShare(lengths, BATCH).toFixed(3),
    worstCosineAppVsNaive: +worst.toFixed(6),
  };
}

describe('embedding throughput', () => {
  it('app engine vs naive feature-extraction loop', async () => {
    const demo = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => patentText(JSON.parse(l) as Patent));
    const miniLm = ensureMiniLmShapedModel();
    const loadBefore = loadavg().map((l) => +l.toFixed(2));
    const results = [
      await compare('models', 'ps-encoder-tiny', demo),
      await compare('models', 'ps-techtoken-tiny', demo),
      { ...(await compare(dirname(miniLm), basename(miniLm), longTexts(demo, MINILM_TEXTS))), texts: `${MINILM_TEXTS} texts of 29-214 tokens cut from the demo patents` },
    ];
    const output = {
      backend: 'onnxruntime-node (CPU), fp32', rounds: ROUNDS, cpus: cpus().length,
      loadAverage: { before: loadBefore, after: loadavg().map((l) => +l.toFixed(2)) },
      results, generatedAt: new Date().toISOString(),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/embed.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 1_800_000);
});
