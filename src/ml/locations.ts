/** Where models and the ONNX Runtime wasm files are served from; nothing is fetched from a hub here. */
export interface RuntimeLocations {
  /** Folder (URL path in browsers, file path in Node) holding `<modelId>/config.json` etc. */
  modelRoot: string;
  /** Absolute URLs of the self-hosted ONNX Runtime wasm factory and binary (browsers only). */
  ortWasm?: { mjs: string; wasm: string };
}

/** Bundled assets as the app serves them (see scripts/copy-assets.mjs). */
export function browserRuntimeLocations(origin: string): RuntimeLocations {
  return {
    // A path, not a full URL: transformers.js only probes "local" files (tokenizer_config.json)
    // when localModelPath is not an http(s) URL, and would otherwise report the model missing.
    modelRoot: new URL('models/', origin).pathname,
    ortWasm: {
      mjs: new URL('ort/ort-wasm-simd-threaded.asyncify.mjs', origin).href,
      wasm: new URL('ort/ort-wasm-simd-threaded.asyncify.wasm', origin).href,
    },
  };
}

