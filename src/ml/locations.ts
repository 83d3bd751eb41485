import type { RuntimeOptions } from './runtime';

/** The self-hosted ONNX Runtime wasm files as the app serves them (see scripts/copy-assets.mjs). */
export function browserRuntime(appBase: string): RuntimeOptions {
  return {
    ortWasm: {
      mjs: new URL('ort/ort-wasm-simd-threaded.asyncify.mjs', appBase).href,
      wasm: new URL('ort/ort-wasm-simd-threaded.asyncify.wasm', appBase).href,
    },
  };
}

/** The app's base URL (where index.html, models/ and ort/ are served), from the page URL. */
export function appBaseOf(pageUrl: string): string {
  return new URL('./', pageUrl).href;
}
