import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Patent } from '../../src/core/types';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from './helpers';
import { DatasetNotFoundError } from '../../src/core/errors';
import { settingKeyOfDataset } from '../../src/store/key-ranges';

const SOURCE_FILES = [{ name: 'patents.csv', bytes: 1234 }];

let store: DatasetStore;

beforeEach(async () => {
  useFreshIndexedDb();
  store = await DatasetStore.open();
});

afterEach(() => {
  store.close();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Imports `patents` into a new ready dataset. */
async function importDataset(name: string, patents: Patent[]): Promise<string> {
  const dataset = await store.createDataset({ name, level: 'subclass', sourceFiles: SOURCE_FILES });
  await store.putPatents(dataset.id, patents);
  await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
  return dataset.id;
}

describe('import lifecycle', () => {
  it('creates an importing dataset that is not listed until finished', async () => {
    const created = await store.createDataset({ name: 'Lens export', level: 'main_group', sourceFiles: SOURCE_FILES });
    expect(created).toMatchObject({ name: 'Lens export', level: 'main_group', status: 'importing', patentCount: 0, codeCount: 0 });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.getDataset(created.id)).toEqual(created);
    expect(await store.listDatasets()).toEqual([]);

    const patents = makePatents(10);
    await store.putPatents(created.id, patents);
    const finished = await store.finishImport(created.id, makeReport(10), countCodes(patents));
    expect(finished).toMatchObject({ status: 'ready', patentCount: 10, codeCount: 8, report: makeReport(10) });
    expect(await store.listDatasets()).toEqual([finished]);
    expect(await store.getCodes(created.id)).toEqual(countCodes(patents));
  });

  it('round-trips patents without the internal datasetId, optional fields kept as given', async () => {
    const patents = makePatents(5);
    const id = await importDataset('A', patents);
    expect(await store.getPatents(id)).toEqual(patents);
    expect(await store.countPatents(id)).toBe(5);
  });

  it('keeps the same patent id apart in two datasets', async () => {
    const a = await importDataset('A', [{ id: 'US1', year: 2001, title: 'in A', codes: ['H04L'] }]);
    const b = await importDataset('B', [{ id: 'US1', year: 2002, title: 'in B', codes: ['G06F'] }]);
    expect((await store.getPatents(a))[0].title).toBe('in A');
    expect((await store.getPatents(b))[0].title).toBe('in B');
  });

  it('lists ready datasets newest first', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000);
    const older = await importDataset('older', makePatents(1));
    vi.setSystemTime(2_000);
    const newer = await importDataset('newer', makePatents(1));
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([newer, older]);
  });

  it('sets the level', async () => {
    const id = await importDataset('A', makePatents(1));
    expect((await store.setLevel(id, 'subgroup')).level).toBe('subgroup');
    expect((await store.getDataset(id))?.level).toBe('subgroup');
  });

  it('rejects writes for unknown datasets', async () => {
    await expect(store.putPatents('nope', makePatents(1))).rejects.toBeInstanceOf(DatasetNotFoundError);
    await expect(store.finishImport('nope', makeReport(0), new Map())).rejects.toBeInstanceOf(DatasetNotFoundError);
    await expect(store.setLevel('nope', 'subclass')).rejects.toThrow(/not in the store/);
  });
});

describe('fingerprint', () => {
  it('is the same for the same patents in two imports (ids differ), and differs for other patents', async () => {
    const a = await importDataset('A', makePatents(6));
    const b = await importDataset('B, elsewhere', [...makePatents(6)].reverse());
    const c = await importDataset('C', makePatents(6, 'q'));
    const [ra, rb, rc] = await Promise.all([a, b, c].map((id) => store.getDataset(id)));
    expect(ra?.fingerprint).toMatch(/^6-[0-9a-f]{16}$/);
    expect(rb?.fingerprint).toBe(ra?.fingerprint);
    expect(rc?.fingerprint).not.toBe(ra?.fingerprint);
    expect(a).not.toBe(b);
  });
});

