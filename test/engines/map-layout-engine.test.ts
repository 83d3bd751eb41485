/**
 * The patent map's engine (src/engines/map-layout-engine.ts):
 * - the WebGPU k-NN graph is the CPU exact cosine graph (up to ties and f32 noise);
 * - on the demo corpus (TF-IDF vectors stored in a fake IndexedDB, as the app stores patent
 *   vectors), the engine's UMAP keeps neighbourhoods and planted themes far better than its PCA,
 *   is identical for a seed, differs for another seed, is cached and invalidated by re-embedding;
 * Picking, selection, view transforms and point styling are tested in test/ui/map-geometry.test.ts.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { adjustedRandIndex, kMeans } from '../../src/core/layout/clusters';
import { exactKnn } from '../../src/core/layout/knn';
import { neighbourhoodPreservation } from '../../src/core/layout/quality';
import { isNoEmbeddings, orNoEmbeddingsError, type NoEmbeddings } from '../../src/core/outcomes';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import type { TopK } from '../../src/core/similarity';
import {
  gpuKnnGraph, layoutCacheKey, MapLayoutEngine, topKToGraph, type MapLayout,
} from '../../src/engines/map-layout-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { loadDemoVectors } from '../core/layout/demo-vectors';
import { makeReport } from '../store/helpers';
import { withDevice } from '../gpu/gpu-harness';

/** The layout of an outcome that must be one. */
function layoutOf(outcome: MapLayout | NoEmbeddings): MapLayout {
  if (isNoEmbeddings(outcome)) throw new Error(`expected a layout, got: ${outcome.message}`);
  return outcome;
}

/** Every neighbour equal unless its distance ties (within `tie`) with the next or previous one. */
function expectSameGraph(actual: { indices: Int32Array; distances: Float32Array; k: number; rows: number }, expected: typeof actual, tie = 1e-5): void {
  expect(actual.rows).toBe(expected.rows);
  expect(actual.k).toBe(expected.k);
  const { k } = expected;
  const problems: string[] = [];
  for (let row = 0; row < expected.rows; row++) {
    for (let j = 0; j < k; j++) {
      const at = row * k + j;
      const d = expected.distances[at];
      if (!(Math.abs(actual.distances[at] - d) <= 1e-4) && !(d === Infinity && actual.distances[at] === Infinity)) problems.push(`row ${row}/${j}: distance ${actual.distances[at]} vs ${d}`);
      const near = (j > 0 && d - expected.distances[at - 1] <= tie) || (j + 1 < k && expected.distances[at + 1] - d <= tie);
      if (!near && actual.indices[at] !== expected.indices[at]) problems.push(`row ${row}/${j}: index ${actual.indices[at]} vs ${expected.indices[at]}`);
    }
  }
  expect(problems.slice(0, 10), `${problems.length} graph mismatches`).toEqual([]);
}

describe('k-NN graph for UMAP', () => {
  it('topKToGraph turns cosine scores into cosine distances and keeps padding', () => {
    const topK: TopK = { k: 2, rows: 2, indices: Int32Array.from([1, -1, 0, -1]), scores: Float32Array.from([0.75, -Infinity, 1.5, -Infinity]) };
    const graph = topKToGraph(topK);
    expect(Array.from(graph.indices)).toEqual([1, -1, 0, -1]);
    expect(Array.from(graph.distances)).toEqual([0.25, Infinity, 0, Infinity]);
  });

  it.for([[50, 16, 5], [300, 64, 14], [257, 37, 32]])('the WebGPU graph equals the CPU exact cosine graph (n=%i, dim=%i, k=%i)', ([n, dim, k], ctx) =>
    withDevice(async ({ device }) => {
      const vectors = randomNormalMatrix(mulberry32(n + dim), n, dim);
      const gpu = await gpuKnnGraph(device, vectors, n, dim, k);
      const cpu = exactKnn(vectors, n, dim, k, { metric: 'cosine' });
      expectSameGraph(gpu, cpu);
    })(ctx));
});

