/**
 * GPU test harness in the manner of webgpu-utils' testWithDevice, for Node + Dawn (`webgpu`
 * package) on SwiftShader or a real GPU:
 * - one adapter and device per test file (vitest isolates files, so module state is per file),
 *   destroyed after the file;
 * - every test body runs inside 'validation' and 'out-of-memory' error scopes and fails if
 *   either captured an error;
 * - every GPU buffer created during a test must be destroyed by the end of it, so a runner that
 *   leaks a buffer fails its test;
 * - without an adapter, tests are skipped with the reason shown, never silently passed;
 * - engines under test get the file's device through `gpu.policy()`, a GPU policy that never
 *   destroys it; tests that lose devices on purpose take fresh ones from withFreshDevices, under
 *   the same scopes and leak checks per device.
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { create, globals } from 'webgpu';
import { afterAll, expect, type TestContext } from 'vitest';
import {
  acquireGpu,
  type GpuAcquisition,
  type GpuAdapterSummary,
  type GpuLimitsSummary,
} from '../../src/gpu/device';
import type { TopK } from '../../src/core/similarity';
import { GpuPolicy } from '../../src/gpu/backend';

preloadBundledVulkanLoader();
Object.assign(globalThis, globals);
// Dawn can segfault at random once this object is garbage-collected, so it lives as long as the
// process does.
const nodeGpu: GPU = create([]);

export interface GpuTestKit {
  device: GPUDevice;
  adapter: GpuAdapterSummary;
  limits: GpuLimitsSummary;
  /** A GPU policy over this device for engines under test (it never destroys the device). */
  policy(): GpuPolicy;
  /** A buffer holding `data`; destroyed by the harness after the test. */
  upload(data: Float32Array | Int32Array | Uint32Array, usage?: GPUBufferUsageFlags): GPUBuffer;
  /** An empty STORAGE | COPY_SRC buffer; destroyed by the harness after the test. */
  createStorage(bytes: number): GPUBuffer;
  readF32(buffer: GPUBuffer, length: number): Promise<Float32Array>;
  readI32(buffer: GPUBuffer, length: number): Promise<Int32Array>;
  /** Encodes with `record`, submits, and waits for the queue to finish. */
  run(record: (encoder: GPUCommandEncoder) => void): Promise<void>;
}

let fileDevice: Promise<GpuAcquisition> | undefined;

/** This file's device (acquired once, logged once), or why there is none. */
export function acquireTestDevice(): Promise<GpuAcquisition> {
  fileDevice ??= acquireGpu(nodeGpu, { label: 'vitest' }).then((acquisition) => {
    if (acquisition.ok) {
      console.info(`[gpu-harness] adapter ${JSON.stringify(acquisition.adapter)} limits ${JSON.stringify(acquisition.limits)}`);
    } else {
      console.warn(`[gpu-harness] GPU tests skipped: ${acquisition.reason}`);
    }
    return acquisition;
  });
  return fileDevice;
}

afterAll(async () => {
  const acquired = await fileDevice;
  if (acquired?.ok) acquired.device.destroy();
});

/**
 * Wraps a GPU test body: `it('…', withDevice(async (gpu) => { … }))`. Skips with the reason
 * when there is no adapter; fails on any validation or out-of-memory error and on any buffer the
 * body (or the code it calls) created and did not destroy.
 */
export function withDevice(
  body: (gpu: GpuTestKit, ctx: TestContext) => Promise<void>,
): (ctx: TestContext) => Promise<void> {
  return async (ctx) => {
    const acquired = await acquireTestDevice();
    if (!acquired.ok) return ctx.skip(`no WebGPU device: ${acquired.reason}`);
    const { device } = acquired;

    const watch = watchDevice(device);
    const harnessBuffers: GPUBuffer[] = [];
    const kit = createKit(acquired, harnessBuffers);

    let bodyError: unknown;
    try {
      await body(kit, ctx);
    } catch (error) {
      bodyError = error;
    }
    for (const buffer of harnessBuffers) buffer.destroy();
    const problems = await watch.stop();

    if (bodyError !== undefined) throw bodyError;
    expectClean(problems);
  };
}

export interface FreshDevices {
  /** A new device of the file's adapter per call, watched like withDevice's; the test may lose it. */
  acquire(): Promise<GpuAcquisition>;
  /** Devices handed out so far. */
  readonly acquired: number;
}

/**
 * For tests that lose or destroy devices on purpose (the file's device must survive): each
 * device `acquire` hands out runs under the same validation / out-of-memory scopes and buffer
 * leak check as withDevice, checked at the end and then destroyed. Skips without an adapter.
 */
