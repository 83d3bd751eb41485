/**
 * Benchmark, not a test: the embedding comparison of embed.bench.ts on ONNX Runtime WASM in
 * headless Chromium (the backend the app falls back to without WebGPU). Vite's dev server serves
 * the app's own modules to the page, which imports test/bench/browser/embed-probe.ts.
 * Writes bench-results/embed-browser.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { CHROMIUM_PATH } from '../e2e/browser';
import { callProbe, withDevPage } from './browser/dev-page';
import type { BrowserEmbedBench } from './browser/embed-probe';

const BATCH = 32;
const MODELS = ['bundled:ps-encoder-tiny', 'bundled:ps-techtoken-tiny'];

describe.skipIf(!existsSync(CHROMIUM_PATH))('embedding throughput in Chromium (WASM)', () => {
  it('app engine vs naive feature-extraction loop on the demo corpus', async () => {
    if (!existsSync('public/models/ps-techtoken-tiny')) throw new Error('public/models is missing: run `npm run build` first');
    const texts = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => patentText(JSON.parse(l) as Patent));
    const results = await withDevPage(async (page) => {
      const measuredResults: Record<string, unknown>[] = [];
      for (const model of MODELS) {
        const measured = await callProbe<BrowserEmbedBench>(page, '/test/bench/browser/embed-probe.ts', 'runEmbedBench', [texts, model, BATCH]);
        expect(measured.worstCosine).toBeGreaterThan(0.9999);
        measuredResults.push({
          model, backend: `ONNX Runtime WASM in headless Chromium (${measured.device}), fp32`, patents: measured.patents,
          app: { patentsPerSecond: +(measured.patents / measured.appSeconds).toFixed(1), seconds: +measured.appSeconds.toFixed(2), batch: BATCH, paddingFraction: +measured.paddingFraction.toFixed(3) },
          naiveBatch1: { patentsPerSecond: +(measured.patents / measured.naiveSeconds).toFixed(1), seconds: +measured.naiveSeconds.toFixed(2) },
          speedup: +(measured.naiveSeconds / measured.appSeconds).toFixed(2),
          worstCosineAppVsNaive: +measured.worstCosine.toFixed(6),
        });
      }
      return measuredResults;
    });
    const output = { results, generatedAt: new Date().toISOString() };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/embed-browser.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 900_000);
});