describe('chunked import and iteration', () => {
  it('stores 10,000 patents in chunks and iterates them in bounded batches', async () => {
    const patents = makePatents(10_000);
    const dataset = await store.createDataset({ name: 'big', level: 'subclass', sourceFiles: SOURCE_FILES });
    for (let start = 0; start < patents.length; start += 2_500) {
      await store.putPatents(dataset.id, patents.slice(start, start + 2_500));
    }
    await importDataset('neighbour', makePatents(3, 'q')); // must not leak into the iteration
    expect(await store.countPatents(dataset.id)).toBe(10_000);

    const batchSizes: number[] = [];
    const seen: Patent[] = [];
    await store.iteratePatents(dataset.id, 1_000, async (batch) => {
      batchSizes.push(batch.length);
      seen.push(...batch);
      await new Promise((resolve) => setTimeout(resolve, 0)); // awaiting something else is allowed
    });
    expect(batchSizes).toEqual(Array(10).fill(1_000));
    expect(seen).toEqual(patents);
  }, 20_000);

  it('handles a last partial batch and an empty dataset', async () => {
    const id = await importDataset('A', makePatents(25));
    const sizes: number[] = [];
    await store.iteratePatents(id, 10, (batch) => void sizes.push(batch.length));
    expect(sizes).toEqual([10, 10, 5]);

    const empty = await importDataset('empty', []);
    const calls: number[] = [];
    await store.iteratePatents(empty, 10, (batch) => void calls.push(batch.length));
    expect(calls).toEqual([]);
    await expect(store.iteratePatents(id, 0, () => undefined)).rejects.toThrow(RangeError);
  });
});

describe('abortImport', () => {
  it('removes the unfinished import and leaves other datasets untouched', async () => {
    const kept = await importDataset('kept', makePatents(20));
    await store.putEmbeddings(kept, 'model', ['p00000'], new Float32Array([1, 2]), 2);
    const failing = await store.createDataset({ name: 'failing', level: 'subclass', sourceFiles: SOURCE_FILES });
    await store.putPatents(failing.id, makePatents(30));
    await store.putEmbeddings(failing.id, 'model', ['p00000'], new Float32Array([3, 4]), 2);

    expect(await store.abortImport(failing.id)).toBe(true);
    expect(await store.getDataset(failing.id)).toBeUndefined();
    expect(await store.countPatents(failing.id)).toBe(0);
    expect(await store.getEmbeddings(failing.id, 'model')).toBeNull();
    // A chunk arriving after the cancel is refused rather than stored as an orphan.
    await expect(store.putPatents(failing.id, makePatents(1))).rejects.toBeInstanceOf(DatasetNotFoundError);

    expect(await store.countPatents(kept)).toBe(20);
    expect(await store.getCodes(kept)).toEqual(countCodes(makePatents(20)));
    expect((await store.getEmbeddings(kept, 'model'))?.vectors).toEqual(new Float32Array([1, 2]));
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([kept]);
  });

  it('keeps a dataset whose import already finished', async () => {
    const id = await importDataset('done', makePatents(3));
    expect(await store.abortImport(id)).toBe(false);
    expect(await store.countPatents(id)).toBe(3);
  });
});

describe('soft delete', () => {
  it('hides, restores and purges', async () => {
    const a = await importDataset('A', makePatents(4));
    const b = await importDataset('B', makePatents(2));

    expect((await store.softDelete(a)).deletedAt).toEqual(expect.any(Number));
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([b]);
    expect(await store.countPatents(a)).toBe(4); // still there for undo

    const restored = await store.undoDelete(a);
    expect(restored).not.toHaveProperty('deletedAt');
    expect(await store.listDatasets()).toHaveLength(2);

    await store.softDelete(a);
    expect(await store.purgeDeleted()).toEqual([a]);
    expect(await store.getDataset(a)).toBeUndefined();
    expect(await store.countPatents(a)).toBe(0);
    expect(await store.getCodes(a)).toEqual(new Map());
    expect(await store.countPatents(b)).toBe(2);
    await expect(store.undoDelete(a)).rejects.toBeInstanceOf(DatasetNotFoundError);
  });

  it('purges only datasets deleted before the given time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const early = await importDataset('early', makePatents(1));
    const late = await importDataset('late', makePatents(1));
    vi.setSystemTime(1_000);
    await store.softDelete(early);
    vi.setSystemTime(5_000);
    await store.softDelete(late);
    expect(await store.purgeDeleted(2_000)).toEqual([early]);
    expect((await store.getDataset(late))?.deletedAt).toBe(5_000);
  });

  it('purges the settings kept for the dataset and no other', async () => {
    const a = await importDataset('A', makePatents(1));
    const b = await importDataset('B', makePatents(1));
    const kept = [`spaceCache:${b}`, `vectorProvenance:${b}:bundled:ps-minilm`, 'activeDataset', 'yesNoThreshold'];
    const mine = [`spaceCache:${a}`, `vectorProvenance:${a}:bundled:ps-minilm`, `layout-umap@${a}`];
    for (const key of [...kept, ...mine]) await store.setSetting(key, 1);
    await store.setSetting('activeDataset', a); // a value naming the id is not a key naming it
    await store.softDelete(a);
    expect(await store.getSetting(`spaceCache:${a}`)).toBe(1); // still there for undo
    await store.purgeDeleted();
    for (const key of mine) expect(await store.getSetting(key), key).toBeUndefined();
    for (const key of kept) expect(await store.getSetting(key), key).toBeDefined();
  });
});

