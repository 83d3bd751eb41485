import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultWasmThreads, onnxWebGpuSkipReason, wasmThreadsFor } from '../../src/ml/runtime';

/** A navigator.gpu stand-in whose adapter reports what a browser would. */
function fakeGpu(adapter: { isFallbackAdapter: boolean; architecture: string; description?: string } | null): GPU {
  return {
    requestAdapter: async () => adapter && ({
      info: { vendor: 'google', architecture: adapter.architecture, description: adapter.description ?? '', isFallbackAdapter: adapter.isFallbackAdapter },
    } as unknown as GPUAdapter),
  } as unknown as GPU;
}

describe('which backend ONNX models run on', () => {
  it('skips a software fallback adapter for WASM, saying why, unless WebGPU is forced', async () => {
    const swiftShader = fakeGpu({ isFallbackAdapter: true, architecture: 'swiftshader' });
    await expect(onnxWebGpuSkipReason(false, swiftShader)).resolves.toBe('WebGPU adapter is a software fallback (SwiftShader): WASM is faster');
    await expect(onnxWebGpuSkipReason(true, swiftShader)).resolves.toBeNull();
  });

  it('uses a hardware adapter, and gives the reason when there is none', async () => {
    await expect(onnxWebGpuSkipReason(false, fakeGpu({ isFallbackAdapter: false, architecture: 'rdna-3', description: 'AMD Radeon' }))).resolves.toBeNull();
    await expect(onnxWebGpuSkipReason(false, fakeGpu(null))).resolves.toMatch(/no WebGPU adapter/);
    await expect(onnxWebGpuSkipReason(true, fakeGpu(null))).resolves.toMatch(/no WebGPU adapter/);
  });
});

describe('WASM threads', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives small models one thread and large ones every core up to 4, only under cross-origin isolation', () => {
    expect(wasmThreadsFor(600_000, 2, true)).toBe(1);
    expect(wasmThreadsFor(3_800_000, 2, true)).toBe(2);
    expect(wasmThreadsFor(44_000_000, 2, true)).toBe(2);
    expect(wasmThreadsFor(44_000_000, 16, true)).toBe(4);
    expect(wasmThreadsFor(44_000_000, 16, false)).toBe(1);
    expect(wasmThreadsFor(null, 2, true)).toBe(2);
  });

  it('reads cores and isolation from the realm', () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    vi.stubGlobal('crossOriginIsolated', true);
    expect(defaultWasmThreads()).toBe(2);
    vi.stubGlobal('navigator', { hardwareConcurrency: 16 });
    expect(defaultWasmThreads()).toBe(4);
    vi.stubGlobal('crossOriginIsolated', false);
    expect(defaultWasmThreads()).toBe(1);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(defaultWasmThreads(1000)).toBe(1);
  });
});
