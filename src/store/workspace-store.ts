/**
 * The store side of dataset files (core/workspace): reading everything kept with one dataset, a
 * bounded batch at a time, and writing an imported dataset so that no reload can leave part of
 * it visible.
 *
 * An import follows the patent import's lifecycle (dataset-store.ts): the dataset record is
 * added 'importing' (under a new id, with `add`, so nothing is ever replaced), records go in one
 * transaction per batch, each checking the dataset is still being imported, and the last
 * transaction writes the settings and marks the dataset 'ready'. Until then the dataset is never
 * listed, and a tab that goes away leaves an 'importing' dataset that the start-up clean-up
 * removes with everything under it (settings are written only in the last transaction, so none
 * can be left behind: deleteDatasetEverywhere does not reach them). A workspace file's datasets
 * share that last transaction (finishImports).
 */
import type { RecordKind } from '../core/workspace/format';
import { datasetFingerprint } from '../core/dataset-fingerprint';
import { DatasetNotFoundError } from '../core/errors';
import { prefixRange, prefixRangeAfter, settingKeyOfDataset } from './key-ranges';
import { openPatentSpaceDatabase } from './open-database';
import { storageQuotaError } from './quota-report';
import type { DatasetRecord } from './records';
import type { PatentSpaceDB, PatentSpaceStoreName } from './schema';
import { abortUnfinishedImport, DATASET_STORES, putAll, runWrite, type PatentSpaceDatabase, type WriteTransaction } from './transactions';

/** Record kinds kept in a store keyed by [datasetId, ...]; results and settings are read otherwise. */
const KEYED_STORES = {
  patent: 'patents',
  code: 'codes',
  embedding: 'embeddings',
  matchJob: 'matchJobs',
  matchJobInput: 'matchJobInputs',
  matchJobChunk: 'matchJobChunks',
  conversation: 'conversations',
} as const satisfies Partial<Record<RecordKind, PatentSpaceStoreName>>;
type KeyedKind = keyof typeof KEYED_STORES;
type KeyedStore = (typeof KEYED_STORES)[KeyedKind];

export const STORED_KINDS: readonly RecordKind[] = [...(Object.keys(KEYED_STORES) as KeyedKind[]), 'result'];

/** Records of one kind, as the store holds them minus `datasetId`. */
export type ExportedRecord = Record<string, unknown>;

/** A batch of imported records, by kind (settings go to finishImport). */
export type ImportBatch = Partial<Record<Exclude<RecordKind, 'setting'>, ExportedRecord[]>>;

export class WorkspaceStore {
  private constructor(private readonly db: PatentSpaceDatabase) {}

  static async open(options: { name?: string } = {}): Promise<WorkspaceStore> {
    return new WorkspaceStore(await openPatentSpaceDatabase(options.name));
  }

  close(): void {
    this.db.close();
  }

  async getDataset(datasetId: string): Promise<DatasetRecord | undefined> {
    return this.db.get('datasets', datasetId);
  }

  async allDatasets(): Promise<DatasetRecord[]> {
    return this.db.getAll('datasets');
  }

  // ---- export ----

  /**
   * Calls `onBatch` with up to `batchSize` records of `kind` at a time, in key order, without their
   * dataset id. Each batch is its own transaction (onBatch may await anything) and the next one
   * resumes after the last key, as iteratePatents does.
   */
  async iterate(datasetId: string, kind: RecordKind, batchSize: number, onBatch: (records: ExportedRecord[]) => Promise<void>): Promise<void> {
    if (kind === 'setting') throw new RangeError('settings are read with settingsOf');
    if (kind === 'result') {
      const results = await this.db.getAllFromIndex('results', 'byDataset', datasetId);
      if (results.length > 0) await onBatch(results.map(withoutDatasetId));
      return;
    }
    const storeName: KeyedStore = KEYED_STORES[kind];
    let range = prefixRange(datasetId);
    for (;;) {
      const { values, lastKey } = await this.readBatch(storeName, range, batchSize);
      if (values.length > 0) await onBatch(values.map(withoutDatasetId));
      if (values.length < batchSize || !lastKey) return;
      range = prefixRangeAfter([datasetId], lastKey);
    }
  }

  /**
   * The settings kept for this dataset: those whose key names its id (`spaceCache:<id>`,
   * `vectorProvenance:<id>:<model>`, `<cache>@<id>`, …). App-wide settings are not the dataset's.
   */
  async settingsOf(datasetId: string): Promise<{ key: string; value: unknown }[]> {
    const keys = (await this.db.getAllKeys('settings')).filter((key) => settingKeyOfDataset(key, datasetId));
    const tx = this.db.transaction('settings', 'readonly');
    const values = await Promise.all(keys.map((key) => tx.store.get(key)));
    await tx.done;
    return keys.map((key, i) => ({ key, value: values[i] }));
  }

  /** Every key of the settings store. */
  async settingKeys(): Promise<string[]> {
    return (await this.db.getAllKeys('settings')).filter((key): key is string => typeof key === 'string');
  }

