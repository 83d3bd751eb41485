import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimilarityEngine } from '../../src/engines/similarity-engine';
import { GpuPolicy } from '../../src/gpu/backend';

describe('SimilarityEngine backend choice', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps the CPU when WebGPU was switched off, even where an adapter exists', async () => {
    const requestAdapter = vi.fn(async () => null);
    vi.stubGlobal('navigator', { gpu: { requestAdapter } });
    const engine = new SimilarityEngine();
    await expect(engine.init({ preferGpu: false })).resolves.toMatchObject({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    const vectors = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]);
    const { topK, backend } = await engine.topK(vectors, 4, 2, { k: 2 });
    expect(backend).toMatchObject({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    expect(requestAdapter).not.toHaveBeenCalled();
    // Worked by hand: rows 0 and 1 point along x, rows 2 and 3 along y; cos(1,3) = 0.18 / 0.82 ≈ 0.22.
    expect(Array.from(topK.indices)).toEqual([1, 3, 0, 3, 3, 1, 2, 1]);
    const norm = Math.hypot(0.9, 0.1);
    expect(topK.scores[0]).toBeCloseTo(0.9 / norm, 5);
    expect(topK.scores[3]).toBeCloseTo(0.18 / (norm * norm), 5);
  });
});

describe('one GPU device per realm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('the four compute engines share the realm policy: the adapter is asked for once, and its answer reaches each', async () => {
    const requestAdapter = vi.fn(async () => null);
    vi.stubGlobal('navigator', { gpu: { requestAdapter } });
    const { CodeNeighbourEngine } = await import('../../src/engines/code-neighbours');
    const { ForecastEngine } = await import('../../src/engines/forecast-engine');
    const { SpaceEngine } = await import('../../src/engines/space-engine');
    const { sharedGpu } = await import('../../src/gpu/backend');
    expect(sharedGpu()).toBe(sharedGpu());
    const backends = await Promise.all([
      new CodeNeighbourEngine().init({ preferGpu: true }),
      new ForecastEngine().init({ preferGpu: true }),
      new SpaceEngine().init({ preferGpu: true }),
      sharedGpu().backend(true),
    ]);
    expect(requestAdapter).toHaveBeenCalledTimes(1);
    for (const backend of backends) expect(backend).toEqual({ kind: 'cpu', fallbackReason: expect.stringMatching(/requestAdapter\(\) returned null/) });
  });

  it('an engine given its own policy uses it, not the realm one', async () => {
    const acquire = vi.fn(async () => ({ ok: false as const, reason: 'no adapter here' }));
    const engine = new SimilarityEngine(new GpuPolicy({ acquire }));
    await expect(engine.init({ preferGpu: true })).resolves.toEqual({ kind: 'cpu', fallbackReason: 'no adapter here' });
    const vectors = Float32Array.from([1, 0, 0, 1, 1, 1]);
    const { backend } = await engine.topK(vectors, 3, 2, { k: 1 });
    expect(backend).toEqual({ kind: 'cpu', fallbackReason: 'no adapter here' });
    expect(acquire).toHaveBeenCalledTimes(1);
  });
});
