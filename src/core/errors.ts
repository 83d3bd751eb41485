/**
 * Named errors that keep their `name` across the worker boundary (comlink's throw handler
 * serialises name + message) and tell the user what to do next.
 */
import { CatalogueFormatError, CatalogueImportGoneError, CatalogueSourceError, NotACatalogueFileError } from './catalogue/errors';
import { DatasetNameClashError, DatasetNameClashesError, WorkspaceFileError } from './workspace/errors';

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
  constructor(reason: string) {
    super(`WebGPU is not available (${reason}). Falling back to the CPU; results are the same, only slower.`);
  }
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(modelId: string, cause: unknown) {
    super(`Could not load model "${modelId}": ${cause instanceof Error ? cause.message : String(cause)}. `
      + 'Check that the model folder has config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.');
  }
}

export class DatasetLoadError extends Error {
  override name = 'DatasetLoadError';
  constructor(source: string, detail: string) {
    super(`Could not load patents from ${source}: ${detail}.`);
  }
}

/** The error scope (GPUErrorFilter) that caught a GPU error. */
export type GpuFailureKind = 'validation' | 'out-of-memory' | 'internal';

/**
 * A GPU run whose result must not be used: one of the error scopes that src/gpu/backend.ts puts
 * around every run caught an error. The GPU policy catches it and runs the CPU twin instead,
 * saying why; it reaches callers only where they ask the GPU directly (withErrorScopes).
 */
export class GpuError extends Error {
  override name = 'GpuError';
  constructor(readonly kind: GpuFailureKind, readonly label: string, detail: string, options?: { cause?: unknown }) {
    super(`GPU ${kind.replace('-', ' ')} error in ${label}: ${detail}`, options);
  }
}

export class GpuValidationError extends GpuError {
  override name = 'GpuValidationError';
  constructor(label: string, detail: string, options?: { cause?: unknown }) {
    super('validation', label, detail, options);
  }
}

export class GpuOutOfMemoryError extends GpuError {
  override name = 'GpuOutOfMemoryError';
  constructor(label: string, detail: string, options?: { cause?: unknown }) {
    super('out-of-memory', label, detail, options);
  }
}

export class GpuInternalError extends GpuError {
  override name = 'GpuInternalError';
  constructor(label: string, detail: string, options?: { cause?: unknown }) {
    super('internal', label, detail, options);
  }
}

/**
 * A dataset without stored vectors of a model where the caller treats that as a failure; engines
 * return the NoEmbeddings outcome (src/core/outcomes.ts) instead, and a client that still expects
 * an error turns it into this one with orNoEmbeddingsError.
 */
export class NoEmbeddingsError extends Error {
  override name = 'NoEmbeddingsError';
  constructor(message: string, readonly modelId: string) {
    super(message);
  }
}

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

/** Thrown by detection or a reader when the input is not a patent file at all (one clear message). */
export class NotAPatentFileError extends Error {
  override name = 'NotAPatentFileError';
  constructor(fileName: string, detail: string) {
    super(`${fileName} does not look like a patent file: ${detail}`);
  }
}

/** Forecast settings that cannot give a forecast (an empty window): shown as an empty state, not a failure. */
export class ForecastInputError extends Error {
  override name = 'ForecastInputError';
}

/**
 * Every named error class of the app, so the worker boundary (workers/boundary.ts) can rebuild a
 * thrown error as an instance of its class. Each class's `name` field equals its class name.
 */
/** A model file fetched does not match its manifest's sha256: a corrupt download or a changed model. */
export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
  constructor(file: string, expected: string, actual: string) {
    super(`${file} does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…): the download is corrupt or the model changed. Remove it from the cache and load it again.`);
  }
}

/** A model file the server does not have (404), or will not give without a login (401 / 403). */
export class ModelFileMissingError extends Error {
  override name = 'ModelFileMissingError';
  constructor(readonly url: string, readonly status: number) {
    super(`${url} answered ${status}${status === 401 || status === 403 ? ' (the model may be gated or private: it needs a login on the hub)' : ''}`);
  }
}

/**
 * The errors a worker boundary rebuilds as their own class, keyed by the name each sets. Keyed by
 * an object literal's property names, not by the classes' function names: a production build
 * minifies those (StorageQuotaError becomes `fn`), property names it keeps, so a lookup by the
 * error's `name` finds its class in the built app as in Node. test/workers/boundary.test.ts checks
 * that every key is the name its class's instances carry.
 */
export const NAMED_ERRORS: Readonly<Record<string, { prototype: Error }>> = {
  WebGpuUnavailableError, ModelLoadError, DatasetLoadError,
  GpuError, GpuValidationError, GpuOutOfMemoryError, GpuInternalError, NoEmbeddingsError,
  StorageQuotaError, DatasetNotFoundError, NotAPatentFileError, ForecastInputError,
  CatalogueFormatError, CatalogueSourceError, NotACatalogueFileError, CatalogueImportGoneError,
  ModelIntegrityError, ModelFileMissingError, WorkspaceFileError, DatasetNameClashError,
  DatasetNameClashesError,
};
