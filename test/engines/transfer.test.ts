/**
 * Data moves once: the typed arrays the engines return leave a worker by transfer. Each engine is
 * exposed over a real MessageChannel with Comlink, as the compute worker exposes it; after the
 * call the engine's copy is detached (byteLength 0) and the caller holds the same numbers.
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { DEFAULT_SPACE_SETTINGS, type SpaceOutcome } from '../../src/core/layout/space';
import { isNoEmbeddings } from '../../src/core/outcomes';
import { MapLayoutEngine, type MapLayout, type MapLayoutSettings } from '../../src/engines/map-layout-engine';
import { SpaceEngine } from '../../src/engines/space-engine';
import { transferring } from '../../src/engines/transfer';
import { DatasetStore } from '../../src/store/dataset-store';
import { loadDemoVectors } from '../core/layout/demo-vectors';
import { countCodes, makeReport } from '../store/helpers';

const demo = loadDemoVectors();
const dbName = `transfer-${Date.now()}`;
let datasetId = '';
const channels: MessagePort[] = [];

/** `api` behind a MessageChannel, the way workers/compute.worker.ts exposes the engines. */
function overChannel<T extends object>(api: T): Comlink.Remote<T> {
  const { port1, port2 } = new MessageChannel();
  channels.push(port1, port2);
  Comlink.expose(api, port1);
  return Comlink.wrap<T>(port2);
}

beforeAll(async () => {
  vi.stubGlobal('indexedDB', new IDBFactory());
  const store = await DatasetStore.open({ name: dbName });
  const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
  datasetId = dataset.id;
  await store.putPatents(datasetId, demo.patents);
  await store.finishImport(datasetId, makeReport(demo.n), countCodes(demo.patents));
  // Stored in patent-id order, as the embedder stores them.
  const stored = await store.getPatents(datasetId);
  const rowOf = new Map(demo.patents.map((p, i) => [p.id, i]));
  const vectors = new Float32Array(stored.length * demo.dim);
  stored.forEach((p, r) => vectors.set(demo.vectors.subarray((rowOf.get(p.id) as number) * demo.dim, ((rowOf.get(p.id) as number) + 1) * demo.dim), r * demo.dim));
  await store.putEmbeddings(datasetId, 'tfidf', stored.map((p) => p.id), vectors, demo.dim);
  store.close();
});

afterAll(() => {
  for (const port of channels) port.close();
  vi.unstubAllGlobals();
});

describe('typed arrays leave by transfer', () => {
  it('transferring() lists each buffer once, so arrays sharing one do not fail the message', async () => {
    const shared = new Float32Array(8);
    const value = { a: shared.subarray(0, 4), b: shared.subarray(4), c: new Int32Array(3).fill(7) };
    const remote = overChannel({ get: () => transferring(value, [value.a, value.b, value.c]) });
    const received = await remote.get();
    expect(Array.from(received.c)).toEqual([7, 7, 7]);
    expect(received.a.length + received.b.length).toBe(8);
    expect(shared.byteLength).toBe(0);
    expect(value.c.byteLength).toBe(0);
  });

  it('the map layout\'s coordinates and clusters, computed and from the cache', async () => {
    const engine = new MapLayoutEngine({ dbName });
    let sent: MapLayout | null = null;
    const remote = overChannel({
      layout: async (settings: MapLayoutSettings) => {
        const outcome = await engine.layout(datasetId, 'tfidf', settings, { preferGpu: false });
        if (isNoEmbeddings(outcome)) throw new Error(outcome.message);
        sent = outcome;
        return outcome;
      },
    });
    const settings: MapLayoutSettings = { method: 'pca', seed: 1, neighbours: 15, minDist: 0.1 };
    for (const cached of [false, true]) {
      const received = await remote.layout(settings);
      const kept = sent as MapLayout | null;
      expect(received.cached).toBe(cached);
      expect(received.coordinates.length).toBe(demo.n * 2);
      expect(received.clusters.length).toBe(demo.n);
      expect(kept?.coordinates.byteLength).toBe(0);
      expect(kept?.clusters.byteLength).toBe(0);
    }
    // The engine's cache is untouched by the transfers: a direct read gives the same layout.
    const direct = await engine.layout(datasetId, 'tfidf', settings, { preferGpu: false });
    const again = await remote.layout(settings);
    expect(isNoEmbeddings(direct) ? null : Array.from(direct.coordinates)).toEqual(Array.from(again.coordinates));
  });

  it('the technology space\'s positions, trajectories and neighbours', async () => {
    const engine = new SpaceEngine({ dbName });
    await engine.init({ preferGpu: false });
    let sent: SpaceOutcome | null = null;
    const settings = { ...DEFAULT_SPACE_SETTINGS, projection: 'pca' as const };
    const remote = overChannel({
      layout: async () => (sent = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings })),
    });
    const received = await remote.layout();
    const kept = sent as SpaceOutcome | null;
    if (received.kind !== 'layout' || kept?.kind !== 'layout') throw new Error('expected a layout');
    expect(received.layout.positions.length).toBe(received.layout.codes.length * 3);
    expect(received.layout.neighbours.indices.length).toBe(received.layout.codes.length * settings.k);
    for (const array of [kept.layout.positions, kept.layout.trajectories, kept.layout.observed, kept.layout.neighbours.indices, kept.layout.neighbours.scores]) {
      expect(array.byteLength).toBe(0);
    }
    await engine.destroy();
  });
});
