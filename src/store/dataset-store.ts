/**
 * DatasetStore: the app's one IndexedDB database (see schema.ts), usable from the main thread and
 * from workers (it touches only indexedDB and navigator.storage). Each thread opens its own store.
 *
 * Import lifecycle: createDataset ('importing') → putPatents per chunk → finishImport ('ready'), or
 * abortImport, which removes everything so a failed or cancelled import leaves nothing behind.
 * Deleting is soft until purgeDeleted (called at start-up), so an undo lasts for the session.
 */
import type { ImportReport } from '../core/ingest/report';
import type { CodeId, CodeLevel, EmbeddingSet, Patent } from '../core/types';
import { EmbeddingGatherer, joinEmbeddings, splitEmbeddings, type AlignedEmbeddings } from './embedding-chunks';
import { prefixRange, prefixRangeAfter } from './key-ranges';
import type { DatasetRecord, SourceFile, StoredPatent } from './records';
import { storageQuotaError } from './quota-report';
import { DEFAULT_DB_NAME, type PatentSpaceStoreName } from './schema';
import { openPatentSpaceDatabase } from './open-database';
import { readStorageEstimate, requestPersistentStorage, type StorageEstimateInfo } from './storage-estimate';
import {
  abortQuietly,
  abortUnfinishedImport,
  DATASET_STORES,
  deleteDatasetEverywhere,
  putAll,
  runWrite,
  type PatentSpaceDatabase,
  type WriteTransaction,
} from './transactions';
import { datasetFingerprint } from '../core/dataset-fingerprint';
import { DatasetNotFoundError } from '../core/errors';

export type { DatasetRecord, SourceFile } from './records';
export type { AlignedEmbeddings } from './embedding-chunks';

export interface DatasetStoreOptions {
  /** Database name; tests pass a unique one. Default 'patent-space'. */
  name?: string;
}

export interface NewDataset {
  /** Chosen by the caller when it must hold the import lock before the record exists. */
  id?: string;
  name: string;
  level: CodeLevel;
  sourceFiles: SourceFile[];
}

/** An unfinished import removed at start-up, as the user is told about it. */
export interface DiscardedImport {
  id: string;
  name: string;
  startedAt: number;
  /** Patents it had stored before the tab went away (all removed). */
  patents: number;
  files: string[];
}

export class DatasetStore {
  private readonly db: PatentSpaceDatabase;

  private constructor(db: PatentSpaceDatabase) {
    this.db = db;
  }

  /** Opens (creating or upgrading as needed) the database. */
  static async open(options: DatasetStoreOptions = {}): Promise<DatasetStore> {
    return new DatasetStore(await openPatentSpaceDatabase(options.name ?? DEFAULT_DB_NAME));
  }

  /** Closes the connection. Safe to call twice. */
  close(): void {
    this.db.close();
  }

  // ---- import lifecycle ----

  async createDataset(input: NewDataset): Promise<DatasetRecord> {
    const record: DatasetRecord = {
      id: input.id ?? crypto.randomUUID(),
      name: input.name,
      createdAt: Date.now(),
      level: input.level,
      status: 'importing',
      patentCount: 0,
      codeCount: 0,
      sourceFiles: input.sourceFiles.map(({ name, bytes }) => ({ name, bytes })),
    };
    await this.write(['datasets'], async (tx) => {
      await tx.objectStore('datasets').add(record);
    });
    return record;
  }

  /** Stores one chunk of an import in one transaction (a patent id seen again replaces the old one). */
  async putPatents(datasetId: string, patents: Patent[]): Promise<void> {
    await this.write(['datasets', 'patents'], async (tx) => {
      const dataset = await tx.objectStore('datasets').get(datasetId);
      // A chunk that arrives after abortImport (a cancel racing the engine) must not leave orphans.
      if (dataset?.status !== 'importing') throw new DatasetNotFoundError(datasetId, 'it is not being imported');
      await putAll(tx.objectStore('patents'), patents.map((patent): StoredPatent => ({ ...patent, datasetId })));
    });
  }

