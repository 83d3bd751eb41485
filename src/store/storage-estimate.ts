/**
 * navigator.storage, where it exists. It is missing outside secure contexts, in Node and in some
 * embedded browsers; persist() exists only on the main thread (StorageManager.persist is not exposed
 * to workers). Every function here degrades to "unknown" instead of throwing.
 */

export interface StorageEstimateInfo {
  /** Bytes this site uses. */
  usage: number;
  /** Bytes this site may use. */
  quota: number;
  /** Whether the browser promised not to evict this site's data under storage pressure. */
  persisted: boolean;
}

function storageManager(): StorageManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

export async function readStorageEstimate(): Promise<StorageEstimateInfo | null> {
  const storage = storageManager();
  if (typeof storage?.estimate !== 'function') return null;
  const { usage, quota } = await storage.estimate();
  if (usage === undefined || quota === undefined) return null;
  const persisted = typeof storage.persisted === 'function' ? await storage.persisted() : false;
  return { usage, quota, persisted };
}

/** Asks the browser to keep this site's data under storage pressure; false where it can't be asked. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = storageManager();
  if (typeof storage?.persist !== 'function') return false;
  return storage.persist();
}
