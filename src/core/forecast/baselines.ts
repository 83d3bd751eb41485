import { mulberry32 } from '../random';
import type { CandidatePairs } from './candidates';
import type { WindowCounts } from './cooccurrence';

/**
 * Link-prediction baselines on the code co-occurrence graph of the past (learning + embedding
 * windows): codes are nodes, an edge joins two codes carried together by at least one patent and
 * weighs the number of such patents. N(i) = neighbours of i, deg(i) = |N(i)|.
 *
 *   common-neighbours        |N(i) ∩ N(j)|
 *   jaccard                  |N(i) ∩ N(j)| / |N(i) ∪ N(j)|
 *   adamic-adar              Σ_{k ∈ N(i) ∩ N(j)} 1 / ln deg(k)
 *   resource-allocation      Σ_{k ∈ N(i) ∩ N(j)} 1 / deg(k)
 *   preferential-attachment  deg(i) · deg(j)
 *   profile-cosine           cosine of the rows i and j of the weighted adjacency matrix
 *   random                   uniform in [0, 1), seeded
 *
 * Only candidate pairs are scored. The neighbourhood scores are accumulated two hops out from
 * each first code (i → k → j, j > i), so the cost is O(Σ_k deg(k)²) plus one pass over the
 * candidates, never O(n³) and never a dense n×n matrix.
 */
export const BASELINES = [
  'common-neighbours',
  'jaccard',
  'adamic-adar',
  'resource-allocation',
  'preferential-attachment',
  'profile-cosine',
  'random',
] as const;

export type BaselineName = (typeof BASELINES)[number];

/** Weighted adjacency lists (CSR), neighbours ascending. */
export interface CooccurrenceGraph {
  codeCount: number;
  offsets: Uint32Array;
  neighbours: Uint32Array;
  weights: Float64Array;
}

export function cooccurrenceGraph(counts: WindowCounts, codeCount: number): CooccurrenceGraph {
  const n = codeCount;
  const degree = new Uint32Array(n);
  for (const key of counts.pairs.keys()) {
    const i = Math.floor(key / n);
    degree[i]++;
    degree[key - i * n]++;
  }
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const cursor = offsets.slice(0, n);
  const neighbours = new Uint32Array(offsets[n]);
  const weights = new Float64Array(offsets[n]);
  // Keys ascend by (i, j) once sorted, so each list fills in ascending neighbour order.
  const keys = Float64Array.from(counts.pairs.keys()).sort();
  for (const key of keys) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    const w = counts.pairs.get(key) as number;
    neighbours[cursor[i]] = j;
    weights[cursor[i]++] = w;
  }
  for (const key of keys) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    neighbours[cursor[j]] = i;
    weights[cursor[j]++] = counts.pairs.get(key) as number;
  }
  for (let i = 0; i < n; i++) sortRow(neighbours, weights, offsets[i], offsets[i + 1]);
  return { codeCount: n, offsets, neighbours, weights };
}

function sortRow(neighbours: Uint32Array, weights: Float64Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, a) => start + a).sort((a, b) => neighbours[a] - neighbours[b]);
  const n = order.map((a) => neighbours[a]);
  const w = order.map((a) => weights[a]);
  neighbours.set(n, start);
  weights.set(w, start);
}

export function baselineScores(graph: CooccurrenceGraph, candidates: CandidatePairs, name: BaselineName, seed = 1): Float32Array {
  const scores = new Float32Array(candidates.length);
  const { offsets, neighbours, weights } = graph;
  const degree = (i: number): number => offsets[i + 1] - offsets[i];
  if (name === 'random') {
    const rng = mulberry32(seed);
    for (let c = 0; c < scores.length; c++) scores[c] = rng();
    return scores;
  }
  if (name === 'preferential-attachment') {
    for (let c = 0; c < scores.length; c++) scores[c] = degree(candidates.first[c]) * degree(candidates.second[c]);
    return scores;
  }
  const norms = name === 'profile-cosine' ? rowNorms(graph) : null;
  const accumulator = new Float64Array(graph.codeCount);
  const touched: number[] = [];
  for (let c = 0; c < candidates.length;) {
    const i = candidates.first[c];
    for (let a = offsets[i]; a < offsets[i + 1]; a++) {
      const k = neighbours[a];
      const contribution = hopWeight(name, degree(k), weights[a]);
      for (let b = offsets[k]; b < offsets[k + 1]; b++) {
        const j = neighbours[b];
        if (j <= i) continue;
        if (accumulator[j] === 0) touched.push(j);
        accumulator[j] += name === 'profile-cosine' ? contribution * weights[b] : contribution;
      }
    }
    for (; c < candidates.length && candidates.first[c] === i; c++) {
      const j = candidates.second[c];
      const shared = accumulator[j];
      if (name === 'jaccard') {
        const union = degree(i) + degree(j) - shared;
        scores[c] = union > 0 ? shared / union : 0;
      } else if (norms) {
        const denominator = norms[i] * norms[j];
        scores[c] = denominator > 0 ? shared / denominator : 0;
      } else {
        scores[c] = shared;
      }
    }
    for (const j of touched) accumulator[j] = 0;
    touched.length = 0;
  }
  return scores;
}

/** What one shared neighbour k adds; for profile-cosine the first factor w_ik of w_ik·w_kj. */
function hopWeight(name: BaselineName, degreeOfK: number, weightIK: number): number {
  switch (name) {
    case 'adamic-adar':
      // A shared neighbour of two distinct codes has degree ≥ 2, so the logarithm is positive.
      return 1 / Math.log(degreeOfK);
    case 'resource-allocation':
      return 1 / degreeOfK;
    case 'profile-cosine':
      return weightIK;
    default:
      return 1;
  }
}

function rowNorms(graph: CooccurrenceGraph): Float64Array {
  const norms = new Float64Array(graph.codeCount);
  for (let i = 0; i < graph.codeCount; i++) {
    let sum = 0;
    for (let a = graph.offsets[i]; a < graph.offsets[i + 1]; a++) sum += graph.weights[a] ** 2;
    norms[i] = Math.sqrt(sum);
  }
  return norms;
}
