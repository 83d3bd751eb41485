import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetStore } from '../../src/store/dataset-store';
import { CatalogueStore } from '../../src/store/catalogue-store';
import { DB_VERSION, DEFAULT_DB_NAME, migrateToV1, migrateToV2, type DatasetRecordV1, type PatentSpaceDB, type PatentSpaceDBV1 } from '../../src/store/schema';
import { makePatents, useFreshIndexedDb } from './helpers';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

/** Writes a database exactly as version 1 of the app did, then closes it. */
async function createV1Database(name: string, datasets: DatasetRecordV1[], patentsPerDataset: number): Promise<void> {
  const v1 = await openDB<PatentSpaceDBV1>(name, 1, { upgrade: (db) => migrateToV1(db) });
  const tx = v1.transaction(['datasets', 'patents', 'settings'], 'readwrite');
  const writes: Promise<unknown>[] = [tx.objectStore('settings').put('ds-1', 'activeDatasetId')];
  for (const dataset of datasets) {
    writes.push(tx.objectStore('datasets').put(dataset));
    for (const patent of makePatents(patentsPerDataset)) writes.push(tx.objectStore('patents').put({ ...patent, datasetId: dataset.id }));
  }
  await Promise.all([...writes, tx.done]);
  v1.close();
}

describe('schema migration', () => {
  it('upgrades a v1 database step by step, keeping its data', async () => {
    const v1Datasets: DatasetRecordV1[] = [
      { id: 'ds-1', name: 'Old import', createdAt: 100, patentCount: 14, sourceFiles: [{ name: 'a.csv', bytes: 10 }] },
      { id: 'ds-2', name: 'Deleted one', createdAt: 50, deletedAt: 60, patentCount: 14, sourceFiles: [] },
    ];
    await createV1Database(DEFAULT_DB_NAME, v1Datasets, 14);

    const store = await DatasetStore.open();
    try {
      // 1. Records got the v2 defaults and kept everything else.
      expect(await store.listDatasets()).toEqual([
        { ...v1Datasets[0], level: 'subclass', status: 'ready', codeCount: 8 },
      ]);
      expect(await store.getDataset('ds-2')).toMatchObject({ deletedAt: 60, status: 'ready', level: 'subclass' });

      // 2. Patents and settings survived; codes were rebuilt from the patents.
      expect(await store.getPatents('ds-1')).toEqual(makePatents(14));
      expect(await store.getSetting<string>('activeDatasetId')).toBe('ds-1');
      const codes = await store.getCodes('ds-1');
      expect(codes.get('H04L')).toBe(14);
      expect(codes.get('G06F 0/00')).toBe(2);

      // 3. The new stores work, and the undo of a v1 soft delete still works.
      await store.putEmbeddings('ds-1', 'm', ['p00000'], new Float32Array([1]), 1);
      expect((await store.getEmbeddings('ds-1', 'm'))?.ids).toEqual(['p00000']);
      await store.undoDelete('ds-2');
      expect(await store.listDatasets()).toHaveLength(2);
    } finally {
      store.close();
    }

    // 4. The raw database has the current version, stores and indexes.
    const raw = await openDB(DEFAULT_DB_NAME);
    try {
      expect(raw.version).toBe(DB_VERSION);
      expect([...raw.objectStoreNames].sort()).toEqual(ALL_STORES);
      const tx = raw.transaction(['patents', 'results']);
      expect([...tx.objectStore('patents').indexNames].sort()).toEqual(['byDataset', 'byDatasetYear']);
      expect(tx.objectStore('patents').index('byDatasetYear').keyPath).toEqual(['datasetId', 'year']);
      expect([...tx.objectStore('results').indexNames]).toEqual(['byDataset']);
      expect(await tx.objectStore('patents').index('byDatasetYear').count(IDBKeyRange.only(['ds-1', 2003]))).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('creates the current schema on a fresh install, and reopens without upgrading', async () => {
    const first = await DatasetStore.open({ name: 'fresh' });
    first.close();
    const again = await DatasetStore.open({ name: 'fresh' });
    expect(await again.listDatasets()).toEqual([]);
    again.close();
    const raw = await openDB('fresh');
    expect(raw.version).toBe(DB_VERSION);
    expect(raw.objectStoreNames).toHaveLength(ALL_STORES.length);
    raw.close();
  });

  it('leaves the database at v1 when a migration step fails', async () => {
    await createV1Database('broken', [{ id: 'ds-1', name: 'x', createdAt: 1, patentCount: 0, sourceFiles: [] }], 0);
    // A corrupt v1 record (codes not iterable) makes the v2 step throw half-way.
    const v1 = await openDB<PatentSpaceDBV1>('broken', 1);
    await v1.put('patents', { datasetId: 'ds-1', id: 'bad', year: 2000, title: 'bad', codes: 5 as unknown as string[] });
    v1.close();

    await expect(DatasetStore.open({ name: 'broken' })).rejects.toThrow(TypeError);
    const raw = await openDB('broken');
    expect(raw.version).toBe(1);
    expect([...raw.objectStoreNames].sort()).toEqual(['datasets', 'patents', 'settings']);
    raw.close();
  });
});

/** Writes a database exactly as version 2 of the app did (v1 then v2 steps), with one of everything. */
const ALL_STORES = ['catalogueSections', 'catalogues', 'codes', 'conversations', 'datasets', 'embeddings', 'matchJobChunks', 'matchJobInputs', 'matchJobs', 'patents', 'results', 'settings'];

async function createV2Database(name: string): Promise<void> {
  const v2 = await openDB<PatentSpaceDB>(name, 2, {
    async upgrade(db, _old, _new, tx) {
      migrateToV1(db as unknown as IDBPDatabase<PatentSpaceDBV1>);
      await migrateToV2(db, tx as unknown as Parameters<typeof migrateToV2>[1]);
    },
  });
  const stores = ['datasets', 'patents', 'codes', 'embeddings', 'results', 'settings'] as const;
  const tx = v2.transaction([...stores], 'readwrite');
  await Promise.all([
    tx.objectStore('datasets').put({ id: 'ds-1', name: 'Kept', createdAt: 1, level: 'main_group', status: 'ready', patentCount: 3, codeCount: 2, sourceFiles: [] }),
    ...makePatents(3).map((p) => tx.objectStore('patents').put({ ...p, datasetId: 'ds-1' })),
    tx.objectStore('codes').put({ datasetId: 'ds-1', code: 'H04L', patents: 3 }),
    tx.objectStore('embeddings').put({ datasetId: 'ds-1', modelId: 'm', chunk: 0, dim: 1, ids: ['p00000'], vectors: new Float32Array([0.5]) }),
    tx.objectStore('results').put({ id: 'r-1', datasetId: 'ds-1', kind: 'forecast', createdAt: 2, value: { auc: 0.7 } }),
    tx.objectStore('settings').put('ds-1', 'activeDatasetId'),
    tx.done,
  ]);
  v2.close();
}

describe('schema v4', () => {
  it('adds the matching-job stores, keyed by dataset, and a v3 catalogue survives', async () => {
    await createV2Database('v3');
    const catalogues = await CatalogueStore.open({ name: 'v3' });
    const record = await catalogues.createImport({ name: 'own', kind: 'own', sourceFile: { name: 'own.jsonl', bytes: 10 } });
    catalogues.close();
    const raw = await openDB<PatentSpaceDB>('v3');
    try {
      const tx = raw.transaction(['matchJobs', 'matchJobInputs', 'matchJobChunks', 'catalogues']);
      expect(tx.objectStore('matchJobs').keyPath).toEqual(['datasetId', 'id']);
      expect(tx.objectStore('matchJobInputs').keyPath).toEqual(['datasetId', 'jobId']);
      expect(tx.objectStore('matchJobChunks').keyPath).toEqual(['datasetId', 'jobId', 'chunk']);
      expect(await tx.objectStore('catalogues').get(record.id)).toMatchObject({ name: 'own' });
    } finally {
      raw.close();
    }
  });
});

describe('schema v3', () => {
  it('adds the catalogue stores to a v2 database and keeps every store and record', async () => {
    await createV2Database('v2');
    const catalogues = await CatalogueStore.open({ name: 'v2' });
    expect(await catalogues.listCatalogues()).toEqual([]);
    catalogues.close();

    const raw = await openDB<PatentSpaceDB>('v2');
    try {
      expect(raw.version).toBe(DB_VERSION);
      expect([...raw.objectStoreNames].sort()).toEqual(ALL_STORES);
      expect(await raw.get('datasets', 'ds-1')).toMatchObject({ name: 'Kept', level: 'main_group', status: 'ready', codeCount: 2 });
      expect(await raw.count('patents')).toBe(3);
      expect(await raw.get('codes', ['ds-1', 'H04L'])).toEqual({ datasetId: 'ds-1', code: 'H04L', patents: 3 });
      expect((await raw.get('embeddings', ['ds-1', 'm', 0]))?.vectors).toEqual(new Float32Array([0.5]));
      expect(await raw.get('results', 'r-1')).toMatchObject({ kind: 'forecast', value: { auc: 0.7 } });
      expect(await raw.get('settings', 'activeDatasetId')).toBe('ds-1');
      const tx = raw.transaction(['patents', 'results', 'catalogueSections']);
      expect([...tx.objectStore('patents').indexNames].sort()).toEqual(['byDataset', 'byDatasetYear']);
      expect(tx.objectStore('catalogueSections').keyPath).toEqual(['catalogueId', 'id']);
    } finally {
      raw.close();
    }
    // The dataset store still reads what v2 wrote.
    const datasets = await DatasetStore.open({ name: 'v2' });
    expect((await datasets.getPatents('ds-1')).map((p) => p.id)).toEqual(['p00000', 'p00001', 'p00002']);
    datasets.close();
  });
});
