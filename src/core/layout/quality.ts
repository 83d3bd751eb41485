/**
 * How faithful a layout is: neighbourhood preservation, the mean fraction of each point's k
 * nearest neighbours in the original space (cosine) that are also among its k nearest in the
 * layout (Euclidean). 1 is perfect; a random layout scores about k/(n − 1).
 * Exact for n ≤ exactMaxPoints; above, the same measure on a seeded sample of query points
 * (each still against all n points, so the sampled figure is unbiased).
 */
import { sampleIndices } from './cluster-quality';
import { exactKnn } from './knn';

export interface PreservationOptions {
  k?: number;
  exactMaxPoints?: number;
  sample?: number;
  seed?: number;
}

export interface NeighbourhoodPreservation {
  k: number;
  /** Mean fraction of original neighbours kept, in [0, 1]. */
  value: number;
  /** What a random layout would score, k/(n − 1). */
  chance: number;
  /** Points whose neighbourhoods were compared. */
  evaluated: number;
  exact: boolean;
}

export function neighbourhoodPreservation(
  original: Float32Array,
  dim: number,
  layout: Float32Array,
  components: number,
  n: number,
  options: PreservationOptions = {},
): NeighbourhoodPreservation {
  if (original.length !== n * dim || layout.length !== n * components) throw new RangeError('original and layout must both hold n rows');
  const k = Math.min(options.k ?? 10, n - 1);
  const exact = n <= (options.exactMaxPoints ?? 5000);
  const queryRows = exact ? undefined : sampleIndices(n, options.sample ?? 2000, options.seed ?? 0);
  const high = exactKnn(original, n, dim, k, { metric: 'cosine', queryRows });
  const low = exactKnn(layout, n, components, k, { metric: 'euclidean', queryRows });
  let total = 0;
  const kept = new Set<number>();
  for (let r = 0; r < high.rows; r++) {
    kept.clear();
    for (let j = 0; j < k; j++) kept.add(low.indices[r * k + j]);
    let shared = 0;
    for (let j = 0; j < k; j++) if (kept.has(high.indices[r * k + j])) shared++;
    total += shared / k;
  }
  return { k, value: high.rows > 0 ? total / high.rows : 0, chance: k / Math.max(1, n - 1), evaluated: high.rows, exact };
}
