import { afterEach, describe, expect, it, vi } from 'vitest';
import { similarityTopK } from '../../src/core/similarity';
import { SimilarityEngine } from '../../src/gpu/similarity-engine';

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
    expect(Array.from(topK.indices)).toEqual(Array.from(similarityTopK(vectors, 4, 2, 2, true).indices));
  });
});
