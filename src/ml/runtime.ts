import { env } from '@huggingface/transformers';

/** Where models and the ONNX Runtime wasm files are served from; nothing is fetched from a hub here. */
export interface RuntimeLocations {
  /** Folder (URL in browsers, path in Node) holding `<modelId>/config.json` etc. */
  modelRoot: string;
  /** Absolute URLs of the self-hosted ONNX Runtime wasm factory and binary (browsers only). */
  ortWasm?: { mjs: string; wasm: string };
}

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

/** Bundled assets as the app serves them (see scripts/copy-assets.mjs). */
export function browserRuntimeLocations(origin: string): RuntimeLocations {
  return {
    modelRoot: new URL('models/', origin).href,
    ortWasm: {
      mjs: new URL('ort/ort-wasm-simd-threaded.asyncify.mjs', origin).href,
      wasm: new URL('ort/ort-wasm-simd-threaded.asyncify.wasm', origin).href,
    },
  };
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
