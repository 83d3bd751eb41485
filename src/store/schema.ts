/**
 * The IndexedDB schema and its version history.
 *
 * Each version's upgrade is one function, `migrateToV<n>`. `upgradeDatabase` applies, in order,
 * every step above the version the user had, so a user on any old version walks the same path a
 * fresh install does. Never edit a released step: add the next one and bump DB_VERSION.
 *
 * History
 * - v1: datasets (keyPath id), patents (key [datasetId, id], index byDataset), settings.
 * - v2: patents index byDatasetYear; stores codes, embeddings, results; dataset records gain
 *   level, status and codeCount (v1 datasets get 'subclass', 'ready' and their codes rebuilt).
 * - v3: stores catalogues (keyPath id) and catalogueSections (key [catalogueId, id]) for the texts
 *   the user loads for the bundled BREF catalogue and for catalogues of their own. Nothing else changes.
 * - v4: stores matchJobs (key [datasetId, id]), matchJobInputs (key [datasetId, jobId]: the
 *   sections a job matches, so it resumes without its catalogue) and matchJobChunks (key
 *   [datasetId, jobId, chunk]: the shortlist and its scores). Keys start with the dataset id, so
 *   deleting a dataset deletes its jobs by one key range per store. Nothing else changes.
 * - v5: store conversations (key [datasetId, id]): the chat's conversations, each turn written
 *   whole when it ends. Keyed by dataset like the jobs, so deleting a dataset deletes them by one
 *   key range. Nothing else changes.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type {
  CodeRecord,
  DatasetRecord,
  EmbeddingChunkRecord,
  ResultRecord,
  SourceFile,
  StoredPatent,
} from './records';
import type { CatalogueRecord, StoredCatalogueSection } from './catalogue-records';
import type { MatchJobInputRecord } from './match-job-records';
import type { MatchJobRecord, MatchPairChunk } from '../core/match-job/types';
import type { ConversationRecord } from './conversation-records';

export const DEFAULT_DB_NAME = 'patent-space';
export const DB_VERSION = 5;

/** Level given to datasets that were stored before datasets had one (v1). */
export const LEVEL_FOR_V1_DATASETS = 'subclass';

/** A dataset as v1 stored it: no level, no status (only finished imports were kept), no codeCount. */
export interface DatasetRecordV1 {
  id: string;
  name: string;
  createdAt: number;
  deletedAt?: number;
  patentCount: number;
  sourceFiles: SourceFile[];
}

export interface PatentSpaceDBV1 extends DBSchema {
  datasets: { key: string; value: DatasetRecordV1 };
  patents: { key: [string, string]; value: StoredPatent; indexes: { byDataset: string } };
  settings: { key: string; value: unknown };
}

/** The current schema (DB_VERSION). */
export interface PatentSpaceDB extends DBSchema {
  datasets: { key: string; value: DatasetRecord };
  patents: {
    key: [string, string];
    value: StoredPatent;
    indexes: { byDataset: string; byDatasetYear: [string, number] };
  };
  settings: { key: string; value: unknown };
  codes: { key: [string, string]; value: CodeRecord };
  embeddings: { key: [string, string, number]; value: EmbeddingChunkRecord };
  results: { key: string; value: ResultRecord; indexes: { byDataset: string } };
  catalogues: { key: string; value: CatalogueRecord };
  catalogueSections: { key: [string, string]; value: StoredCatalogueSection };
  matchJobs: { key: [string, string]; value: MatchJobRecord };
  matchJobInputs: { key: [string, string]; value: MatchJobInputRecord };
  matchJobChunks: { key: [string, string, number]; value: MatchPairChunk };
  conversations: { key: [string, string]; value: ConversationRecord };
}

export type PatentSpaceStoreName = StoreNames<PatentSpaceDB>;
type UpgradeTransaction = IDBPTransaction<PatentSpaceDB, PatentSpaceStoreName[], 'versionchange'>;

/** Creates the v1 stores. Exported so tests can build a v1 database exactly as v1 did. */
export function migrateToV1(db: IDBPDatabase<PatentSpaceDBV1>): void {
  db.createObjectStore('datasets', { keyPath: 'id' });
  const patents = db.createObjectStore('patents', { keyPath: ['datasetId', 'id'] });
  patents.createIndex('byDataset', 'datasetId');
  db.createObjectStore('settings');
}

