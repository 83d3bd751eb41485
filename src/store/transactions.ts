/**
 * Write transactions that never lose an error, and dataset-wide deletes.
 *
 * IndexedDB commits a transaction as soon as control returns to the event loop with none of its
 * requests pending. So inside a transaction we only ever await that transaction's own requests;
 * awaiting anything else (a fetch, a worker message, a timer) would commit it early and make the
 * next request throw TransactionInactiveError.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { prefixRange, settingKeyOfDataset } from './key-ranges';
import { isQuotaExceededError } from './quota';
import type { PatentSpaceDB, PatentSpaceStoreName } from './schema';

export type PatentSpaceDatabase = IDBPDatabase<PatentSpaceDB>;
export type WriteTransaction<Names extends PatentSpaceStoreName> = IDBPTransaction<PatentSpaceDB, Names[], 'readwrite'>;

/** Every store that holds something of a dataset (settings: those whose key names its id). */
export const DATASET_STORES = ['datasets', 'patents', 'codes', 'embeddings', 'results', 'matchJobs', 'matchJobInputs', 'matchJobChunks', 'conversations', 'settings'] as const;
export type DatasetStoreName = (typeof DATASET_STORES)[number];

/**
 * Runs `body` in one readwrite transaction and resolves once it has committed. If anything fails the
 * whole transaction is rolled back and the error is rethrown: as `toQuotaError(error)` when the
 * browser's storage is full, otherwise unchanged.
 */
export async function runWrite<Names extends PatentSpaceStoreName, T>(
  db: PatentSpaceDatabase,
  storeNames: Names[],
  body: (tx: WriteTransaction<Names>) => Promise<T>,
  toQuotaError: (cause: unknown) => Promise<Error>,
): Promise<T> {
  const tx = db.transaction(storeNames, 'readwrite');
  // Observed now so that an abort while `body` is still unwinding isn't reported as an unhandled
  // rejection; the failure itself reaches the caller below, through `body` or through `await done`.
  const done = tx.done;
  done.catch(() => undefined);
  try {
    const result = await body(tx);
    await done; // a full disk often fails the commit, not a request
    return result;
  } catch (error) {
    // A synchronous throw (bad key, our own check) doesn't abort the transaction by itself, and
    // what was already written in it must not commit.
    abortQuietly(tx);
    if (isQuotaExceededError(error, transactionError(tx))) throw await toQuotaError(error);
    throw error;
  }
}

/** Aborts a transaction that may already have finished (then there is nothing left to undo). */
export function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch (error) {
    if (!(error instanceof Error && error.name === 'InvalidStateError')) throw error;
  }
}

function transactionError(tx: { readonly error: DOMException | null }): DOMException | null {
  try {
    return tx.error;
  } catch {
    return null; // some engines throw when read before the transaction finished
  }
}

/**
 * Issues every put before awaiting any, so they all run in the current transaction. If a put throws
 * synchronously, the transaction gets aborted by runWrite and the puts already issued reject with
 * AbortError: echoes of this error, so they are observed here and the cause is rethrown.
 */
export async function putAll<Value>(store: { put(value: Value): Promise<unknown> }, values: Iterable<Value>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const value of values) pending.push(store.put(value));
  } catch (error) {
    for (const request of pending) request.catch(() => undefined);
    throw error;
  }
  await Promise.all(pending);
}

/** Deletes a dataset's record, everything stored under it and its settings, within `tx`. */
export async function deleteDatasetEverywhere(tx: WriteTransaction<DatasetStoreName>, datasetId: string): Promise<void> {
  const everything = prefixRange(datasetId);
  const results = tx.objectStore('results');
  const resultIds = await results.index('byDataset').getAllKeys(datasetId);
  // Settings kept for the dataset name its id in their key (`spaceCache:<id>`,
  // `vectorProvenance:<id>:<model>`, …): they go with it, or they would outlive it unseen.
  const settings = tx.objectStore('settings');
  const settingKeys = (await settings.getAllKeys()).filter((key) => settingKeyOfDataset(key, datasetId));
  await Promise.all([
    ...settingKeys.map((key) => settings.delete(key)),
    tx.objectStore('datasets').delete(datasetId),
    tx.objectStore('patents').delete(everything),
    tx.objectStore('codes').delete(everything),
    tx.objectStore('embeddings').delete(everything),
    tx.objectStore('matchJobs').delete(everything),
    tx.objectStore('matchJobInputs').delete(everything),
    tx.objectStore('matchJobChunks').delete(everything),
    tx.objectStore('conversations').delete(everything),
    ...resultIds.map((id) => results.delete(id)),
  ]);
}

/**
 * Removes an unfinished import and everything under it, within `tx`; false, changing nothing, when
 * the dataset is already ready (a cancel that lost the race with the import's last step).
 */
export async function abortUnfinishedImport(tx: WriteTransaction<DatasetStoreName>, datasetId: string): Promise<boolean> {
  const dataset = await tx.objectStore('datasets').get(datasetId);
  if (dataset?.status === 'ready') return false;
  await deleteDatasetEverywhere(tx, datasetId);
  return true;
}
