import { env } from '@huggingface/transformers';
import type { TaskOptions } from '../core/abort';
import type { ProgressCallback } from '../core/progress';
import { detectWebGpu } from '../gpu/support';
import { LOADER_ROOT, ModelLoader, type ModelManifest } from './loader';
import { DEFAULT_HUB_HOST, parseModelRef, type ModelDtype } from './model-ref';
import { defaultModelStore } from './model-store';

/**
 * Where a model's files come from. Either a folder on this machine's disk (Node: tests, CLI) or
 * a model reference resolved by the loader (browsers: bundled, hub, URL, picked folder).
 */
export type ModelSource =
  | { kind: 'path'; root: string; id: string; manifest?: ModelManifest | null; reference?: unknown }
  | { kind: 'ref'; ref: string; appBase: string; hubHost?: string; privateMode?: boolean };

export interface RuntimeOptions {
  /** Absolute URLs of the self-hosted ONNX Runtime wasm factory and binary (browsers only). */
  ortWasm?: { mjs: string; wasm: string };
  /**
   * WASM threads (browsers). Default: wasmThreadsFor() the first model opened in this realm.
   * ONNX Runtime reads it once, when its first session is created in a realm (page or worker);
   * benchmarks set it to measure the gain from threads.
   */
  wasmThreads?: number;
}

/** ONNX Runtime's own default would be ceil(cores / 2): a single thread on a 2-core machine. */
const MAX_WASM_THREADS = 4;
/**
 * Below this graph size a model runs on one WASM thread: waking ONNX Runtime's worker threads
 * costs more than tiny operators gain. Measured in Chromium on 2 cores, against one thread
 * (test/bench/embed-browser.bench.ts, median of 5 per-round ratios): ps-encoder-tiny (0.6 MB)
 * 0.49× on two threads, ps-techtoken-tiny (3.8 MB) 1.15×, a MiniLM-sized encoder (44 MB) 1.81×.
 */
export const THREADS_MIN_MODEL_BYTES = 2 * 1024 * 1024;

export interface OpenedModel {
  /** The id to give transformers.js's from_pretrained. */
  modelId: string;
  manifest: ModelManifest | null;
  /** The recipe's reference outputs (reference.json), null when the model has none. */
  reference: unknown;
  fromCache: boolean;
}

let loader: { loader: ModelLoader; appBase: string; hubHost: string } | null = null;

/** One loader per worker (and per app/hub base), shared by the engines living there. */
export function sharedLoader(appBase: string, hubHost = DEFAULT_HUB_HOST): ModelLoader {
  if (!loader || loader.appBase !== appBase || loader.hubHost !== hubHost) {
    loader = { loader: new ModelLoader({ store: defaultModelStore(), appBase, hubHost }), appBase, hubHost };
  }
  return loader.loader;
}

/**
 * Points transformers.js at the model's files. No hub request is ever made by transformers.js
 * itself: remote files are fetched by the loader (which caches them) and handed over through a
 * custom cache, so the same code serves bundled, hub, URL and folder models.
 */
export async function openModel(
  source: ModelSource,
  dtype: ModelDtype,
  runtime: RuntimeOptions,
  task: TaskOptions = {},
  onProgress?: ProgressCallback,
): Promise<OpenedModel> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  // Its wasm cache imports ONNX Runtime's factory from a blob: URL, which the app's CSP
  // (script-src 'self', src/core/content-policy.ts) refuses; the factory is served from /ort/.
  env.useWasmCache = false;
  const onnx = env.backends.onnx;
  if (runtime.ortWasm && onnx.wasm) {
    // Without this transformers.js points ONNX Runtime at a CDN.
    onnx.wasm.wasmPaths = { mjs: runtime.ortWasm.mjs, wasm: runtime.ortWasm.wasm };
  }
  // Read by ONNX Runtime when it creates its first session in this realm, never again: the first
  // model opened here decides (the caller creates the session right after this returns).
  const configureThreads = (modelBytes: number | null) => {
    if (!onnx.wasm || wasmConfigured) return;
    onnx.wasm.numThreads = runtime.wasmThreads ?? defaultWasmThreads(modelBytes);
    wasmConfigured = true;
  };
  if (source.kind === 'path') {
    configureThreads(null);
    env.useCustomCache = false;
    env.localModelPath = source.root.endsWith('/') ? source.root : `${source.root}/`;
    return { modelId: source.id, manifest: source.manifest ?? null, reference: source.reference ?? null, fromCache: true };
  }
  const modelLoader = sharedLoader(source.appBase, source.hubHost);
  const prepared = await modelLoader.prepare(parseModelRef(source.ref), dtype, task, onProgress, { privateMode: source.privateMode === true });
  configureThreads(prepared.onnxBytes);
  env.localModelPath = LOADER_ROOT;
  env.useBrowserCache = false;
  env.useFSCache = false;
  env.useCustomCache = true;
  env.customCache = {
    match: async (request: string | Request) => modelLoader.match(typeof request === 'string' ? request : request.url),
    put: async () => undefined,
  };
  return { modelId: prepared.key, manifest: prepared.manifest, reference: prepared.reference, fromCache: prepared.fromCache };
}

