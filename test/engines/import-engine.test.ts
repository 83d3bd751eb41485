import 'fake-indexeddb/auto';
import { IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetStore } from '../../src/store/dataset-store';
import { ImportEngine } from '../../src/engines/import-engine';
import { useFreshIndexedDb } from '../store/helpers';
import { StorageQuotaError } from '../../src/core/errors';

const GOOD = new Uint8Array(readFileSync('test/fixtures/ingest/generic.csv'));
const BROKEN = new Uint8Array(readFileSync('test/fixtures/ingest/broken.csv'));

async function importFile(engine: ImportEngine, name: string, bytes: Uint8Array<ArrayBuffer>, options = {}) {
  const file = new File([bytes], name);
  const [detection] = await engine.detect([file]);
  if (!detection.detected) throw new Error(detection.error);
  return engine.importFiles([file], [{ name, detected: detection.detected }], { datasetName: name, level: 'main_group' }, options);
}

describe('ImportEngine (files → IndexedDB)', () => {
  let store: DatasetStore;
  let engine: ImportEngine;

  beforeEach(async () => {
    useFreshIndexedDb();
    store = await DatasetStore.open();
    engine = new ImportEngine();
  });
  afterEach(() => {
    store.close();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('stores a ready dataset with its report, level and code counts', async () => {
    const dataset = await importFile(engine, 'generic.csv', GOOD);
    expect(dataset).toMatchObject({ status: 'ready', level: 'main_group', name: 'generic.csv' });
    expect(dataset.patentCount).toBe(dataset.report?.patentsImported);
    expect(await store.countPatents(dataset.id)).toBe(dataset.patentCount);
    expect((await store.getCodes(dataset.id)).size).toBe(dataset.codeCount);
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([dataset.id]);
  });

  it('keeps the good rows of a broken file and lists the bad ones', async () => {
    const dataset = await importFile(engine, 'broken.csv', BROKEN);
    expect(dataset.report?.rowErrorCount).toBeGreaterThan(0);
    expect(dataset.patentCount).toBeGreaterThan(0);
    expect(dataset.report?.rowErrors.every((e) => e.line > 1 && e.file === 'broken.csv')).toBe(true);
  });

  it('leaves nothing behind and touches no other dataset when an import is cancelled', async () => {
    const kept = await importFile(engine, 'generic.csv', GOOD);
    const controller = new AbortController();
    controller.abort();
    await expect(importFile(engine, 'broken.csv', BROKEN, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const all = await Promise.all((await store.listDatasets()).map((d) => store.getDataset(d.id)));
    expect(all.map((d) => d?.id)).toEqual([kept.id]);
    expect(await store.countPatents(kept.id)).toBe(kept.patentCount);
  });

  it('reports storage full with usage and what to delete, removing the half-written dataset', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 9e8, quota: 1e9 }), persisted: async () => false, persist: async () => false } });
    const kept = await importFile(engine, 'generic.csv', GOOD);
    const original = FakeObjectStore.prototype.put;
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'patents') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    });
    const error = await importFile(engine, 'broken.csv', BROKEN).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as StorageQuotaError).message).toMatch(/used/);
    expect((error as StorageQuotaError).datasets.map((d) => d.name)).toContain('generic.csv');
    vi.restoreAllMocks();
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([kept.id]);
    // No unfinished import is left for a later clean-up to find.
    expect(await store.abortAbandonedImports(async () => new Set(), Date.now() + 1)).toEqual({ discarded: [], running: [] });
  });

  it('imports a URL only from the app’s own origin, refusing another host before any request', async () => {
    vi.stubGlobal('location', new URL('http://127.0.0.1:4173/index.html'));
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => { fetched.push(String(url)); return new Response(GOOD); });
    await expect(engine.importUrl('https://huggingface.co/data.csv', { datasetName: 'x', level: 'subclass' })).rejects.toThrow(/another host/);
    expect(fetched).toEqual([]);
    const dataset = await engine.importUrl('http://127.0.0.1:4173/demo/generic.csv', { datasetName: 'own', level: 'subclass' });
    expect(fetched).toEqual(['http://127.0.0.1:4173/demo/generic.csv']);
    expect(dataset.status).toBe('ready');
  });
});
