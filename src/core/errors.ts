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

/**
 * Every named error class of the app, so the worker boundary (workers/boundary.ts) can rebuild a
 * thrown error as an instance of its class. Each class's `name` field equals its class name.
 */
export const NAMED_ERRORS: ReadonlyArray<{ name: string; prototype: Error }> = [
  WebGpuUnavailableError, ModelLoadError, DatasetLoadError,
];