  /** The stored values of `keys`, in order (undefined where none is stored), read in one transaction. */
  async getSettings(keys: readonly string[]): Promise<unknown[]> {
    const tx = this.db.transaction('settings', 'readonly');
    const values = await Promise.all(keys.map((key) => tx.store.get(key)));
    await tx.done;
    return values;
  }

  /** Stores settings the user chose to take from a file, in one transaction. */
  async putSettings(settings: readonly { key: string; value: unknown }[]): Promise<void> {
    await this.write(['settings'], async (tx) => {
      const store = tx.objectStore('settings');
      await Promise.all(settings.map(({ key, value }) => store.put(value, key)));
    });
  }

  private async readBatch(storeName: KeyedStore, range: IDBKeyRange, batchSize: number): Promise<{ values: Record<string, unknown>[]; lastKey: IDBValidKey[] | null }> {
    const tx = this.db.transaction(storeName, 'readonly');
    const values: Record<string, unknown>[] = [];
    let lastKey: IDBValidKey[] | null = null;
    for (let cursor = await tx.store.openCursor(range); cursor; cursor = values.length < batchSize ? await cursor.continue() : null) {
      values.push(cursor.value as unknown as Record<string, unknown>);
      lastKey = cursor.primaryKey as IDBValidKey[];
    }
    await tx.done;
    return { values, lastKey };
  }

  // ---- import ----

  /** Adds the dataset record, 'importing'. Fails, writing nothing, when its id is taken. */
  async beginImport(record: DatasetRecord): Promise<void> {
    await this.write(['datasets'], async (tx) => {
      await tx.objectStore('datasets').add({ ...record, status: 'importing' });
    });
  }

  /** Writes one batch in one transaction, only while the dataset is still being imported. */
  async putBatch(datasetId: string, batch: ImportBatch): Promise<void> {
    const kinds = (Object.keys(batch) as (keyof ImportBatch)[]).filter((kind) => (batch[kind]?.length ?? 0) > 0);
    if (kinds.length === 0) return;
    const stores = kinds.map((kind) => (kind === 'result' ? 'results' : KEYED_STORES[kind]));
    await this.write(['datasets', ...stores], async (tx) => {
      await checkImporting(tx.objectStore('datasets'), datasetId);
      await Promise.all(kinds.map((kind, i) =>
        putAll(tx.objectStore(stores[i]) as unknown as { put(value: unknown): Promise<unknown> },
          (batch[kind] ?? []).map((value) => ({ ...value, datasetId })))));
    });
  }

  /**
   * Writes the settings and marks the dataset ready, in one transaction. The counts are taken from
   * what was stored, not from the file's dataset record (the manifest has no checksum of its own).
   */
  async finishImport(datasetId: string, settings: { key: string; value: unknown }[]): Promise<DatasetRecord> {
    return (await this.finishImports([{ datasetId, settings }]))[0];
  }

  /**
   * finishImport for several datasets in one transaction, so a workspace file's datasets become
   * listed together or not at all (a reload before this commits leaves only 'importing' ones).
   */
  async finishImports(entries: readonly { datasetId: string; settings: { key: string; value: unknown }[] }[]): Promise<DatasetRecord[]> {
    return this.write(['datasets', 'settings', 'patents', 'codes'], async (tx) => {
      const store = tx.objectStore('settings');
      return Promise.all(entries.map(async ({ datasetId, settings }) => {
        const dataset = await checkImporting(tx.objectStore('datasets'), datasetId);
        const [patentKeys, codeCount] = await Promise.all([
          tx.objectStore('patents').getAllKeys(prefixRange(datasetId)),
          tx.objectStore('codes').count(prefixRange(datasetId)),
          ...settings.map(({ key, value }) => store.put(value, key)),
        ]);
        const keys = patentKeys as [string, string][];
        // Taken from the patents stored, never from the file: the same patents give the same
        // fingerprint as on the machine the file came from, so links made there open here.
        const ready: DatasetRecord = {
          ...dataset, status: 'ready', patentCount: keys.length, codeCount: codeCount as number, fingerprint: datasetFingerprint(keys.map((key) => key[1])),
        };
        await tx.objectStore('datasets').put(ready);
        return ready;
      }));
    });
  }

  /** Removes an unfinished import and everything under it; false (changing nothing) once it is ready. */
  async abortImport(datasetId: string): Promise<boolean> {
    return this.write([...DATASET_STORES], (tx) => abortUnfinishedImport(tx, datasetId));
  }

  private write<Names extends PatentSpaceStoreName, T>(storeNames: Names[], body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    return runWrite(this.db, storeNames, body, (cause) => storageQuotaError(this.db, cause));
  }
}

async function checkImporting(datasets: { get(id: string): Promise<DatasetRecord | undefined> }, datasetId: string): Promise<DatasetRecord> {
  const dataset = await datasets.get(datasetId);
  // A batch after abortImport (a cancel racing the engine) must not leave orphans.
  if (dataset?.status !== 'importing') throw new DatasetNotFoundError(datasetId, 'it is not being imported');
  return dataset;
}

function withoutDatasetId(record: PatentSpaceDB[PatentSpaceStoreName]['value'] | Record<string, unknown>): ExportedRecord {
  const { datasetId: _datasetId, ...rest } = record as Record<string, unknown>;
  return rest;
}
