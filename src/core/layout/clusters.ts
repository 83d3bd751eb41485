/**
 * Seeded k-means (Lloyd's algorithm with k-means++ seeding, Arthur & Vassilvitskii 2007) for the
 * 2D/3D layout or the embedding itself, and the rule that picks k for the map's topic labels.
 */
import { mulberry32 } from '../random';
import { silhouetteScore } from './cluster-quality';

export interface KMeansOptions {
  k: number;
  seed?: number;
  maxIterations?: number;
  /** Independent seedings; the one with the lowest inertia wins. */
  restarts?: number;
}

export interface KMeansResult {
  k: number;
  /** Cluster of each point, 0..k−1. */
  labels: Int32Array;
  /** k×dim centroids. */
  centroids: Float64Array;
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  iterations: number;
}

const DEFAULT_MAX_ITERATIONS = 100;

export function kMeans(points: ArrayLike<number>, n: number, dim: number, options: KMeansOptions): KMeansResult {
  if (points.length !== n * dim) throw new RangeError(`points must hold ${n}×${dim} values`);
  const k = Math.max(1, Math.min(options.k, n));
  const rng = mulberry32(options.seed ?? 0);
  let best: KMeansResult | null = null;
  for (let restart = 0; restart < Math.max(1, options.restarts ?? 1); restart++) {
    const result = lloyd(points, n, dim, seedCentroids(points, n, dim, k, rng), k, options.maxIterations ?? DEFAULT_MAX_ITERATIONS);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best as KMeansResult;
}

/**
 * The map's default number of topics: the common rule of thumb √(n/2), kept between `min` and
 * `max` so that a small dataset still gets a few regions and a large one stays legible.
 */
export function chooseClusterCount(n: number, options: { min?: number; max?: number } = {}): number {
  const min = options.min ?? 2;
  const max = options.max ?? 30;
  return Math.max(Math.min(min, n), Math.min(max, Math.round(Math.sqrt(n / 2)), n));
}

/**
 * k among `candidates` with the best mean silhouette of its k-means partition, scored on a seeded
 * sample: slower than chooseClusterCount but follows the data when clusters are clear.
 */
export function chooseClusterCountBySilhouette(
  points: ArrayLike<number>, n: number, dim: number, candidates: readonly number[], options: { seed?: number; sample?: number } = {},
): { k: number; scores: Array<{ k: number; silhouette: number }> } {
  const scores = candidates.filter((k) => k >= 2 && k < n).map((k) => {
    const { labels } = kMeans(points, n, dim, { k, seed: options.seed });
    return { k, silhouette: silhouetteScore(points, n, dim, labels, { sample: options.sample ?? 1000, seed: options.seed }) };
  });
  const best = scores.reduce<{ k: number; silhouette: number } | null>((top, s) => (!top || s.silhouette > top.silhouette ? s : top), null);
  return { k: best?.k ?? Math.min(2, n), scores };
}

/** k-means++: each next centre is drawn with probability proportional to its squared distance to the nearest chosen one. */
function seedCentroids(points: ArrayLike<number>, n: number, dim: number, k: number, rng: () => number): Float64Array {
  const centroids = new Float64Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = Math.floor(rng() * n);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dim; d++) centroids[c * dim + d] = points[chosen * dim + d];
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], squaredDistance(points, i * dim, centroids, c * dim, dim));
      total += nearest[i];
    }
    if (c + 1 === k) break;
    if (total === 0) {
      chosen = Math.floor(rng() * n);
      continue;
    }
    let target = rng() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i];
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centroids;
}

function lloyd(
  points: ArrayLike<number>, n: number, dim: number, centroids: Float64Array, k: number, maxIterations: number,
): KMeansResult {
  const labels = new Int32Array(n).fill(-1);
  let iterations = 0;
  let inertia = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let bestCluster = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const distance = squaredDistance(points, i * dim, centroids, c * dim, dim);
        if (distance < bestDistance) {
          bestDistance = distance;
          bestCluster = c;
        }
      }
      if (labels[i] !== bestCluster) changed++;
      labels[i] = bestCluster;
      inertia += bestDistance;
    }
    if (changed === 0) break;
    updateCentroids(points, n, dim, labels, centroids, k);
  }
  return { k, labels, centroids, inertia, iterations };
}

function updateCentroids(
  points: ArrayLike<number>, n: number, dim: number, labels: Int32Array, centroids: Float64Array, k: number,
): void {
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += points[i * dim + d];
  }
  for (let c = 0; c < k; c++) {
    // An emptied cluster keeps its old centre rather than jumping somewhere random.
    if (counts[c] === 0) continue;
    for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d] / counts[c];
  }
}

function squaredDistance(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    const diff = a[ao + d] - b[bo + d];
    sum += diff * diff;
  }
  return sum;
}

export { adjustedRandIndex, silhouetteScore } from './cluster-quality';
