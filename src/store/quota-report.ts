/** Describes a full disk to the user: how much is used, and which datasets could be deleted. */
import { prefixRange } from './key-ranges';
import { readStorageEstimate, type StorageEstimateInfo } from './storage-estimate';
import type { PatentSpaceDatabase } from './transactions';
import { type DatasetSpaceUse, StorageQuotaError } from '../core/errors';

export async function storageQuotaError(db: PatentSpaceDatabase, cause: unknown): Promise<StorageQuotaError> {
  let estimate: StorageEstimateInfo | null = null;
  let datasets: DatasetSpaceUse[] = [];
  // Both are best effort: failing to describe the full disk must not hide that it is full.
  try {
    estimate = await readStorageEstimate();
  } catch {
    estimate = null;
  }
  try {
    datasets = await spaceUse(db);
  } catch {
    datasets = [];
  }
  return new StorageQuotaError(estimate?.usage ?? null, estimate?.quota ?? null, datasets, cause);
}

/** Every stored dataset with the patents it really holds (an import in progress has no count yet). */
async function spaceUse(db: PatentSpaceDatabase): Promise<DatasetSpaceUse[]> {
  const tx = db.transaction(['datasets', 'patents']);
  const datasets = await tx.objectStore('datasets').getAll();
  const counts = await Promise.all(datasets.map((d) => tx.objectStore('patents').count(prefixRange(d.id))));
  return datasets.map(({ id, name, deletedAt }, i) => ({
    id,
    name,
    patentCount: counts[i],
    ...(deletedAt === undefined ? {} : { deletedAt }),
  }));
}
