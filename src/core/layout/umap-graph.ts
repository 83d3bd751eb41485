/**
 * UMAP's fuzzy simplicial set (McInnes, Healy & Melville 2018), as umap-learn builds it: each
 * point's k-NN distances become memberships exp(−(d − ρ)/σ), with ρ the distance to the nearest
 * neighbour and σ found by binary search so that the memberships sum to log2(k + 1); the two
 * directions of an edge are then combined by fuzzy union, w = a + b − a·b.
 */
import type { NeighbourGraph } from './knn';

/** Undirected graph listed in both directions, sorted by (head, tail). */
export interface FuzzyGraph {
  n: number;
  heads: Int32Array;
  tails: Int32Array;
  weights: Float64Array;
}

const SEARCH_STEPS = 64;
const SEARCH_TOLERANCE = 1e-5;
const MIN_SIGMA_SCALE = 1e-3;

export function fuzzySimplicialSet(graph: NeighbourGraph): FuzzyGraph {
  const { rows: n, k, indices, distances } = graph;
  const memberships = new Float64Array(n * k);
  const meanOfAll = meanFinite(distances);
  for (let i = 0; i < n; i++) {
    const row = distances.subarray(i * k, (i + 1) * k);
    const rho = firstPositive(row, indices.subarray(i * k, (i + 1) * k));
    const sigma = searchSigma(row, rho, Math.log2(k + 1), meanFinite(row), meanOfAll);
    for (let j = 0; j < k; j++) {
      if (indices[i * k + j] < 0) continue;
      const excess = row[j] - rho;
      memberships[i * k + j] = excess <= 0 ? 1 : Math.exp(-excess / sigma);
    }
  }

  const heads: number[] = [];
  const tails: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const other = indices[i * k + j];
      if (other < 0 || other === i) continue;
      const reverse = slotOf(indices, k, other, i);
      // Both directions are listed once, by the smaller index when each lists the other.
      if (reverse >= 0 && other < i) continue;
      const forward = memberships[i * k + j];
      const backward = reverse >= 0 ? memberships[other * k + reverse] : 0;
      const weight = forward + backward - forward * backward;
      if (weight <= 0) continue;
      heads.push(i, other);
      tails.push(other, i);
      weights.push(weight, weight);
    }
  }
  const order = heads.map((_, e) => e).sort((x, y) => heads[x] - heads[y] || tails[x] - tails[y]);
  return {
    n,
    heads: Int32Array.from(order, (e) => heads[e]),
    tails: Int32Array.from(order, (e) => tails[e]),
    weights: Float64Array.from(order, (e) => weights[e]),
  };
}

function searchSigma(row: Float32Array, rho: number, target: number, meanOfRow: number, meanOfAll: number): number {
  let low = 0;
  let high = Infinity;
  let mid = 1;
  for (let step = 0; step < SEARCH_STEPS; step++) {
    let sum = 0;
    for (let j = 0; j < row.length; j++) {
      if (!Number.isFinite(row[j])) continue;
      const excess = row[j] - rho;
      sum += excess > 0 ? Math.exp(-excess / mid) : 1;
    }
    if (Math.abs(sum - target) < SEARCH_TOLERANCE) break;
    if (sum > target) {
      high = mid;
      mid = (low + high) / 2;
    } else {
      low = mid;
      mid = high === Infinity ? mid * 2 : (low + high) / 2;
    }
  }
  // A floor keeps σ from collapsing where neighbours sit at equal distances (duplicates).
  const floor = MIN_SIGMA_SCALE * (rho > 0 ? meanOfRow : meanOfAll);
  return Math.max(mid, floor, Number.MIN_VALUE);
}

function firstPositive(row: Float32Array, indices: Int32Array): number {
  for (let j = 0; j < row.length; j++) if (indices[j] >= 0 && row[j] > 0) return row[j];
  return 0;
}

function slotOf(indices: Int32Array, k: number, row: number, target: number): number {
  for (let j = 0; j < k; j++) if (indices[row * k + j] === target) return j;
  return -1;
}

function meanFinite(values: Float32Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}