/**
 * v1 → v2. Runs inside the upgrade transaction, so it may only await requests of that transaction
 * (awaiting anything else would let it commit half-way).
 */
export async function migrateToV2(db: IDBPDatabase<PatentSpaceDB>, tx: UpgradeTransaction): Promise<void> {
  // 1. New index and stores.
  tx.objectStore('patents').createIndex('byDatasetYear', ['datasetId', 'year']);
  db.createObjectStore('codes', { keyPath: ['datasetId', 'code'] });
  db.createObjectStore('embeddings', { keyPath: ['datasetId', 'modelId', 'chunk'] });
  db.createObjectStore('results', { keyPath: 'id' }).createIndex('byDataset', 'datasetId');

  // 2. v1 had no codes store: count the codes each dataset's patents carry, as stored.
  const codeCounts = new Map<string, Map<string, number>>();
  for (let cursor = await tx.objectStore('patents').openCursor(); cursor; cursor = await cursor.continue()) {
    const { datasetId, codes } = cursor.value;
    let counts = codeCounts.get(datasetId);
    if (!counts) codeCounts.set(datasetId, (counts = new Map()));
    for (const code of new Set(codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const codeStore = tx.objectStore('codes');
  const writes: Promise<unknown>[] = [];
  for (const [datasetId, counts] of codeCounts) {
    for (const [code, patents] of counts) writes.push(codeStore.put({ datasetId, code, patents }));
  }

  // 3. Give v1 dataset records the fields v2 requires.
  const datasets = tx.objectStore('datasets');
  // Typed as v2 by idb, but what is stored here is still the v1 shape.
  const stored: (DatasetRecordV1 | DatasetRecord)[] = await datasets.getAll();
  for (const record of stored) {
    writes.push(datasets.put(datasetRecordV1ToV2(record, codeCounts.get(record.id)?.size ?? 0)));
  }
  await Promise.all(writes);
}

export function datasetRecordV1ToV2(record: DatasetRecordV1 | DatasetRecord, codeCount: number): DatasetRecord {
  if ('status' in record) return record; // already v2
  return { ...record, level: LEVEL_FOR_V1_DATASETS, status: 'ready', codeCount };
}

/** v2 → v3: two new, empty stores; every existing store and record is left as it is. */
export function migrateToV3(db: IDBPDatabase<PatentSpaceDB>): void {
  db.createObjectStore('catalogues', { keyPath: 'id' });
  db.createObjectStore('catalogueSections', { keyPath: ['catalogueId', 'id'] });
}

/** v3 → v4: three new, empty stores for matching jobs; every existing store and record is left as it is. */
export function migrateToV4(db: IDBPDatabase<PatentSpaceDB>): void {
  db.createObjectStore('matchJobs', { keyPath: ['datasetId', 'id'] });
  db.createObjectStore('matchJobInputs', { keyPath: ['datasetId', 'jobId'] });
  db.createObjectStore('matchJobChunks', { keyPath: ['datasetId', 'jobId', 'chunk'] });
}

/** v4 → v5: one new, empty store for the chat's conversations; every existing store and record is left as it is. */
export function migrateToV5(db: IDBPDatabase<PatentSpaceDB>): void {
  db.createObjectStore('conversations', { keyPath: ['datasetId', 'id'] });
}

/** Applies every migration above `oldVersion`, in order. */
export async function upgradeDatabase(
  db: IDBPDatabase<PatentSpaceDB>,
  oldVersion: number,
  tx: UpgradeTransaction,
): Promise<void> {
  // v1 is a subset of the current schema under the same store names; idb's types can't express "the
  // database as it was at v1", hence the cast.
  if (oldVersion < 1) migrateToV1(db as unknown as IDBPDatabase<PatentSpaceDBV1>);
  if (oldVersion < 2) await migrateToV2(db, tx);
  if (oldVersion < 3) migrateToV3(db);
  if (oldVersion < 4) migrateToV4(db);
  if (oldVersion < 5) migrateToV5(db);
}