describe('settingKeyOfDataset', () => {
  it('finds the id between separators only', () => {
    expect(settingKeyOfDataset('spaceCache:new', 'new')).toBe(true);
    expect(settingKeyOfDataset('layout@new', 'new')).toBe(true);
    expect(settingKeyOfDataset('vectorProvenance:new:bundled:m', 'new')).toBe(true);
    expect(settingKeyOfDataset('news:renewed', 'new')).toBe(false);
    expect(settingKeyOfDataset('a-new-b', 'new')).toBe(false);
    expect(settingKeyOfDataset(['new'], 'new')).toBe(false);
  });
});

describe('settings', () => {
  it('stores, reads, overwrites and deletes values', async () => {
    expect(await store.getSetting<string>('activeDatasetId')).toBeUndefined();
    await store.setSetting('activeDatasetId', 'abc');
    await store.setSetting('view', { zoom: 2, codes: ['H04L'] });
    expect(await store.getSetting<string>('activeDatasetId')).toBe('abc');
    expect(await store.getSetting('view')).toEqual({ zoom: 2, codes: ['H04L'] });
    await store.setSetting('activeDatasetId', 'def');
    expect(await store.getSetting<string>('activeDatasetId')).toBe('def');
    await store.deleteSetting('activeDatasetId');
    expect(await store.getSetting<string>('activeDatasetId')).toBeUndefined();
  });

  it('persists across reopening', async () => {
    await store.setSetting('activeDatasetId', 'abc');
    store.close();
    store = await DatasetStore.open();
    expect(await store.getSetting<string>('activeDatasetId')).toBe('abc');
  });
});

describe('embeddings', () => {
  it('round-trips several chunks exactly and replaces on rewrite', async () => {
    const id = await importDataset('A', []);
    const rows = 9_000; // three chunks of at most 4096 rows
    const dim = 3;
    const ids = Array.from({ length: rows }, (_, i) => `p${i}`);
    const vectors = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i) / 3);
    await store.putEmbeddings(id, 'minilm', ids, vectors, dim);
    await store.putEmbeddings(id, 'other', ['x'], new Float32Array([1, 2]), 2);

    const read = await store.getEmbeddings(id, 'minilm');
    expect(read?.dim).toBe(dim);
    expect(read?.ids).toEqual(ids);
    expect(read?.vectors).toBeInstanceOf(Float32Array);
    expect(read?.vectors).toEqual(vectors);

    await store.putEmbeddings(id, 'minilm', ['a'], new Float32Array([7, 8, 9]), dim);
    expect(await store.getEmbeddings(id, 'minilm')).toEqual({ modelId: 'minilm', dim, ids: ['a'], vectors: new Float32Array([7, 8, 9]) });

    await store.deleteEmbeddings(id, 'minilm');
    expect(await store.getEmbeddings(id, 'minilm')).toBeNull();
    expect(await store.getEmbeddings(id, 'other')).not.toBeNull();
    await store.deleteEmbeddings(id);
    expect(await store.getEmbeddings(id, 'other')).toBeNull();
  });

  it('rejects a shape mismatch and an unknown dataset', async () => {
    const id = await importDataset('A', []);
    await expect(store.putEmbeddings(id, 'm', ['a', 'b'], new Float32Array(5), 3)).rejects.toThrow(/2 ids × dim 3 = 6 floats, but vectors has 5/);
    await expect(store.putEmbeddings('nope', 'm', ['a'], new Float32Array(3), 3)).rejects.toBeInstanceOf(DatasetNotFoundError);
  });
});

describe('storage estimate', () => {
  it('returns null without navigator.storage', async () => {
    vi.stubGlobal('navigator', {});
    expect(await store.estimate()).toBeNull();
    expect(await store.requestPersistence()).toBe(false);
  });

  it('reads usage, quota and persistence', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: 10, quota: 100 }), persisted: async () => false, persist },
    });
    expect(await store.estimate()).toEqual({ usage: 10, quota: 100, persisted: false });
    expect(await store.requestPersistence()).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
  });
});
