/** Agreement between partitions (adjusted Rand index) and cluster separation (silhouette). */
import { mulberry32 } from '../random';

/**
 * Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions up to relabelling,
 * about 0 for independent ones (it can go slightly negative). Labels are any integers.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('partitions must label the same points');
  const n = a.length;
  const contingency = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const columnSums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}|${b[i]}`;
    contingency.set(key, (contingency.get(key) ?? 0) + 1);
    rowSums.set(a[i], (rowSums.get(a[i]) ?? 0) + 1);
    columnSums.set(b[i], (columnSums.get(b[i]) ?? 0) + 1);
  }
  const pairs = (count: number) => (count * (count - 1)) / 2;
  const sumPairs = (counts: Iterable<number>) => {
    let sum = 0;
    for (const count of counts) sum += pairs(count);
    return sum;
  };
  const index = sumPairs(contingency.values());
  const rows = sumPairs(rowSums.values());
  const columns = sumPairs(columnSums.values());
  const total = pairs(n);
  const expected = total > 0 ? (rows * columns) / total : 0;
  const maximum = (rows + columns) / 2;
  // Both partitions trivial (all singletons or one block each): identical by construction.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}

export interface SilhouetteOptions {
  /** Points scored (each against all n); all when n is at most this. */
  sample?: number;
  seed?: number;
}

/** Mean silhouette (Rousseeuw 1987) with Euclidean distance, on a seeded sample of points. */
export function silhouetteScore(
  points: ArrayLike<number>, n: number, dim: number, labels: ArrayLike<number>, options: SilhouetteOptions = {},
): number {
  const clusterIds = [...new Set(Array.from(labels))].sort((x, y) => x - y);
  if (clusterIds.length < 2) return 0;
  const slot = new Map(clusterIds.map((id, i) => [id, i]));
  const sizes = new Float64Array(clusterIds.length);
  for (let i = 0; i < n; i++) sizes[slot.get(labels[i]) as number]++;
  const sampled = sampleIndices(n, options.sample ?? 2000, options.seed ?? 0);
  let total = 0;
  for (const i of sampled) {
    const sums = new Float64Array(clusterIds.length);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let d = 0; d < dim; d++) d2 += (points[i * dim + d] - points[j * dim + d]) ** 2;
      sums[slot.get(labels[j]) as number] += Math.sqrt(d2);
    }
    const own = slot.get(labels[i]) as number;
    if (sizes[own] <= 1) continue;
    const within = sums[own] / (sizes[own] - 1);
    let nearest = Infinity;
    for (let c = 0; c < clusterIds.length; c++) if (c !== own && sizes[c] > 0) nearest = Math.min(nearest, sums[c] / sizes[c]);
    total += (nearest - within) / Math.max(nearest, within);
  }
  return total / sampled.length;
}

/** All of 0..n−1 when n ≤ size, else `size` distinct indices (partial Fisher–Yates), sorted. */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  if (n <= size) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.slice(0, size).sort();
}
