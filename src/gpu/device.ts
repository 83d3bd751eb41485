/**
 * The one place that turns a `GPU` (navigator.gpu in a browser, the `webgpu` package in Node)
 * into a device for the similarity kernels, or into a reason why there is none so the caller
 * can fall back to the CPU twins.
 */
import { announceDeviceLost } from './device-lost-signal';

export interface GpuAdapterSummary {
  description: string;
  vendor: string;
  architecture: string;
  /** True for software adapters such as SwiftShader: correct, but ~1 GFLOP/s. */
  isFallbackAdapter: boolean;
}

/** The limits the similarity kernels size their buffers and dispatches by. */
export interface GpuLimitsSummary {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

export type GpuAcquisition =
  | { ok: true; device: GPUDevice; adapter: GpuAdapterSummary; limits: GpuLimitsSummary }
  | { ok: false; reason: string };

export interface AcquireGpuOptions {
  powerPreference?: GPUPowerPreference;
  label?: string;
  /** Called for errors outside any error scope; defaults to console.error. */
  onUncapturedError?: (error: GPUError) => void;
  /**
   * Called when the device is lost for any reason except destroy(). A lost device never comes
   * back: call acquireGpu again for a new one (pipelines are cached per device, so they rebuild).
   */
  onLost?: (info: GPUDeviceLostInfo) => void;
}

/** Older Chrome exposed isFallbackAdapter on the adapter itself rather than on adapter.info. */
type AdapterWithLegacyFields = GPUAdapter & { readonly isFallbackAdapter?: boolean };

export async function acquireGpu(
  gpu: GPU | undefined,
  options: AcquireGpuOptions = {},
): Promise<GpuAcquisition> {
  if (!gpu) {
    return {
      ok: false,
      reason: 'WebGPU is not available (navigator.gpu is undefined): use a browser with WebGPU enabled',
    };
  }

  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
  } catch (error) {
    return { ok: false, reason: `requestAdapter() failed: ${describe(error)}` };
  }
  if (!adapter) {
    return {
      ok: false,
      reason: 'requestAdapter() returned null: no WebGPU adapter (GPU blocklisted or WebGPU disabled)',
    };
  }

  // 1. Ask for the adapter's own buffer limits: the defaults (128 MiB binding, 256 MiB buffer)
  //    would cap the score blocks far below what the hardware allows.
  // 2. If the device refuses them, fall back to the defaults rather than to no GPU at all.
  const attempts: Array<Record<string, number> | undefined> = [
    {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
    undefined,
  ];
  const failures: string[] = [];
  let device: GPUDevice | undefined;
  for (const requiredLimits of attempts) {
    try {
      device = await adapter.requestDevice({ label: options.label ?? 'patent-space', requiredLimits });
      break;
    } catch (error) {
      failures.push(`${requiredLimits ? 'adapter limits' : 'default limits'}: ${describe(error)}`);
    }
  }
  if (!device) {
    return { ok: false, reason: `requestDevice() failed (${failures.join('; ')})` };
  }

  const onUncapturedError =
    options.onUncapturedError ??
    ((error: GPUError) => console.error(`[gpu] uncaptured ${error.constructor.name}: ${error.message}`));
  device.addEventListener('uncapturederror', (event) => onUncapturedError(event.error));
  void device.lost.then((info) => {
    if (info.reason === 'destroyed') return;
    console.warn(`[gpu] device lost (${info.reason}): ${info.message}`);
    announceDeviceLost({ reason: info.reason, message: info.message });
    options.onLost?.(info);
  });

  return {
    ok: true,
    device,
    adapter: summarizeAdapter(adapter),
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    },
  };
}

export function summarizeAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  // adapter.info is missing in browsers that predate it (they had requestAdapterInfo()).
  const info = adapter.info as GPUAdapterInfo | undefined;
  const architecture = info?.architecture ?? '';
  const infoFallback = info?.isFallbackAdapter as boolean | undefined;
  return {
    description: info?.description ?? '',
    vendor: info?.vendor ?? '',
    architecture,
    isFallbackAdapter:
      infoFallback ??
      (adapter as AdapterWithLegacyFields).isFallbackAdapter ??
      architecture === 'swiftshader',
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