  /** Stores the code counts and the report and marks the dataset ready, all in one transaction. */
  async finishImport(datasetId: string, report: ImportReport, codeCounts: Map<CodeId, number>): Promise<DatasetRecord> {
    return this.write(['datasets', 'patents', 'codes'], async (tx) => {
      const dataset = await tx.objectStore('datasets').get(datasetId);
      if (!dataset) throw new DatasetNotFoundError(datasetId);
      const patentKeys = await tx.objectStore('patents').getAllKeys(prefixRange(datasetId));
      const codes = tx.objectStore('codes');
      await codes.delete(prefixRange(datasetId)); // a repeated finishImport replaces, never merges
      await putAll(codes, Array.from(codeCounts, ([code, patents]) => ({ datasetId, code, patents })));
      const finished: DatasetRecord = {
        ...dataset, status: 'ready', patentCount: patentKeys.length, codeCount: codeCounts.size, fingerprint: datasetFingerprint(patentKeys.map((key) => key[1])), report,
      };
      await tx.objectStore('datasets').put(finished);
      return finished;
    });
  }

  /**
   * Removes an unfinished import and everything stored under it. Returns false, changing nothing,
   * when the dataset is already ready (a cancel that lost the race with finishImport): use softDelete.
   */
  async abortImport(datasetId: string): Promise<boolean> {
    return this.write([...DATASET_STORES], (tx) => abortUnfinishedImport(tx, datasetId));
  }

  /**
   * Removes the imports a closed or reloaded tab left 'importing', with what they had stored.
   * `running()` gives the ids whose import lock is held (import-locks.ts): every other unfinished
   * import is abandoned. Those still held are returned in `running`, for the caller to wait on
   * (another tab's import, or the dying worker of the page that was just reloaded). Where locks
   * are unknown (null: no Web Locks), only imports started before `createdBefore` are abandoned.
   * The locks are asked after the records are read: an import takes its lock before it creates
   * its record, so one starting meanwhile is never taken.
   */
  async abortAbandonedImports(
    running: () => Promise<ReadonlySet<string> | null>,
    createdBefore: number,
  ): Promise<{ discarded: DiscardedImport[]; running: string[] }> {
    const unfinished = (await this.db.getAll('datasets')).filter((d) => d.status === 'importing');
    if (unfinished.length === 0) return { discarded: [], running: [] };
    const alive = await running();
    const discarded: DiscardedImport[] = [];
    const stillRunning: string[] = [];
    for (const dataset of unfinished) {
      const abandoned = alive ? !alive.has(dataset.id) : dataset.createdAt < createdBefore;
      if (!abandoned) {
        if (alive) stillRunning.push(dataset.id);
        continue;
      }
      const removed = await this.discardUnfinished(dataset.id);
      if (removed) discarded.push(removed);
    }
    return { discarded, running: stillRunning };
  }

  /**
   * Removes one import if it is still unfinished, saying what it had stored; null when it finished
   * or is gone. Call it only once its import lock was free (the import is no longer running).
   */
  async discardUnfinished(datasetId: string): Promise<DiscardedImport | null> {
    const dataset = await this.db.get('datasets', datasetId);
    if (dataset?.status !== 'importing') return null;
    const patents = await this.db.count('patents', prefixRange(datasetId));
    if (!(await this.abortImport(datasetId))) return null;
    return { id: dataset.id, name: dataset.name, startedAt: dataset.createdAt, patents, files: dataset.sourceFiles.map((f) => f.name) };
  }

  // ---- reading ----