export function withFreshDevices(
  body: (devices: FreshDevices, ctx: TestContext) => Promise<void>,
): (ctx: TestContext) => Promise<void> {
  return async (ctx) => {
    const probe = await acquireTestDevice();
    if (!probe.ok) return ctx.skip(`no WebGPU device: ${probe.reason}`);
    const handedOut: { device: GPUDevice; watch: DeviceWatch }[] = [];
    const devices: FreshDevices = {
      async acquire() {
        const acquired = await acquireGpu(nodeGpu, { label: `vitest fresh ${handedOut.length + 1}` });
        if (acquired.ok) handedOut.push({ device: acquired.device, watch: watchDevice(acquired.device) });
        return acquired;
      },
      get acquired() {
        return handedOut.length;
      },
    };
    let bodyError: unknown;
    try {
      await body(devices, ctx);
    } catch (error) {
      bodyError = error;
    }
    const problems: DeviceProblems[] = [];
    for (const { device, watch } of handedOut) {
      problems.push(await watch.stop());
      device.destroy();
    }
    if (bodyError !== undefined) throw bodyError;
    for (const found of problems) expectClean(found);
  };
}

interface DeviceProblems {
  validation: string | undefined;
  outOfMemory: string | undefined;
  leaked: string[];
}

interface DeviceWatch {
  stop(): Promise<DeviceProblems>;
}

/** Error scopes and buffer tracking on `device` until stop(). A lost device reports no errors. */
function watchDevice(device: GPUDevice): DeviceWatch {
  const liveBuffers = trackBuffers(device);
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  return {
    async stop() {
      await device.queue.onSubmittedWorkDone();
      const outOfMemory = await device.popErrorScope();
      const validation = await device.popErrorScope();
      return { validation: validation?.message, outOfMemory: outOfMemory?.message, leaked: liveBuffers.stop() };
    },
  };
}

function expectClean(problems: DeviceProblems): void {
  expect(problems.validation, 'GPU validation error').toBeUndefined();
  expect(problems.outOfMemory, 'GPU out-of-memory error').toBeUndefined();
  expect(problems.leaked, 'GPU buffers created in this test but never destroyed').toEqual([]);
}

/** Records buffers created on `device` until stop(), which returns the labels of live ones. */
function trackBuffers(device: GPUDevice): { stop(): string[] } {
  const live = new Set<GPUBuffer>();
  const createBuffer = device.createBuffer;
  device.createBuffer = function trackedCreateBuffer(descriptor: GPUBufferDescriptor): GPUBuffer {
    const buffer = createBuffer.call(device, descriptor);
    live.add(buffer);
    const destroy = buffer.destroy;
    buffer.destroy = function trackedDestroy(): undefined {
      live.delete(buffer);
      return destroy.call(buffer);
    };
    return buffer;
  };
  return {
    stop() {
      // Deleting the own property brings back the prototype's createBuffer.
      delete (device as { createBuffer?: unknown }).createBuffer;
      return [...live].map((buffer) => buffer.label || '(unlabelled)');
    },
  };
}

