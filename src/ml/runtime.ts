import { env } from '@huggingface/transformers';
import type { RuntimeLocations } from './locations';

export function configureRuntime(locations: RuntimeLocations): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = locations.modelRoot.endsWith('/') ? locations.modelRoot : `${locations.modelRoot}/`;
  const onnx = env.backends.onnx;
  if (locations.ortWasm && onnx.wasm) {
    // Without this transformers.js points ONNX Runtime at a CDN.
    onnx.wasm.wasmPaths = { mjs: locations.ortWasm.mjs, wasm: locations.ortWasm.wasm };
  }
}

/** Null when a WebGPU adapter can be had here, else why not (checked before ONNX Runtime tries). */
export async function webgpuUnavailableReason(): Promise<string | null> {
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  if (!gpu) return 'this browser has no navigator.gpu';
  try {
    return (await gpu.requestAdapter()) ? null : 'no WebGPU adapter (GPU blocklisted or WebGPU disabled)';
  } catch (error) {
    return `requestAdapter failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
