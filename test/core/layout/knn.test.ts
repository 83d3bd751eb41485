import { describe, expect, it } from 'vitest';
import { exactKnn, exactKnnAsync, type NeighbourGraph } from '../../../src/core/layout/knn';
import { forestKnn } from '../../../src/core/layout/knn-forest';
import { approximateCosineKnn, refineKnn } from '../../../src/core/layout/knn-refine';
import { normalizeRows, similarityTopK } from '../../../src/core/similarity';
import { gaussianBlobs } from './helpers';

const N = 1500;
const DIM = 48;
const K = 10;
// Overlapping clusters with structure in every dimension: the hard case for tree splits.
const { points } = gaussianBlobs(21, N, DIM, 12, 1, 1);
const unit = normalizeRows(points, N, DIM);

function recall(graph: NeighbourGraph, exact: NeighbourGraph): number {
  let found = 0;
  for (let i = 0; i < N; i++) {
    const truth = new Set(exact.indices.subarray(i * K, (i + 1) * K));
    for (let j = 0; j < K; j++) if (truth.has(graph.indices[i * K + j])) found++;
  }
  return found / (N * K);
}

describe('k-NN graphs', () => {
  const exact = exactKnn(points, N, DIM, K);

  it('exact cosine k-NN agrees with similarityTopK and gives cosine distances', async () => {
    const reference = similarityTopK(points, N, DIM, K, true);
    expect(exact.indices).toEqual(reference.indices);
    for (let i = 0; i < exact.distances.length; i++) expect(exact.distances[i]).toBeCloseTo(1 - reference.scores[i], 6);
    expect(await exactKnnAsync(points, N, DIM, K, { maxBlockBytes: 64 * 1024 })).toEqual(exact);
    const some = Int32Array.from([5, 700, 1499]);
    const subset = exactKnn(points, N, DIM, K, { queryRows: some });
    expect(subset.indices).toEqual(Int32Array.from([...exact.indices.subarray(5 * K, 6 * K), ...exact.indices.subarray(700 * K, 701 * K), ...exact.indices.subarray(1499 * K, 1500 * K)]));
  });

  it('random projection trees alone find part of the neighbours; refinement finds nearly all', async () => {
    const forest = await forestKnn(unit, N, DIM, K, { trees: 2, leafSize: 64, seed: 3 });
    const refined = await refineKnn(unit, N, DIM, forest, { rounds: 10 });
    const forestRecall = recall(forest, exact);
    const refinedRecall = recall(refined, exact);
    console.log(`k-NN recall on ${N} × ${DIM} overlapping clusters: trees ${forestRecall.toFixed(3)}, refined ${refinedRecall.toFixed(3)}`);
    expect(refinedRecall).toBeGreaterThan(0.9);
    expect(refinedRecall).toBeGreaterThan(forestRecall + 0.1);
    // Refining an exact graph changes nothing.
    expect((await refineKnn(unit, N, DIM, exact, { rounds: 2 })).indices).toEqual(exact.indices);
  });

  it('the approximate k-NN is deterministic for a seed', async () => {
    const a = await approximateCosineKnn(points, N, DIM, K, { rounds: 3, seed: 4 });
    const b = await approximateCosineKnn(points, N, DIM, K, { rounds: 3, seed: 4 });
    expect(a).toEqual(b);
  });
});