  /** Ready, not deleted datasets, newest first. */
  async listDatasets(): Promise<DatasetRecord[]> {
    const all = await this.db.getAll('datasets');
    return all
      .filter((d) => d.status === 'ready' && d.deletedAt === undefined)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The record whatever its state (importing, soft-deleted); undefined when there is none. */
  async getDataset(datasetId: string): Promise<DatasetRecord | undefined> {
    return this.db.get('datasets', datasetId);
  }

  /** The stored patents among `ids` (missing ids are skipped), in one read transaction. */
  async getPatentsByIds(datasetId: string, ids: string[]): Promise<Patent[]> {
    const tx = this.db.transaction('patents', 'readonly');
    const found = await Promise.all(ids.map((id) => tx.store.get([datasetId, id])));
    await tx.done;
    return found.filter((p): p is StoredPatent => p !== undefined).map(toPatent);
  }

  /** All patents of a dataset, ordered by id. For large datasets prefer iteratePatents. */
  async getPatents(datasetId: string): Promise<Patent[]> {
    const stored = await this.db.getAll('patents', prefixRange(datasetId));
    return stored.map(toPatent);
  }

  /**
   * The patents whose year lies in [from, to] (either end may be infinite), ordered by id like
   * getPatents, read through the year index: patents of other years are never loaded.
   */
  async getPatentsInYears(datasetId: string, range: { from: number; to: number }): Promise<Patent[]> {
    if (!(range.from <= range.to)) return [];
    const stored = await this.db.getAllFromIndex('patents', 'byDatasetYear', IDBKeyRange.bound([datasetId, range.from], [datasetId, range.to]));
    return stored.map(toPatent).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Patent count and the first and last finite year (null when none has one), from the count and
   * the two ends of the year index: no patent record is read.
   */
  async yearSpan(datasetId: string): Promise<{ patents: number; firstYear: number | null; lastYear: number | null }> {
    const tx = this.db.transaction('patents', 'readonly');
    const index = tx.store.index('byDatasetYear');
    const finite = IDBKeyRange.bound([datasetId, -Number.MAX_VALUE], [datasetId, Number.MAX_VALUE]);
    const [patents, first, last] = await Promise.all([
      tx.store.count(prefixRange(datasetId)),
      index.openKeyCursor(finite, 'next'),
      index.openKeyCursor(finite, 'prev'),
    ]);
    await tx.done;
    return { patents, firstYear: first ? first.key[1] : null, lastYear: last ? last.key[1] : null };
  }

  /**
   * Calls `onBatch` with at most `batchSize` patents at a time, in id order, holding one batch in
   * memory. Each batch is read in its own transaction because `onBatch` may await anything, and a
   * transaction can't be kept open across that (see transactions.ts); the next read resumes after
   * the last key seen, so writes between batches can't make it skip or repeat a patent.
   */
  async iteratePatents(
    datasetId: string,
    batchSize: number,
    onBatch: (patents: Patent[]) => void | Promise<void>,
  ): Promise<void> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);
    let range = prefixRange(datasetId);
    for (;;) {
      const batch = await this.db.getAll('patents', range, batchSize);
      if (batch.length === 0) return;
      await onBatch(batch.map(toPatent));
      if (batch.length < batchSize) return;
      range = prefixRangeAfter([datasetId], [datasetId, batch[batch.length - 1].id]);
    }
  }

  async countPatents(datasetId: string): Promise<number> {
    return this.db.count('patents', prefixRange(datasetId));
  }

  /** Code → number of patents carrying it, as given to finishImport. */
  async getCodes(datasetId: string): Promise<Map<CodeId, number>> {
    const records = await this.db.getAll('codes', prefixRange(datasetId));
    return new Map(records.map((r) => [r.code, r.patents]));
  }

  async setLevel(datasetId: string, level: CodeLevel): Promise<DatasetRecord> {
    return this.updateDataset(datasetId, (d) => ({ ...d, level }));
  }

  // ---- delete with undo ----

  /** Hides the dataset from listDatasets; undoDelete brings it back until purgeDeleted runs. */
  async softDelete(datasetId: string): Promise<DatasetRecord> {
    return this.updateDataset(datasetId, (d) => ({ ...d, deletedAt: Date.now() }));
  }

  async undoDelete(datasetId: string): Promise<DatasetRecord> {
    return this.updateDataset(datasetId, ({ deletedAt: _deletedAt, ...d }) => d);
  }

  /**
   * Really deletes the soft-deleted datasets whose deletedAt is before `olderThan` (ms since the
   * epoch; default: all of them). One transaction per dataset. Returns the ids purged.
   */
  async purgeDeleted(olderThan = Number.POSITIVE_INFINITY): Promise<string[]> {
    const all = await this.db.getAll('datasets');
    const doomed = all.filter((d) => d.deletedAt !== undefined && d.deletedAt < olderThan).map((d) => d.id);
    for (const datasetId of doomed) {
      await this.write([...DATASET_STORES], (tx) => deleteDatasetEverywhere(tx, datasetId));
    }
    return doomed;
  }

  // ---- settings ----

