import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { similarityTopK } from '../../src/core/similarity';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { gpuSimilarityTopK } from '../../src/gpu/similarity-gpu';
import { computeSpace, DEFAULT_SPACE_SETTINGS, type NeighbourSearch, type SpaceInput, type SpaceLayout } from '../../src/core/layout/space';
import { SpaceEngine } from '../../src/engines/space-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { cpuSearch, loadDemoVectors, spaceInputOf, type DemoVectors } from '../core/layout/demo-vectors';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';
import { expectTopKEquivalent, nextScoresOf, withDevice } from '../gpu/gpu-harness';

let demo: DemoVectors;
let input: SpaceInput;
beforeAll(() => {
  demo = loadDemoVectors();
  input = spaceInputOf(demo);
});

describe('technology space neighbours on the GPU', () => {
  it('equal the CPU twin on the demo code vectors', withDevice(async ({ device }) => {
    const gpuSearch: NeighbourSearch = async (v, n, dim, k) => ({
      topK: await gpuSimilarityTopK(device, v, n, dim, k, { excludeSelf: true }), backend: { kind: 'webgpu' },
    });
    const settings = { ...DEFAULT_SPACE_SETTINGS, projection: 'pca' as const };
    const gpu = await computeSpace(input, settings, gpuSearch);
    const cpu = await computeSpace(input, settings, cpuSearch);
    const all = meanOfPatentVectors(demo.patents, demo.vectors, demo.dim, 'subclass');
    const nextScores = nextScoresOf(similarityTopK(all.vectors, all.codes.length, demo.dim, settings.k + 1, true));
    expect(gpu.backend.kind).toBe('webgpu');
    expectTopKEquivalent(gpu.neighbours, cpu.neighbours, { scoreTolerance: 1e-5, nextScores });
  }));
});

describe('SpaceEngine over a stored dataset', () => {
  afterEach(() => vi.unstubAllGlobals());

  async function storeDemo(): Promise<string> {
    useFreshIndexedDb();
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [{ name: 'patents.jsonl', bytes: 1 }] });
    await store.putPatents(dataset.id, demo.patents);
    await store.finishImport(dataset.id, makeReport(demo.patents.length), countCodes(demo.patents));
    const stored = await store.getPatents(dataset.id);
    const rowOf = new Map(demo.patents.map((p, i) => [p.id, i]));
    const vectors = new Float32Array(stored.length * demo.dim);
    stored.forEach((p, r) => {
      const i = rowOf.get(p.id) as number;
      vectors.set(demo.vectors.subarray(i * demo.dim, (i + 1) * demo.dim), r * demo.dim);
    });
    await store.putEmbeddings(dataset.id, 'tfidf', stored.map((p) => p.id), vectors, demo.dim);
    store.close();
    return dataset.id;
  }

  it('lays out stored vectors, caches the result per settings, says when there are no embeddings, and finds patents of codes', async () => {
    const datasetId = await storeDemo();
    const engine = new SpaceEngine();
    await engine.init({ preferGpu: false });
    const settings = { ...DEFAULT_SPACE_SETTINGS, projection: 'pca' as const };
    const progress: string[] = [];
    const first = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings }, (p) => progress.push(`${p.stage} ${p.unit}`));
    if (first.kind !== 'layout') throw new Error('expected a layout');
    expect(first.fromCache).toBe(false);
    expect(first.layout.backend).toEqual({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    expect(progress).toContain('layout patents');
    const direct: SpaceLayout = await computeSpace(input, settings, cpuSearch);
    // Same codes and neighbours as the core on the same vectors (the store sorts patents by id, so
    // the float sums run in another order: positions agree to rounding).
    expect(first.layout.codes).toEqual(direct.codes);
    expect(Array.from(first.layout.neighbours.indices)).toEqual(Array.from(direct.neighbours.indices));
    const again = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings });
    if (again.kind !== 'layout') throw new Error('expected a layout');
    expect(again.fromCache).toBe(true);
    expect(Array.from(again.layout.positions)).toEqual(Array.from(first.layout.positions));
    const other = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings: { ...settings, seed: 9 } });
    expect(other.kind === 'layout' && other.fromCache).toBe(false);
    await expect(engine.layout(datasetId, 'no-such-model', { level: 'subclass', settings })).resolves.toEqual({
      kind: 'no-embeddings', modelId: 'no-such-model', patents: 1000, missing: 1000,
      message: 'No vectors of this dataset with no-such-model: embed it first.',
    });
    const code = first.layout.codes[0];
    const ids = await engine.patentIdsOfCodes(datasetId, 'subclass', [code]);
    expect(ids).toHaveLength(first.layout.counts[0]);
    await engine.destroy();
  });

  it('can be cancelled', async () => {
    const datasetId = await storeDemo();
    const engine = new SpaceEngine();
    await engine.init({ preferGpu: false });
    const controller = new AbortController();
    const running = engine.layout(datasetId, 'tfidf', { level: 'subclass', settings: DEFAULT_SPACE_SETTINGS, signal: controller.signal, useCache: false },
      (p) => { if (p.unit === 'epochs' && p.done > 10) controller.abort(); });
    await expect(running).rejects.toThrow(/cancelled/);
    await engine.destroy();
  });
});
