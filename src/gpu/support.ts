/**
 * The one place that answers "is there WebGPU here, and what kind?" without keeping a device.
 * The ML runtime asks it before choosing an ONNX Runtime backend (a fallback adapter such as
 * SwiftShader runs transformer inference ~20× slower than WASM); the kernels' device comes from
 * device.ts. The answer is cached per realm (page or worker): adapters do not change under us.
 */
import { summarizeAdapter, type GpuAdapterSummary } from './device';

export type WebGpuSupport =
  | { supported: true; adapter: GpuAdapterSummary }
  | { supported: false; reason: string };

let cached: Promise<WebGpuSupport> | null = null;

/** navigator.gpu in browsers and workers; tests pass the `webgpu` package's GPU. */
export function detectWebGpu(gpu: GPU | undefined = typeof navigator !== 'undefined' ? navigator.gpu : undefined): Promise<WebGpuSupport> {
  if (gpu === (typeof navigator !== 'undefined' ? navigator.gpu : undefined)) return (cached ??= probe(gpu));
  return probe(gpu);
}

async function probe(gpu: GPU | undefined): Promise<WebGpuSupport> {
  if (!gpu) return { supported: false, reason: 'this browser has no navigator.gpu (WebGPU is off or unsupported)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { supported: false, reason: 'no WebGPU adapter (GPU blocklisted or WebGPU disabled)' };
    return { supported: true, adapter: summarizeAdapter(adapter) };
  } catch (error) {
    return { supported: false, reason: `requestAdapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
