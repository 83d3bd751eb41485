import 'fake-indexeddb/auto';
import { IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetStore } from '../../src/store/dataset-store';
import { isQuotaExceededError } from '../../src/store/quota';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from './helpers';
import { formatBytes, StorageQuotaError } from '../../src/core/errors';

const USAGE_BYTES = 1_932_735_283; // 1.8 GiB
const QUOTA_BYTES = 2 * 1024 ** 3;

function quotaExceeded(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('isQuotaExceededError', () => {
  it('recognises every way browsers report a full disk', () => {
    expect(isQuotaExceededError(quotaExceeded())).toBe(true);
    expect(isQuotaExceededError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaExceededError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaExceededError({ name: 'Wrapped', inner: quotaExceeded() })).toBe(true);
    expect(isQuotaExceededError(new Error('wrapped', { cause: quotaExceeded() }))).toBe(true);
    const abort = new DOMException('aborted', 'AbortError');
    expect(isQuotaExceededError(abort, quotaExceeded())).toBe(true);
    expect(isQuotaExceededError({ name: 'AbortError', target: { transaction: { error: quotaExceeded() } } })).toBe(true);
  });

  it('rejects other errors', () => {
    expect(isQuotaExceededError(new DOMException('aborted', 'AbortError'), null)).toBe(false);
    expect(isQuotaExceededError(new DOMException('bad key', 'DataError'))).toBe(false);
    expect(isQuotaExceededError('QuotaExceededError')).toBe(false);
    const cyclic: { name: string; cause?: unknown } = { name: 'Error' };
    cyclic.cause = cyclic;
    expect(isQuotaExceededError(cyclic)).toBe(false);
  });
});

describe('StorageQuotaError from writes', () => {
  let store: DatasetStore;
  let keptId: string;

  beforeEach(async () => {
    useFreshIndexedDb();
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: USAGE_BYTES, quota: QUOTA_BYTES }), persisted: async () => false },
    });
    store = await DatasetStore.open();
    const kept = await store.createDataset({ name: 'Kept corpus', level: 'subclass', sourceFiles: [] });
    await store.putPatents(kept.id, makePatents(40));
    await store.finishImport(kept.id, makeReport(40), countCodes(makePatents(40)));
    keptId = kept.id;
  });

  afterEach(() => {
    vi.restoreAllMocks();
    store.close();
    vi.unstubAllGlobals();
  });

  async function expectQuotaError(write: Promise<unknown>): Promise<StorageQuotaError> {
    const error = await write.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    return error as StorageQuotaError;
  }

  it('reports usage, quota and what to delete when a put throws, and writes nothing', async () => {
    const importing = await store.createDataset({ name: 'New corpus', level: 'subclass', sourceFiles: [] });
    await store.putPatents(importing.id, makePatents(5));
    const original = FakeObjectStore.prototype.put;
    let puts = 0;
    // The 3rd put of the chunk fails: the two before it must be rolled back with the chunk.
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (++puts === 3) throw quotaExceeded();
      return original.apply(this, args);
    });

    const error = await expectQuotaError(store.putPatents(importing.id, makePatents(10, 'x')));
    expect(error.name).toBe('StorageQuotaError');
    expect(error.usage).toBe(USAGE_BYTES);
    expect(error.quota).toBe(QUOTA_BYTES);
    expect(error.datasets).toEqual([
      { id: keptId, name: 'Kept corpus', patentCount: 40 },
      { id: importing.id, name: 'New corpus', patentCount: 5 },
    ]);
    expect(error.message).toContain(`${formatBytes(USAGE_BYTES)} of ${formatBytes(QUOTA_BYTES)} used`);
    expect(error.message).toContain('1.8 GiB of 2.0 GiB');
    expect(error.message).toMatch(/Delete a dataset.*"Kept corpus" \(40 patents\)/);
    expect(error.cause).toBeInstanceOf(DOMException);

    vi.restoreAllMocks();
    expect(await store.countPatents(importing.id)).toBe(5); // the failed chunk left nothing
    expect(await store.countPatents(keptId)).toBe(40);
  });

  it('recognises a transaction aborted with QuotaExceededError (a failed commit)', async () => {
    const original = FakeObjectStore.prototype.put;
    // What Chrome does when the disk fills at commit: the transaction aborts, its error is
    // QuotaExceededError and the pending requests fail with AbortError. `_abort` is fake-indexeddb's
    // internal "abort with this error" step.
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = original.apply(this, args);
      const tx = this.transaction as unknown as { _abort(name: string): void };
      tx._abort('QuotaExceededError');
      return request;
    });
    const error = await expectQuotaError(store.putEmbeddings(keptId, 'm', ['a'], new Float32Array([1]), 1));
    expect(error.quota).toBe(QUOTA_BYTES);
  });

  it('falls back to unknown usage without navigator.storage', async () => {
    vi.stubGlobal('navigator', undefined);
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(() => {
      throw quotaExceeded();
    });
    const error = await expectQuotaError(store.setSetting('activeDatasetId', keptId));
    expect(error.usage).toBeNull();
    expect(error.quota).toBeNull();
    expect(error.message).toContain('the browser did not say how much is used');
  });

  it('passes other write errors through unchanged', async () => {
    const dataError = new DOMException('bad key', 'DataError');
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(() => {
      throw dataError;
    });
    await expect(store.setSetting('k', 1)).rejects.toBe(dataError);
  });
});
