/**
 * The GPU policy (src/gpu/backend.ts) on Dawn: a validation error inside a job makes the engine
 * return its CPU twin's result with the reason; a lost device is rebuilt once, then the CPU runs
 * with a notice; jobs take turns so their error scopes never mix; aborts pass through.
 */
import { describe, expect, it, vi } from 'vitest';
import { GpuValidationError } from '../../src/core/errors';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { similarityTopK } from '../../src/core/similarity';
import { SimilarityEngine } from '../../src/engines/similarity-engine';
import { GPU_OFF_REASON, GpuPolicy, withErrorScopes, type GpuJob } from '../../src/gpu/backend';
import { gpuPairCosines } from '../../src/gpu/forecast-cosine';
import { destroyOnEncoder, expectTopKEquivalent, nextScoresOf, oversizeDispatches, withDevice, withFreshDevices } from './gpu-harness';

const N = 70;
const DIM = 24;
const K = 5;
const vectors = randomNormalMatrix(mulberry32(42), N, DIM);
const cpuTopK = similarityTopK(vectors, N, DIM, K, true);
const nextScores = nextScoresOf(similarityTopK(vectors, N, DIM, K + 1, true));

describe('GPU errors inside a job', () => {
  it('a validation error makes SimilarityEngine return the CPU twin with the reason; the next job uses the GPU again', withDevice(async (gpu) => {
    const engine = new SimilarityEngine(gpu.policy());
    await expect(engine.init({ preferGpu: true })).resolves.toMatchObject({ kind: 'webgpu' });
    const undo = oversizeDispatches(gpu.device);
    let faulty;
    try {
      faulty = await engine.topK(vectors, N, DIM, { k: K });
    } finally {
      undo();
    }
    expect(faulty.backend).toEqual({
      kind: 'cpu',
      fallbackReason: expect.stringMatching(/^GPU validation error in similarity top-k: Dispatch workgroup count X \(65536\) exceeds/),
    });
    expect(faulty.topK).toEqual(cpuTopK);

    const healthy = await engine.topK(vectors, N, DIM, { k: K });
    expect(healthy.backend).toMatchObject({ kind: 'webgpu', adapterName: expect.any(String) });
    expectTopKEquivalent(healthy.topK, cpuTopK, { nextScores });
  }));

  it('withErrorScopes throws a named error for a caught validation error, even when the work returned', withDevice(async ({ device }) => {
    const invalid = withErrorScopes(device, 'a pass without a pipeline', async () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.dispatchWorkgroups(1);
      pass.end();
      device.queue.submit([encoder.finish()]);
      return 'looked fine';
    });
    await expect(invalid).rejects.toBeInstanceOf(GpuValidationError);
    await expect(withErrorScopes(device, 'x', async () => 'clean')).resolves.toBe('clean');
    // A throw inside is rethrown, and the scopes are popped (the harness checks the stack is clean).
    await expect(withErrorScopes(device, 'x', async () => { throw new TypeError('boom'); })).rejects.toThrow('boom');
  }));

  it('jobs take turns, so one job\'s validation error is never reported by another running at the same time', withDevice(async (gpu) => {
    const policy = gpu.policy();
    const rows = Float32Array.from([1, 0, 0, 1]);
    const pairs = Uint32Array.of(0, 1);
    const broken: GpuJob<string> = {
      label: 'broken job',
      gpu: async (device) => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.dispatchWorkgroups(1);
        pass.end();
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
        return 'gpu';
      },
      cpu: () => 'cpu',
    };
    const sound: GpuJob<Float32Array> = {
      label: 'sound job',
      gpu: (device) => gpuPairCosines(device, rows, 2, 2, pairs, pairs),
      cpu: () => new Float32Array(2),
    };
    const [a, b] = await Promise.all([policy.run(broken, { preferGpu: true }), policy.run(sound, { preferGpu: true })]);
    expect(a).toEqual({ value: 'cpu', backend: { kind: 'cpu', fallbackReason: expect.stringMatching(/^GPU validation error in broken job/) } });
    expect(b.backend.kind).toBe('webgpu');
    expect(Array.from(b.value)).toEqual([1, 1]);
  }));

  it('passes an abort through instead of answering it with the CPU twin', withDevice(async (gpu) => {
    const controller = new AbortController();
    const cpu = vi.fn(() => cpuTopK);
    const job: GpuJob<unknown> = {
      label: 'aborted job',
      gpu: async () => {
        controller.abort();
        throw new DOMException('Aborted', 'AbortError');
      },
      cpu,
    };
    await expect(gpu.policy().run(job, { preferGpu: true, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(cpu).not.toHaveBeenCalled();
  }));
});

describe('lost devices', () => {
  it('rebuilds a device lost mid-way once, then runs the CPU twin with a notice and asks for no more devices', withFreshDevices(async (devices) => {
    const handedOut: GPUDevice[] = [];
    const policy = new GpuPolicy({
      acquire: async () => {
        const acquired = await devices.acquire();
        if (acquired.ok) handedOut.push(acquired.device);
        return acquired;
      },
    });
    const engine = new SimilarityEngine(policy);
    await engine.init({ preferGpu: true });
    // 1. The first device goes away after normalising, before the scores: the job reruns on a new one.
    destroyOnEncoder(handedOut[0], 2);
    const rebuilt = await engine.topK(vectors, N, DIM, { k: K });
    expect(devices.acquired).toBe(2);
    expect(rebuilt.backend.kind).toBe('webgpu');
    expectTopKEquivalent(rebuilt.topK, cpuTopK, { nextScores });

    // 2. The rebuilt device goes away too: the CPU twin answers, saying why.
    destroyOnEncoder(handedOut[1], 1);
    const lost = await engine.topK(vectors, N, DIM, { k: K });
    expect(lost.backend).toEqual({ kind: 'cpu', fallbackReason: expect.stringMatching(/^GPU device lost again after one rebuild \(destroyed/) });
    expect(lost.topK).toEqual(cpuTopK);

    // 3. From now on the CPU, without asking for a third device.
    const later = await engine.topK(vectors, N, DIM, { k: K });
    expect(later.backend).toEqual(lost.backend);
    await expect(policy.backend(true)).resolves.toEqual(lost.backend);
    expect(devices.acquired).toBe(2);

    // release() forgets the losses: a fresh start may ask again.
    await policy.release();
    await expect(policy.backend(true)).resolves.toMatchObject({ kind: 'webgpu' });
    expect(devices.acquired).toBe(3);
    await policy.release();
  }));

  it('a device lost while idle is replaced on the next job', withFreshDevices(async (devices) => {
    const policy = new GpuPolicy({ acquire: () => devices.acquire() });
    const engine = new SimilarityEngine(policy);
    await engine.init({ preferGpu: true });
    const first = await engine.topK(vectors, N, DIM, { k: K });
    expect(first.backend.kind).toBe('webgpu');
    await policy.release(); // destroys the device it acquired
    const second = await engine.topK(vectors, N, DIM, { k: K });
    expect(second.backend.kind).toBe('webgpu');
    expect(devices.acquired).toBe(2);
    expect(second.topK).toEqual(first.topK);
    await policy.release();
  }));
});

describe('without a GPU', () => {
  it('asks once when there is no adapter and gives its reason to every job', async () => {
    const acquire = vi.fn(async () => ({ ok: false as const, reason: 'no adapter here' }));
    const policy = new GpuPolicy({ acquire });
    const job: GpuJob<string> = { label: 'job', gpu: async () => 'gpu', cpu: () => 'cpu' };
    await expect(policy.run(job, { preferGpu: true })).resolves.toEqual({ value: 'cpu', backend: { kind: 'cpu', fallbackReason: 'no adapter here' } });
    await expect(policy.run(job, { preferGpu: true })).resolves.toEqual({ value: 'cpu', backend: { kind: 'cpu', fallbackReason: 'no adapter here' } });
    expect(acquire).toHaveBeenCalledTimes(1);
  });

  it('never asks for a device with WebGPU switched off', async () => {
    const acquire = vi.fn(async () => ({ ok: false as const, reason: 'unused' }));
    const policy = new GpuPolicy({ acquire });
    const job: GpuJob<string> = { label: 'job', gpu: async () => 'gpu', cpu: () => 'cpu' };
    await expect(policy.run(job, { preferGpu: false })).resolves.toEqual({ value: 'cpu', backend: { kind: 'cpu', fallbackReason: GPU_OFF_REASON } });
    await expect(policy.backend(false)).resolves.toEqual({ kind: 'cpu', fallbackReason: GPU_OFF_REASON });
    expect(acquire).not.toHaveBeenCalled();
  });

  it('turns a failing acquire into a reason', async () => {
    const policy = new GpuPolicy({ acquire: async () => { throw new Error('adapter exploded'); } });
    await expect(policy.backend(true)).resolves.toEqual({ kind: 'cpu', fallbackReason: 'requesting a GPU device failed: adapter exploded' });
  });
});
