import { describe, expect, it } from 'vitest';
import { exactKnn } from '../../../src/core/layout/knn';
import { neighbourhoodPreservation } from '../../../src/core/layout/quality';
import { mulberry32, randomNormalMatrix } from '../../../src/core/random';
import { normalizeRows } from '../../../src/core/similarity';

describe('neighbourhood preservation', () => {
  const n = 800;
  const unit = normalizeRows(randomNormalMatrix(mulberry32(1), n, 3), n, 3);

  it('is 1 for a layout that is the data itself (unit vectors: cosine and Euclidean ranks agree)', () => {
    const result = neighbourhoodPreservation(unit, 3, unit, 3, n);
    expect(result).toMatchObject({ k: 10, value: 1, evaluated: n, exact: true });
  });

  it('is about chance for a random layout', () => {
    const random = randomNormalMatrix(mulberry32(2), n, 2);
    const result = neighbourhoodPreservation(unit, 3, random, 2, n);
    expect(result.chance).toBeCloseTo(10 / 799, 12);
    expect(result.value).toBeLessThan(3 * result.chance);
  });

  it('samples query points (seeded) above the exact limit', () => {
    const random = randomNormalMatrix(mulberry32(3), n, 2);
    const sampled = neighbourhoodPreservation(unit, 3, random, 2, n, { exactMaxPoints: 500, sample: 300, seed: 4 });
    expect(sampled).toMatchObject({ evaluated: 300, exact: false });
    expect(neighbourhoodPreservation(unit, 3, random, 2, n, { exactMaxPoints: 500, sample: 300, seed: 4 })).toEqual(sampled);
  });

  it('k-NN in 2D keeps close pairs apart despite large coordinates', () => {
    // |a|² ≈ 2·10⁸ would swamp a 10⁻³ difference in the f32 expansion |a|² + |b|² − 2a·b.
    const points = new Float32Array([10_000, 10_000, 10_000.001, 10_000, 10_000.5, 10_000, 10_001, 10_000]);
    const graph = exactKnn(points, 4, 2, 1, { metric: 'euclidean' });
    expect(Array.from(graph.indices)).toEqual([1, 0, 1, 2]);
  });
});