let wasmConfigured = false;

/** The WASM thread count ONNX Runtime runs with in this realm (1 without cross-origin isolation). */
export function wasmThreadsInUse(): number {
  const threads = env.backends.onnx.wasm?.numThreads;
  return typeof threads === 'number' && threads > 0 && isCrossOriginIsolated() ? threads : 1;
}

function isCrossOriginIsolated(): boolean {
  return typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
}

/** wasmThreadsFor() with this realm's cores and isolation. */
export function defaultWasmThreads(modelBytes: number | null = null): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return wasmThreadsFor(modelBytes, cores, isCrossOriginIsolated());
}

/**
 * Threads need SharedArrayBuffer, which only a cross-origin isolated page (COOP + COEP) has; then
 * every logical core up to 4, for models of at least THREADS_MIN_MODEL_BYTES (unknown size counts as large).
 */
export function wasmThreadsFor(modelBytes: number | null, cores: number, isolated: boolean): number {
  if (!isolated || (modelBytes !== null && modelBytes < THREADS_MIN_MODEL_BYTES)) return 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, cores));
}

/**
 * Why ONNX models should not run on WebGPU here, or null when they should. Besides a missing
 * adapter, a software fallback adapter (SwiftShader) is skipped unless the user forces WebGPU:
 * ONNX Runtime's WebGPU kernels on it embed ~6 patents/s where WASM does > 100. The GPU kernels
 * of the similarity step still use such an adapter (they are small and run well on it).
 */
export async function onnxWebGpuSkipReason(force = false, gpu?: GPU): Promise<string | null> {
  const support = await (gpu ? detectWebGpu(gpu) : detectWebGpu());
  if (!support.supported) return support.reason;
  if (support.adapter.isFallbackAdapter && !force) {
    return `WebGPU adapter is a software fallback (${adapterLabel(support.adapter)}): WASM is faster`;
  }
  return null;
}

/**
 * Loads on the first of `devices` that works: WebGPU is skipped where onnxWebGpuSkipReason says
 * so, a device whose load fails falls through to the next, an abort stops at once. Every skip and
 * failure is kept as `device: reason`, for the notice the user sees and for the final error.
 */
export async function loadOnFirstDevice<T, D extends string>(
  devices: readonly D[], forceWebGpu: boolean, load: (device: D) => Promise<T>, what: string,
): Promise<{ value: T; device: D; fallbackReasons: string[] }> {
  const fallbackReasons: string[] = [];
  for (const device of devices) {
    const skip = device === 'webgpu' ? await onnxWebGpuSkipReason(forceWebGpu) : null;
    if (skip) {
      fallbackReasons.push(`webgpu: ${skip}`);
      continue;
    }
    try {
      return { value: await load(device), device, fallbackReasons };
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      fallbackReasons.push(`${device}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`could not load ${what}: ${fallbackReasons.join('; ')}`);
}

function adapterLabel(adapter: { description: string; vendor: string; architecture: string }): string {
  const name = adapter.description || adapter.architecture || adapter.vendor || 'unnamed adapter';
  return name.toLowerCase() === 'swiftshader' ? 'SwiftShader' : name;
}
