/**
 * Whether a web-llm model can run here, decided before anything is downloaded. WebGPU does not
 * tell how much memory a GPU has, so the check uses what is knowable: that there is WebGPU and
 * a hardware adapter, the shader-f16 feature for f16 models, the adapter's buffer limits against
 * the model's needs and web-llm's runtime minimums, and the device memory the browser reports
 * (navigator.deviceMemory, a lower bound capped at 8 GB) against web-llm's vram_required_MB.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { ChatFit } from '../../core/chat/engine';

interface AdapterLike {
  features: { has(name: string): boolean };
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxStorageBuffersPerShaderStage: number;
  };
  info?: { isFallbackAdapter?: boolean; architecture?: string };
}

/** navigator.gpu's shape as far as the check uses it (tests pass a scripted one). */
export interface WebGpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

export interface FitEnvironment {
  gpu: WebGpuLike | undefined;
  /** navigator.deviceMemory in GB, when the browser tells. */
  deviceMemoryGB?: number;
}

/**
 * The smallest limits web-llm's runtime (TVM's WebGPU device request) accepts; it throws
 * "Cannot initialize runtime because of requested …" below them, after the download has begun.
 */
const RUNTIME_MINIMUMS = {
  maxBufferSize: 1 << 28,
  maxStorageBufferBindingSize: 1 << 27,
  maxComputeWorkgroupStorageSize: 32 << 10,
  maxStorageBuffersPerShaderStage: 10,
} as const;

const MB = 1 << 20;

let adapter: Promise<AdapterLike | null> | null = null;

/** The environment of this page; the adapter is asked for once (the picker checks many models). */
export function browserFitEnvironment(): FitEnvironment {
  if (typeof navigator === 'undefined') return { gpu: undefined };
  const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const gpu = navigator.gpu as WebGpuLike | undefined;
  const cached: WebGpuLike | undefined = gpu && {
    requestAdapter: () => {
      adapter ??= gpu.requestAdapter().catch((error: unknown) => {
        adapter = null;
        throw error;
      });
      return adapter;
    },
  };
  return { gpu: cached, deviceMemoryGB: typeof memory === 'number' ? memory : undefined };
}

/** f16 weights or activations (q4f16_1, q0f16) compile to WGSL that needs the shader-f16 feature. */
export function requiredFeatures(record: ModelRecord): string[] {
  const features = new Set(record.required_features ?? []);
  if (/f16/.test(record.model_id)) features.add('shader-f16');
  return [...features];
}

export async function fitWebLlm(record: ModelRecord, environment: FitEnvironment): Promise<ChatFit> {
  const name = record.model_id;
  if (!environment.gpu) return { ok: false, reason: `${name} needs WebGPU, which this browser does not offer (navigator.gpu is missing); use the bundled model or an ONNX model on WASM` };
  let adapter: AdapterLike | null;
  try {
    adapter = await environment.gpu.requestAdapter();
  } catch (error) {
    return { ok: false, reason: `${name} needs WebGPU, and asking for an adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!adapter) return { ok: false, reason: `${name} needs WebGPU, and this browser gives no adapter (GPU blocklisted or WebGPU disabled)` };
  if (adapter.info?.isFallbackAdapter === true || adapter.info?.architecture === 'swiftshader') {
    return { ok: false, reason: `${name} needs a hardware GPU: this WebGPU adapter is a software fallback (SwiftShader) and would take minutes per word` };
  }
  const missing = requiredFeatures(record).filter((f) => !adapter.features.has(f));
  if (missing.length > 0) {
    const alternative = name.includes('q4f16') ? ` (try ${name.replace('q4f16', 'q4f32')} if it is listed)` : '';
    return { ok: false, reason: `${name} needs the WebGPU feature ${missing.join(', ')}, which this GPU does not offer${alternative}` };
  }
  const wantedBuffer = Math.max(record.buffer_size_required_bytes ?? 0, RUNTIME_MINIMUMS.maxBufferSize);
  if (adapter.limits.maxBufferSize < wantedBuffer) {
    return { ok: false, reason: `${name} needs GPU buffers of ${Math.ceil(wantedBuffer / MB)} MB, this GPU allows ${Math.floor(adapter.limits.maxBufferSize / MB)} MB` };
  }
  for (const limit of ['maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage'] as const) {
    if (adapter.limits[limit] < RUNTIME_MINIMUMS[limit]) {
      return { ok: false, reason: `${name} needs the WebGPU limit ${limit} ≥ ${RUNTIME_MINIMUMS[limit]}, this GPU offers ${adapter.limits[limit]}` };
    }
  }
  const needMB = record.vram_required_MB;
  if (needMB !== undefined && environment.deviceMemoryGB !== undefined && environment.deviceMemoryGB * 1024 < needMB) {
    return { ok: false, reason: `${name} needs ${(needMB / 1024).toFixed(1)} GB of GPU memory (web-llm's estimate), this device reports ${environment.deviceMemoryGB} GB of memory` };
  }
  return { ok: true };
}
