/**
 * Named errors that keep their `name` across the worker boundary (comlink's throw handler
 * serialises name + message) and tell the user what to do next.
 */
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

/**
 * Every named error class of the app, so the worker boundary (workers/boundary.ts) can rebuild a
 * thrown error as an instance of its class. Each class's `name` field equals its class name.
 */
export const NAMED_ERRORS: ReadonlyArray<{ name: string; prototype: Error }> = [
  WebGpuUnavailableError, ModelLoadError, DatasetLoadError,
  GpuError, GpuValidationError, GpuOutOfMemoryError, GpuInternalError, NoEmbeddingsError,
];