function createKit(
  acquired: Extract<GpuAcquisition, { ok: true }>,
  harnessBuffers: GPUBuffer[],
): GpuTestKit {
  const { device } = acquired;
  const own = (buffer: GPUBuffer): GPUBuffer => {
    harnessBuffers.push(buffer);
    return buffer;
  };
  const read = async (buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> => {
    const staging = own(
      device.createBuffer({
        label: 'harness read-back',
        size: Math.max(bytes, 4),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      }),
    );
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    return copy;
  };
  return {
    device,
    adapter: acquired.adapter,
    limits: acquired.limits,
    policy() {
      return new GpuPolicy({ acquire: async () => acquired, ownsDevices: false });
    },
    upload(data, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC) {
      const buffer = own(
        device.createBuffer({
          label: 'harness upload',
          size: Math.max(data.byteLength, 16),
          usage,
          mappedAtCreation: true,
        }),
      );
      new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      buffer.unmap();
      return buffer;
    },
    createStorage(bytes) {
      return own(
        device.createBuffer({
          label: 'harness storage',
          size: Math.max(bytes, 16),
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
        }),
      );
    },
    async readF32(buffer, length) {
      return new Float32Array(await read(buffer, length * 4));
    },
    async readI32(buffer, length) {
      return new Int32Array(await read(buffer, length * 4));
    },
    async run(record) {
      const encoder = device.createCommandEncoder();
      record(encoder);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}

// ---- test hooks: faults injected from outside the code under test ----

/**
 * A test hook from outside the engine: every compute pass `device` encodes from now on asks for
 * one workgroup more than maxComputeWorkgroupsPerDimension allows, a validation error. Returns
 * the undo.
 */
export function oversizeDispatches(device: GPUDevice): () => void {
  const createCommandEncoder = device.createCommandEncoder;
  device.createCommandEncoder = function faultyEncoder(descriptor?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
    const encoder = createCommandEncoder.call(device, descriptor);
    const beginComputePass = encoder.beginComputePass;
    encoder.beginComputePass = function faultyPass(passDescriptor?: GPUComputePassDescriptor): GPUComputePassEncoder {
      const pass = beginComputePass.call(encoder, passDescriptor);
      const dispatch = pass.dispatchWorkgroups;
      pass.dispatchWorkgroups = function oversized(_x: number, y?: number, z?: number): undefined {
        return dispatch.call(pass, device.limits.maxComputeWorkgroupsPerDimension + 1, y, z);
      };
      return pass;
    };
    return encoder;
  };
  return () => {
    device.createCommandEncoder = createCommandEncoder;
  };
}

/** Destroys `device` when it creates its `nth` command encoder: in the middle of a job. */
export function destroyOnEncoder(device: GPUDevice, nth: number): void {
  const createCommandEncoder = device.createCommandEncoder;
  let created = 0;
  device.createCommandEncoder = function destroyingEncoder(descriptor?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
    if (++created === nth) device.destroy();
    return createCommandEncoder.call(device, descriptor);
  };
}

/**
 * Dawn dlopens "libvulkan.so.1". Debian's chromium package carries its own copy of that loader
 * in /usr/lib/chromium, outside the linker's search path, and a machine may have chromium without
 * the libvulkan1 package. Loading chromium's copy first, with RTLD_NODELETE so it stays mapped
 * after Node rejects it as an addon, lets Dawn's dlopen find it by its soname. With a system
 * loader present nothing is done.
 */
function preloadBundledVulkanLoader(): void {
  const systemLoaders = [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
    '/usr/lib64/libvulkan.so.1',
    '/usr/lib/libvulkan.so.1',
  ];
  const bundled = '/usr/lib/chromium/libvulkan.so.1';
  if (process.platform !== 'linux' || systemLoaders.some(existsSync) || !existsSync(bundled)) return;
  // Linux's RTLD_NODELETE; Node's os.constants.dlopen does not export it.
  const RTLD_NODELETE = 0x1000;
  try {
    process.dlopen({ exports: {} }, bundled, constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE);
  } catch {
    // Expected: the library loads, then Node reports it is not an addon. It stays mapped.
  }
}

/** Largest |a[i] - b[i]|; throws if the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/**
 * Asserts that two top-k results agree up to float noise: every score within `scoreTolerance`,
 * and every index equal unless its score lies within `tieTolerance` of a neighbour in the
 * expected list (or of the best excluded score, `nextScores[row]`), where either order is right.
 */
export function expectTopKEquivalent(
  actual: TopK,
  expected: TopK,
  options: { scoreTolerance?: number; tieTolerance?: number; nextScores?: Float32Array } = {},
): void {
  const scoreTolerance = options.scoreTolerance ?? 1e-4;
  const tieTolerance = options.tieTolerance ?? 1e-5;
  expect(actual.k).toBe(expected.k);
  expect(actual.rows).toBe(expected.rows);
  const { k } = expected;
  const mismatches: string[] = [];
  for (let row = 0; row < expected.rows; row++) {
    for (let i = 0; i < k; i++) {
      const at = row * k + i;
      const score = expected.scores[at];
      const got = actual.scores[at];
      const bothPadding = score === -Infinity && got === -Infinity;
      if (!bothPadding && !(Math.abs(got - score) <= scoreTolerance)) {
        mismatches.push(`row ${row} rank ${i}: score ${got} vs ${score}`);
      }
      const previous = i > 0 ? expected.scores[at - 1] : Infinity;
      const next = i + 1 < k ? expected.scores[at + 1] : (options.nextScores?.[row] ?? -Infinity);
      const nearTie = previous - score <= tieTolerance || score - next <= tieTolerance;
      if (!nearTie && actual.indices[at] !== expected.indices[at]) {
        mismatches.push(`row ${row} rank ${i}: index ${actual.indices[at]} vs ${expected.indices[at]} (score ${score})`);
      }
    }
  }
  expect(mismatches.slice(0, 10), `${mismatches.length} top-k mismatches`).toEqual([]);
}

/** The (k+1)-th best score of each row of a top-(k+1) result: what the k-th must beat. */
export function nextScoresOf(topKPlusOne: TopK): Float32Array {
  const { k, rows, scores } = topKPlusOne;
  const next = new Float32Array(rows);
  for (let row = 0; row < rows; row++) next[row] = scores[row * k + k - 1];
  return next;
}

/** Rows widened with zeros to a multiple of 4 floats, as the GPU kernels expect. */
export function padRowsToVec4(x: Float32Array, rows: number, dim: number): { data: Float32Array; vec4sPerRow: number } {
  const vec4sPerRow = Math.ceil(dim / 4);
  const data = new Float32Array(rows * vec4sPerRow * 4);
  for (let r = 0; r < rows; r++) data.set(x.subarray(r * dim, (r + 1) * dim), r * vec4sPerRow * 4);
  return { data, vec4sPerRow };
}

/** Drops the zero padding added by {@link padRowsToVec4}. */
export function unpadRows(padded: Float32Array, rows: number, dim: number): Float32Array {
  const stride = Math.ceil(dim / 4) * 4;
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) out.set(padded.subarray(r * stride, r * stride + dim), r * dim);
  return out;
}