  /** The caller vouches for T: settings are whatever setSetting stored, unchecked. */
  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('settings', key)) as T | undefined;
  }

  async setSetting<T>(key: string, value: T): Promise<void> {
    await this.write(['settings'], async (tx) => {
      await tx.objectStore('settings').put(value, key);
    });
  }

  async deleteSetting(key: string): Promise<void> {
    await this.write(['settings'], (tx) => tx.objectStore('settings').delete(key));
  }

  // ---- storage ----

  /** Usage and quota for this site, or null where the browser can't say (no navigator.storage). */
  async estimate(): Promise<StorageEstimateInfo | null> {
    return readStorageEstimate();
  }

  /** Asks the browser not to evict this site's data; false when refused or not askable (workers). */
  async requestPersistence(): Promise<boolean> {
    return requestPersistentStorage();
  }

  // ---- embeddings ----

  /** Replaces the dataset's embeddings for `modelId`; `vectors` is ids.length × dim, row-major. */
  async putEmbeddings(datasetId: string, modelId: string, ids: string[], vectors: Float32Array, dim: number): Promise<void> {
    const chunks = splitEmbeddings(datasetId, modelId, ids, vectors, dim);
    await this.write(['datasets', 'embeddings'], async (tx) => {
      if (!(await tx.objectStore('datasets').get(datasetId))) throw new DatasetNotFoundError(datasetId);
      const store = tx.objectStore('embeddings');
      await store.delete(prefixRange(datasetId, modelId)); // fewer rows than before must not keep old chunks
      await putAll(store, chunks);
    });
  }

  async getEmbeddings(datasetId: string, modelId: string): Promise<EmbeddingSet | null> {
    const chunks = await this.db.getAll('embeddings', prefixRange(datasetId, modelId));
    return chunks.length === 0 ? null : joinEmbeddings(modelId, chunks);
  }

  /**
   * The stored vectors of `patentIds` (unique), in that order, for engines that need the rows of
   * some patents: each row is copied once, straight from its chunk into the result. Ids without
   * a vector are left out (see `found`); null when the model has no vectors for the dataset.
   */
  async getAlignedEmbeddings(datasetId: string, modelId: string, patentIds: readonly string[]): Promise<AlignedEmbeddings | null> {
    const gatherer = new EmbeddingGatherer(modelId, patentIds);
    // One chunk in memory at a time: the cursor only awaits its own transaction's requests.
    const tx = this.db.transaction('embeddings', 'readonly');
    for (let cursor = await tx.store.openCursor(prefixRange(datasetId, modelId)); cursor; cursor = await cursor.continue()) {
      gatherer.feed(cursor.value);
    }
    await tx.done;
    return gatherer.finish();
  }

  /** Rows stored for `modelId` (0 when none), without joining them into one matrix. */
  async countEmbeddings(datasetId: string, modelId: string): Promise<number> {
    let rows = 0;
    const tx = this.db.transaction('embeddings', 'readonly');
    for (let cursor = await tx.store.openCursor(prefixRange(datasetId, modelId)); cursor; cursor = await cursor.continue()) {
      rows += cursor.value.ids.length;
    }
    await tx.done;
    return rows;
  }

  /** Deletes one model's embeddings of a dataset, or all of them when `modelId` is omitted. */
  async deleteEmbeddings(datasetId: string, modelId?: string): Promise<void> {
    const range = modelId === undefined ? prefixRange(datasetId) : prefixRange(datasetId, modelId);
    await this.write(['embeddings'], (tx) => tx.objectStore('embeddings').delete(range));
  }

  // ---- internals ----

  private async updateDataset(datasetId: string, change: (d: DatasetRecord) => DatasetRecord): Promise<DatasetRecord> {
    return this.write(['datasets'], async (tx) => {
      const dataset = await tx.objectStore('datasets').get(datasetId);
      if (!dataset) throw new DatasetNotFoundError(datasetId);
      const updated = change(dataset);
      await tx.objectStore('datasets').put(updated);
      return updated;
    });
  }

  private write<Names extends PatentSpaceStoreName, T>(
    storeNames: Names[],
    body: (tx: WriteTransaction<Names>) => Promise<T>,
  ): Promise<T> {
    return runWrite(this.db, storeNames, body, (cause) => storageQuotaError(this.db, cause));
  }
}

function toPatent({ datasetId: _datasetId, ...patent }: StoredPatent): Patent {
  return patent;
}
