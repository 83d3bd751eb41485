/**
 * The nearest-codes engine over a stored dataset: the vectors it reads through the store's
 * aligned read give the core's answer on the same patents, on the CPU and on WebGPU (through the
 * harness's device), and "no vectors yet" is the NoEmbeddings outcome.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { neighbourLists } from '../../src/core/neighbours';
import { isNoEmbeddings, type NoEmbeddings } from '../../src/core/outcomes';
import { similarityTopK } from '../../src/core/similarity';
import { CodeNeighbourEngine, type CodeNeighbourResult } from '../../src/engines/code-neighbours';
import { GPU_OFF_REASON } from '../../src/gpu/backend';
import { techTokenKey } from '../../src/ml/vector-keys';
import { DatasetStore } from '../../src/store/dataset-store';
import { loadDemoVectors } from '../core/layout/demo-vectors';
import { withDevice } from '../gpu/gpu-harness';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const demo = loadDemoVectors();
const K = 5;

/** Stores the demo patents and the vectors of every `keep`-th one (by id order) under 'tfidf'. */
async function storeDemo(keep = 1): Promise<{ datasetId: string; embedded: typeof demo.patents; vectors: Float32Array }> {
  useFreshIndexedDb();
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, demo.patents);
  await store.finishImport(dataset.id, makeReport(demo.n), countCodes(demo.patents));
  const rowOf = new Map(demo.patents.map((p, i) => [p.id, i]));
  const embedded = (await store.getPatents(dataset.id)).filter((_, i) => i % keep === 0);
  const vectors = new Float32Array(embedded.length * demo.dim);
  embedded.forEach((p, r) => vectors.set(demo.vectors.subarray((rowOf.get(p.id) as number) * demo.dim, ((rowOf.get(p.id) as number) + 1) * demo.dim), r * demo.dim));
  // Stored in reverse: the engine must align rows to patents, not trust the stored order.
  const reversed = new Float32Array(vectors.length);
  for (let r = 0; r < embedded.length; r++) reversed.set(vectors.subarray(r * demo.dim, (r + 1) * demo.dim), (embedded.length - 1 - r) * demo.dim);
  await store.putEmbeddings(dataset.id, 'tfidf', embedded.map((p) => p.id).reverse(), reversed, demo.dim);
  store.close();
  return { datasetId: dataset.id, embedded, vectors };
}

function resultOf(outcome: CodeNeighbourResult | NoEmbeddings): CodeNeighbourResult {
  if (isNoEmbeddings(outcome)) throw new Error(`expected neighbours, got: ${outcome.message}`);
  return outcome;
}

describe('CodeNeighbourEngine', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives the core\'s neighbours of the embedded patents\' code vectors (some patents not embedded)', async () => {
    const { datasetId, embedded, vectors } = await storeDemo(3);
    const engine = new CodeNeighbourEngine();
    await engine.init({ preferGpu: false });
    const result = resultOf(await engine.neighbours(datasetId, 'tfidf', { level: 'subclass', k: K, method: 'mean-of-patents' }));
    const codeVectors = meanOfPatentVectors(embedded, vectors, demo.dim, 'subclass');
    const topK = similarityTopK(codeVectors.vectors, codeVectors.codes.length, demo.dim, K, true);
    expect(result.codes).toEqual(codeVectors.codes);
    expect(result.counts).toEqual(Array.from(codeVectors.counts));
    expect(result.neighbours).toEqual(neighbourLists(codeVectors.codes, topK));
    expect(result.backend).toEqual({ kind: 'cpu', fallbackReason: GPU_OFF_REASON });
    await engine.destroy();
  });

  it('runs on WebGPU through the GPU policy with the same neighbours', withDevice(async (kit) => {
    const { datasetId } = await storeDemo();
    const engine = new CodeNeighbourEngine({ gpu: kit.policy() });
    await engine.init({ preferGpu: false });
    const cpu = resultOf(await engine.neighbours(datasetId, 'tfidf', { level: 'subclass', k: K, method: 'mean-of-patents' }));
    await engine.init({ preferGpu: true });
    const gpu = resultOf(await engine.neighbours(datasetId, 'tfidf', { level: 'subclass', k: K, method: 'mean-of-patents' }));
    expect(gpu.backend).toMatchObject({ kind: 'webgpu' });
    expect(gpu.codes).toEqual(cpu.codes);
    for (const code of cpu.codes) {
      gpu.neighbours[code].forEach((n, j) => expect(Math.abs(n.similarity - cpu.neighbours[code][j].similarity)).toBeLessThanOrEqual(1e-4));
    }
    await engine.destroy();
  }));

  it('says NoEmbeddings for a model without vectors, and for missing TechToken vectors', async () => {
    const { datasetId } = await storeDemo();
    const engine = new CodeNeighbourEngine();
    await engine.init({ preferGpu: false });
    await expect(engine.neighbours(datasetId, 'none', { level: 'subclass', k: K, method: 'mean-of-patents' })).resolves.toEqual({
      kind: 'no-embeddings', modelId: 'none', patents: demo.n, missing: demo.n, message: 'No vectors of this dataset with none: embed it first.',
    });
    await expect(engine.neighbours(datasetId, 'tfidf', { level: 'subclass', k: K, method: 'techtoken' })).resolves.toMatchObject({
      kind: 'no-embeddings', modelId: 'tfidf', message: `No TechToken code vectors of this dataset with tfidf: embed it first.`,
    });
    expect(techTokenKey('tfidf')).not.toBe('tfidf');
    await engine.destroy();
  });
});