describe('MapLayoutEngine on the demo corpus', () => {
  const demo = loadDemoVectors();
  const { n, dim, vectors } = demo;
  const modelId = 'tfidf-test';
  let datasetId = '';
  let dbName = '';
  let store: DatasetStore;

  beforeAll(async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    dbName = `map-layout-${Date.now()}`;
    store = await DatasetStore.open({ name: dbName });
    const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
    datasetId = dataset.id;
    await store.putPatents(datasetId, demo.patents);
    await store.finishImport(datasetId, makeReport(n), new Map());
    await store.putEmbeddings(datasetId, modelId, demo.patents.map((p) => p.id), vectors, dim);
  });

  const settings = { method: 'umap' as const, seed: 1, neighbours: 15, minDist: 0.1 };

  it('says when a dataset has no vectors', async () => {
    const engine = new MapLayoutEngine({ dbName });
    await expect(engine.embeddingCount(datasetId, 'no-such-model')).resolves.toBe(0);
    await expect(engine.embeddingCount(datasetId, modelId)).resolves.toBe(n);
    const missing = await engine.layout(datasetId, 'no-such-model', settings);
    expect(missing).toEqual({
      kind: 'no-embeddings', modelId: 'no-such-model', patents: n, missing: n,
      message: 'No vectors of this dataset with no-such-model: embed it first.',
    });
    // What the map client still hands the view until it reads the outcome itself.
    expect(() => orNoEmbeddingsError(missing)).toThrow(expect.objectContaining({ name: 'NoEmbeddingsError' }));
  });

  it('shows PCA first, then a UMAP that keeps neighbourhoods and planted themes far better; same seed, same layout', async () => {
    const engine = new MapLayoutEngine({ dbName });
    const previews: MapLayout[] = [];
    const units = new Set<string>();
    const first = layoutOf(await engine.layout(datasetId, modelId, settings, { preferGpu: false }, (p) => units.add(`${p.stage}:${p.unit}`), (l) => previews.push(l)));
    expect(previews.map((p) => p.method)).toEqual(['pca']);
    const flat = previews[0];
    expect(first.method).toBe('umap');
    expect(first.knn?.source).toBe('cpu-exact');
    expect(first.cached).toBe(false);
    expect(units).toEqual(new Set(['layout:patents', 'layout:epochs']));
    expect(first.ids).toEqual(demo.patents.map((p) => p.id));

    const measure = (l: MapLayout) => {
      const kept = neighbourhoodPreservation(vectors, dim, l.coordinates, 2, n).value;
      const ari10 = adjustedRandIndex(kMeans(l.coordinates, n, 2, { k: demo.themes.length, seed: 1, restarts: 5 }).labels, demo.themeOf);
      const ariTopics = adjustedRandIndex(l.clusters, demo.themeOf);
      return { kept, ari10, ariTopics, topics: l.topics.length };
    };
    const p = measure(flat);
    const u = measure(first);
    console.log(`map engine on the demo corpus (n=${n}): PCA preservation ${p.kept.toFixed(3)}, ARI(k=10) ${p.ari10.toFixed(3)}, ARI(topics k=${p.topics}) ${p.ariTopics.toFixed(3)};`
      + ` UMAP preservation ${u.kept.toFixed(3)}, ARI(k=10) ${u.ari10.toFixed(3)}, ARI(topics k=${u.topics}) ${u.ariTopics.toFixed(3)};`
      + ` UMAP ${first.timingsMs.total.toFixed(0)} ms (k-NN ${first.timingsMs.knn.toFixed(0)} ms, topics ${first.timingsMs.clusters.toFixed(0)} ms)`);
    console.log('topics:', first.topics.map((t) => `${t.size}: ${t.label}`).join(' | '));
    expect(u.kept).toBeGreaterThanOrEqual(Math.max(0.4, 2.5 * p.kept));
    expect(u.ari10).toBeGreaterThan(0.6);
    expect(u.ari10).toBeGreaterThan(p.ari10 + 0.3);
    // √(n/2) topics: finer than the ten themes, but each mostly inside one theme.
    expect(first.topics.length).toBe(22);
    expect(u.ariTopics).toBeGreaterThan(0.4);
    expect(first.topics.every((t) => t.label.length > 0 && Number.isFinite(t.x) && Number.isFinite(t.y))).toBe(true);
    expect(first.topics.reduce((s, t) => s + t.size, 0)).toBe(n);

    // Cached: the same layout comes back without computing.
    const again = layoutOf(await engine.layout(datasetId, modelId, settings, { preferGpu: false }));
    expect(again.cached).toBe(true);
    expect(again.hash).toBe(first.hash);
    expect(Array.from(again.clusters)).toEqual(Array.from(first.clusters));

    // Recomputed by a fresh engine: bit for bit the same.
    const fresh = layoutOf(await new MapLayoutEngine({ dbName }).layout(datasetId, modelId, settings, { preferGpu: false, fresh: true }));
    expect(fresh.cached).toBe(false);
    expect(fresh.hash).toBe(first.hash);
    // The hash is the engine's own summary: compare the coordinates themselves too.
    expect(Array.from(fresh.coordinates)).toEqual(Array.from(first.coordinates));

    // Another seed: another layout, stored under another key.
    const other = layoutOf(await engine.layout(datasetId, modelId, { ...settings, seed: 2, }, { preferGpu: false }));
    expect(other.hash).not.toBe(first.hash);
    expect(layoutCacheKey(modelId, { ...settings, seed: 2 })).not.toBe(layoutCacheKey(modelId, settings));
  });

  it('recomputes when the vectors change (re-embedding)', async () => {
    const engine = new MapLayoutEngine({ dbName });
    const pcaSettings = { ...settings, method: 'pca' as const };
    const before = layoutOf(await engine.layout(datasetId, modelId, pcaSettings, { preferGpu: false }));
    expect(layoutOf(await engine.layout(datasetId, modelId, pcaSettings, { preferGpu: false })).cached).toBe(true);
    const changed = vectors.slice();
    for (let i = 0; i < changed.length; i += 7) changed[i] *= -1;
    await store.putEmbeddings(datasetId, modelId, demo.patents.map((p) => p.id), changed, dim);
    try {
      const after = layoutOf(await engine.layout(datasetId, modelId, pcaSettings, { preferGpu: false }));
      expect(after.cached).toBe(false);
      expect(after.hash).not.toBe(before.hash);
    } finally {
      await store.putEmbeddings(datasetId, modelId, demo.patents.map((p) => p.id), vectors, dim);
    }
  });

  it('cancels a running UMAP', async () => {
    const engine = new MapLayoutEngine({ dbName });
    const controller = new AbortController();
    const running = engine.layout(datasetId, modelId, { ...settings, seed: 9 }, { preferGpu: false, fresh: true, signal: controller.signal },
      (p) => { if (p.unit === 'epochs' && p.done > 10) controller.abort(); });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('builds the UMAP graph on WebGPU when a device is there, with the same quality', withDevice(async (kit) => {
    const engine = new MapLayoutEngine({ dbName, gpu: kit.policy() });
    const gpu = layoutOf(await engine.layout(datasetId, modelId, { ...settings, seed: 3 }, { preferGpu: true, fresh: true }));
    expect(gpu.knn?.source).toBe('webgpu');
    const kept = neighbourhoodPreservation(vectors, dim, gpu.coordinates, 2, n).value;
    const ari = adjustedRandIndex(kMeans(gpu.coordinates, n, 2, { k: demo.themes.length, seed: 1, restarts: 5 }).labels, demo.themeOf);
    console.log(`UMAP with the WebGPU k-NN graph (${gpu.knn?.adapterName}): preservation ${kept.toFixed(3)}, ARI(k=10) ${ari.toFixed(3)}, k-NN ${gpu.timingsMs.knn.toFixed(0)} ms, total ${gpu.timingsMs.total.toFixed(0)} ms`);
    expect(kept).toBeGreaterThan(0.4);
    expect(ari).toBeGreaterThan(0.6);
    const again = layoutOf(await engine.layout(datasetId, modelId, { ...settings, seed: 3 }, { preferGpu: true, fresh: true }));
    expect(again.hash).toBe(gpu.hash);
  }));
});
