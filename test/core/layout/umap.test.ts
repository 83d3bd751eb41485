import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, kMeans } from '../../../src/core/layout/clusters';
import { exactKnn } from '../../../src/core/layout/knn';
import { neighbourhoodPreservation } from '../../../src/core/layout/quality';
import { umap, type UmapProgress } from '../../../src/core/layout/umap';
import { fitCurve } from '../../../src/core/layout/umap-curve';
import { gaussianBlobs } from './helpers';

const N = 300;
const DIM = 24;
const blobs = gaussianBlobs(8, N, DIM, 3, 1, 0.4);

describe('UMAP', () => {
  it('fits the curve parameters umap-learn uses for min_dist 0.1, spread 1', () => {
    const { a, b } = fitCurve(0.1, 1);
    // umap-learn's find_ab_params(1.0, 0.1) gives a = 1.5769, b = 0.8951.
    expect(a).toBeCloseTo(1.5769, 3);
    expect(b).toBeCloseTo(0.8951, 3);
  });

  it('gives identical coordinates for the same seed and different ones for another seed', async () => {
    const options = { components: 2, epochs: 150, seed: 42 } as const;
    const first = await umap(blobs.points, N, DIM, options);
    const second = await umap(blobs.points, N, DIM, options);
    const other = await umap(blobs.points, N, DIM, { ...options, seed: 43 });
    expect(first.knn).toBe('exact');
    expect(second.coordinates).toEqual(first.coordinates);
    expect(other.coordinates).not.toEqual(first.coordinates);
    expect(first.coordinates.every(Number.isFinite)).toBe(true);
    // The layout separates the blobs and keeps local neighbourhoods far above chance.
    expect(adjustedRandIndex(kMeans(first.coordinates, N, 2, { k: 3, seed: 1 }).labels, blobs.labels)).toBe(1);
    const kept = neighbourhoodPreservation(blobs.points, DIM, first.coordinates, 2, N);
    expect(kept.value).toBeGreaterThan(5 * kept.chance);
  });

  it('produces 3D layouts, from a random start too', async () => {
    const result = await umap(blobs.points, N, DIM, { components: 3, epochs: 60, init: 'random', seed: 1 });
    expect(result.coordinates).toHaveLength(N * 3);
    expect(result.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('reports monotone progress ending at the epoch count', async () => {
    const events: UmapProgress[] = [];
    await umap(blobs.points, N, DIM, { components: 2, epochs: 50 }, (p) => events.push(p));
    const epochs = events.filter((e) => e.phase === 'epochs');
    expect(events.some((e) => e.phase === 'neighbours' && e.done === N)).toBe(true);
    expect(epochs.at(-1)).toMatchObject({ done: 50, total: 50, unit: 'epochs' });
    epochs.forEach((e, i) => expect(e.done).toBeGreaterThan(i > 0 ? epochs[i - 1].done : 0));
  });

  it('stops with an AbortError when its signal fires', async () => {
    const before = new AbortController();
    before.abort();
    await expect(umap(blobs.points, N, DIM, { components: 2 }, undefined, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const run = umap(blobs.points, N, DIM, { components: 2, epochs: 400 }, (p) => {
      if (p.phase === 'epochs' && p.done >= 20) during.abort();
    }, { signal: during.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('accepts a precomputed graph and gives the same layout as computing it', async () => {
    const graph = exactKnn(blobs.points, N, DIM, 20);
    const options = { components: 2, epochs: 80, seed: 5 } as const;
    const own = await umap(blobs.points, N, DIM, options);
    const given = await umap(blobs.points, N, DIM, { ...options, graph });
    expect(given.knn).toBe('precomputed');
    expect(given.coordinates).toEqual(own.coordinates);
  });

  it('switches to the approximate k-NN above exactKnnMaxPoints', async () => {
    const events: UmapProgress[] = [];
    const result = await umap(blobs.points, N, DIM, { components: 2, epochs: 80, exactKnnMaxPoints: 100 }, (p) => events.push(p));
    expect(result.knn).toBe('approximate');
    expect(events.filter((e) => e.phase === 'refine').at(-1)).toMatchObject({ done: 10, total: 10, unit: 'rounds' });
    expect(adjustedRandIndex(kMeans(result.coordinates, N, 2, { k: 3, seed: 1 }).labels, blobs.labels)).toBe(1);
  });
});
