/**
 * Named store errors. Each sets `name` (it survives comlink's worker boundary) and tells the user
 * what to do next.
 */

/** A dataset as listed in StorageQuotaError: what the user could delete. */
export interface DatasetSpaceUse {
  id: string;
  name: string;
  patentCount: number;
  /** Set when the dataset is already soft-deleted: it still takes space until purged. */
  deletedAt?: number;
}

/** Thrown when a write fails because the browser's storage quota for this site is used up. */
export class StorageQuotaError extends Error {
  override name = 'StorageQuotaError';
  /** Bytes this site uses and may use (navigator.storage.estimate); null where the browser can't say. */
  readonly usage: number | null;
  readonly quota: number | null;
  /** Stored datasets, largest first. */
  readonly datasets: DatasetSpaceUse[];

  constructor(usage: number | null, quota: number | null, datasets: DatasetSpaceUse[], cause?: unknown) {
    const largestFirst = [...datasets].sort((a, b) => b.patentCount - a.patentCount);
    super(storageQuotaMessage(usage, quota, largestFirst), { cause });
    this.usage = usage;
    this.quota = quota;
    this.datasets = largestFirst;
  }
}

function storageQuotaMessage(usage: number | null, quota: number | null, datasets: DatasetSpaceUse[]): string {
  const used = usage !== null && quota !== null
    ? `${formatBytes(usage)} of ${formatBytes(quota)} used`
    : 'the browser did not say how much is used';
  if (datasets.length === 0) {
    return `Browser storage for this site is full (${used}). Free space in the browser's site settings, then try again.`;
  }
  const listed = datasets
    .map((d) => `"${d.name}" (${d.patentCount.toLocaleString('en')} patents${d.deletedAt === undefined ? '' : ', deleted, freed on next start'})`)
    .join(', ');
  return `Browser storage for this site is full (${used}). Delete a dataset you no longer need, then try again. `
    + `Stored datasets, largest first: ${listed}.`;
}

/** Binary units, one decimal: 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Thrown when an operation names a dataset the store does not have (or no longer accepts writes for). */
export class DatasetNotFoundError extends Error {
  override name = 'DatasetNotFoundError';
  constructor(datasetId: string, detail = 'it may have been deleted or its import cancelled') {
    super(`Dataset ${datasetId} is not in the store: ${detail}. Reload the dataset list and choose another.`);
  }
}
