import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, kMeans } from '../../../src/core/layout/clusters';
import { exactKnn, type NeighbourGraph } from '../../../src/core/layout/knn';
import { forestKnn } from '../../../src/core/layout/knn-forest';
import { pcaReduce, reducedCosineKnn } from '../../../src/core/layout/knn-reduced';
import { refineKnn, unitRows } from '../../../src/core/layout/knn-refine';
import { umap } from '../../../src/core/layout/umap';
import { normalizeRows } from '../../../src/core/similarity';
import { gaussianBlobs } from './helpers';

const N = 1200;
const DIM = 64;
const K = 10;
// Structure in a few directions (blob centres) plus small noise everywhere: what PCA keeps well.
const blobs = gaussianBlobs(31, N, DIM, 8, 3, 0.5);
const unit = normalizeRows(blobs.points, N, DIM);
const exact = exactKnn(unit, N, DIM, K);

function recall(graph: NeighbourGraph): number {
  let found = 0;
  for (let i = 0; i < N; i++) {
    const truth = new Set(exact.indices.subarray(i * K, (i + 1) * K));
    for (let j = 0; j < K; j++) if (truth.has(graph.indices[i * graph.k + j])) found++;
  }
  return found / (N * K);
}

describe('k-NN on PCA-reduced vectors', () => {
  it('fits the axes on a sample and projects every row; the kept variance is reported', () => {
    const reduced = pcaReduce(unit, N, DIM, 12, { seed: 2, sampleRows: 400 });
    expect(reduced.coordinates).toHaveLength(N * 12);
    expect(reduced.fittedRows).toBe(400);
    expect(reduced.explained).toBeGreaterThan(0.3);
    expect(reduced.explained).toBeLessThanOrEqual(1);
    const all = pcaReduce(unit, N, DIM, 12, { seed: 2 });
    expect(all.fittedRows).toBe(N);
  });

  it('Euclidean trees and refinement rank as the exact Euclidean k-NN does', async () => {
    const reduced = pcaReduce(unit, N, DIM, 16, { seed: 2 });
    const halfNorms = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let d = 0; d < 16; d++) halfNorms[i] += reduced.coordinates[i * 16 + d] ** 2 / 2;
    const euclidean = exactKnn(reduced.coordinates, N, 16, K, { metric: 'euclidean' });
    const found = await refineKnn(reduced.coordinates, N, 16, await forestKnn(reduced.coordinates, N, 16, K, { seed: 1, halfNorms }), { rounds: 10, halfNorms });
    let same = 0;
    for (let i = 0; i < N; i++) {
      const truth = new Set(euclidean.indices.subarray(i * K, (i + 1) * K));
      for (let j = 0; j < K; j++) if (truth.has(found.indices[i * K + j])) same++;
    }
    expect(same / (N * K)).toBeGreaterThan(0.95);
    // Distances are |a − b|²/2 in this mode.
    const [i, j] = [0, found.indices[0]];
    let d2 = 0;
    for (let d = 0; d < 16; d++) d2 += (reduced.coordinates[i * 16 + d] - reduced.coordinates[j * 16 + d]) ** 2;
    expect(found.distances[0]).toBeCloseTo(d2 / 2, 4);
  });

  it('finds the full vectors’ cosine neighbours, with their exact cosine distances, sorted', async () => {
    const reduced = pcaReduce(unit, N, DIM, 16, { seed: 2 });
    const plain = await reducedCosineKnn(unit, N, DIM, reduced, K, { rounds: 10, seed: 3 });
    const repaired = await reducedCosineKnn(unit, N, DIM, reduced, K, { rounds: 10, seed: 3, fullRounds: 2 });
    console.log(`reduced k-NN recall on ${N} × ${DIM} → 16 PCA axes: ${recall(plain).toFixed(3)}, with 2 full-vector rounds ${recall(repaired).toFixed(3)}`);
    // The noise spreads over all 64 dimensions and decides which blob members are nearest: 16 axes
    // keep the blobs but lose most of that, which the rounds on the full vectors repair.
    expect(recall(plain)).toBeGreaterThan(0.2);
    expect(recall(repaired)).toBeGreaterThan(Math.max(0.9, recall(plain)));
    for (const graph of [plain, repaired]) {
      for (const i of [0, 17, N - 1]) {
        for (let a = 0; a < K; a++) {
          const j = graph.indices[i * K + a];
          let dot = 0;
          for (let d = 0; d < DIM; d++) dot += unit[i * DIM + d] * unit[j * DIM + d];
          expect(graph.distances[i * K + a]).toBeCloseTo(1 - dot, 5);
          if (a > 0) expect(graph.distances[i * K + a]).toBeGreaterThanOrEqual(graph.distances[i * K + a - 1]);
        }
      }
    }
  });

  it('unit rows are used as they are, others are normalised', () => {
    expect(unitRows(unit, N, DIM)).toBe(unit);
    const scaled = unitRows(blobs.points, N, DIM);
    expect(scaled).not.toBe(blobs.points);
    expect(scaled).toEqual(unit);
  });

  it('umap() with pcaDims: reduced search and start, deterministic, the blobs kept apart', async () => {
    const options = { components: 2, epochs: 80, seed: 4, exactKnnMaxPoints: 500, pcaDims: 16 } as const;
    const first = await umap(blobs.points, N, DIM, options);
    const second = await umap(blobs.points, N, DIM, options);
    expect(first.reducedDim).toBe(16);
    expect(first.knn).toBe('approximate');
    expect(second.coordinates).toEqual(first.coordinates);
    expect(recall(first.graph)).toBeGreaterThan(0.9);
    expect(adjustedRandIndex(kMeans(first.coordinates, N, 2, { k: 8, seed: 1 }).labels, blobs.labels)).toBeGreaterThan(0.9);
    const full = await umap(blobs.points, N, DIM, { ...options, pcaDims: undefined });
    expect(full.reducedDim).toBeNull();
  });
});
