import { describe, expect, it } from 'vitest';
import {
  adjustedRandIndex, chooseClusterCount, chooseClusterCountBySilhouette, kMeans, silhouetteScore,
} from '../../../src/core/layout/clusters';
import { mulberry32 } from '../../../src/core/random';
import { gaussianBlobs } from './helpers';

describe('adjusted Rand index', () => {
  it('is 1 for identical partitions up to relabelling', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 9, 9, 7, 7])).toBe(1);
  });

  it('matches hand-computed values', () => {
    // Contingency [[2,0],[0,1],[0,1]]ᵀ: index 1, rows 2, columns 1, pairs 6 → (1 − 1/3)/(1.5 − 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
    // All cells 1: index 0, expected 4/6, maximum 2 → −0.5.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('is about 0 for random partitions', () => {
    const rng = mulberry32(3);
    const a = Array.from({ length: 5000 }, () => Math.floor(rng() * 6));
    const b = Array.from({ length: 5000 }, () => Math.floor(rng() * 6));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });
});

describe('k-means', () => {
  it('recovers well separated blobs', () => {
    const { points, labels } = gaussianBlobs(1, 600, 2, 5, 10, 0.5);
    const result = kMeans(points, 600, 2, { k: 5, seed: 2 });
    expect(adjustedRandIndex(result.labels, labels)).toBe(1);
    expect(result.centroids).toHaveLength(10);
  });

  it('is deterministic for a seed and keeps the best of several restarts', () => {
    const { points } = gaussianBlobs(4, 300, 8, 6, 1.5, 1);
    const one = kMeans(points, 300, 8, { k: 6, seed: 7 });
    expect(kMeans(points, 300, 8, { k: 6, seed: 7 }).labels).toEqual(one.labels);
    const best = kMeans(points, 300, 8, { k: 6, seed: 7, restarts: 5 });
    expect(best.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it('chooses k by the √(n/2) rule within bounds, or by silhouette', () => {
    expect(chooseClusterCount(1000)).toBe(22);
    expect(chooseClusterCount(10)).toBe(2);
    expect(chooseClusterCount(100_000)).toBe(30);
    expect(chooseClusterCount(1)).toBe(1);
    const { points, labels } = gaussianBlobs(5, 400, 2, 4, 10, 0.5);
    expect(silhouetteScore(points, 400, 2, labels)).toBeGreaterThan(0.8);
    expect(chooseClusterCountBySilhouette(points, 400, 2, [2, 3, 4, 5, 6, 8], { seed: 1 }).k).toBe(4);
  });
});
