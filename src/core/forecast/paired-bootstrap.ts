import { mulberry32 } from '../random';
import type { CandidatePairs } from './candidates';
import { denseRanks, quantile } from './metrics';

/**
 * Paired bootstrap of the AUC difference of two methods scored on the same candidates.
 *
 * Scheme (`codes`, the default): pairs share codes, so a code that is easy (or hard) for one
 * method makes all of its pairs move together; resampling pairs as if independent makes the
 * interval too narrow. Each replicate draws the candidate codes (those in at least one candidate)
 * with replacement, K draws of K codes; a code drawn w times has weight w, and a pair {i, j}
 * enters with weight w_i · w_j, the number of times it appears among the pairs of the drawn
 * multiset (a pair of a code not drawn drops out). Both methods' AUCs are computed with these
 * weights (weighted Mann–Whitney, ties ½) and their difference kept; the interval is the
 * percentile interval of the differences. `pairs` resamples candidate pairs instead (each pair's
 * weight = its multiplicity in n draws), for comparison.
 *
 * Cost per replicate: O(codes + pairs + distinct scores of each method).
 */
export interface PairedDifference {
  /** `a − b` on the full data. */
  a: string;
  b: string;
  difference: number;
  low: number;
  high: number;
  level: number;
  replicates: number;
  /** Share of replicates where a ≤ b: a one-sided bootstrap p-value for "a beats b". */
  shareNotAbove: number;
  resample: 'codes' | 'pairs';
}

export interface PairedBootstrapOptions {
  seed?: number;
  replicates?: number;
  level?: number;
  resample?: 'codes' | 'pairs';
}

export function pairedAucDifference(
  names: [string, string],
  scoresA: Float32Array,
  scoresB: Float32Array,
  labels: Uint8Array,
  candidates: Pick<CandidatePairs, 'first' | 'second' | 'codeCount' | 'length'>,
  options: PairedBootstrapOptions = {},
): PairedDifference {
  const { seed = 1, replicates = 200, level = 0.95, resample = 'codes' } = options;
  const n = labels.length;
  if (scoresA.length !== n || scoresB.length !== n || candidates.length !== n) throw new RangeError('scores, labels and candidates differ in length');
  const rankedA = rankedWithCounts(scoresA);
  const rankedB = rankedWithCounts(scoresB);
  const weights = new Float64Array(n).fill(1);
  const difference = weightedAuc(rankedA, labels, weights) - weightedAuc(rankedB, labels, weights);

  const used: number[] = [];
  const seen = new Uint8Array(candidates.codeCount);
  for (let c = 0; c < n; c++) {
    for (const code of [candidates.first[c], candidates.second[c]]) {
      if (!seen[code]) {
        seen[code] = 1;
        used.push(code);
      }
    }
  }
  const rng = mulberry32(seed);
  const draws = new Float64Array(candidates.codeCount);
  const values: number[] = [];
  let notAbove = 0;
  for (let r = 0; r < replicates; r++) {
    if (resample === 'codes') {
      draws.fill(0);
      for (let k = 0; k < used.length; k++) draws[used[Math.floor(rng() * used.length)]]++;
      for (let c = 0; c < n; c++) weights[c] = draws[candidates.first[c]] * draws[candidates.second[c]];
    } else {
      weights.fill(0);
      for (let k = 0; k < n; k++) weights[Math.floor(rng() * n)]++;
    }
    const delta = weightedAuc(rankedA, labels, weights) - weightedAuc(rankedB, labels, weights);
    if (Number.isNaN(delta)) continue;
    values.push(delta);
    if (delta <= 0) notAbove++;
  }
  values.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return {
    a: names[0],
    b: names[1],
    difference,
    low: quantile(values, tail),
    high: quantile(values, 1 - tail),
    level,
    replicates: values.length,
    shareNotAbove: values.length ? notAbove / values.length : Number.NaN,
    resample,
  };
}

interface Ranked {
  rankOf: Uint32Array;
  distinct: number;
  positive: Float64Array;
  negative: Float64Array;
}

function rankedWithCounts(scores: Float32Array): Ranked {
  const { rankOf, distinct } = denseRanks(scores);
  return { rankOf, distinct, positive: new Float64Array(distinct), negative: new Float64Array(distinct) };
}

/** Weighted Mann–Whitney AUC: Σ w_p w_n ([s_p > s_n] + ½[s_p = s_n]) / (Σ w_p · Σ w_n). */
export function weightedAuc(ranked: Ranked, labels: Uint8Array, weights: Float64Array): number {
  const { rankOf, positive, negative } = ranked;
  positive.fill(0);
  negative.fill(0);
  for (let c = 0; c < labels.length; c++) {
    const w = weights[c];
    if (w === 0) continue;
    if (labels[c]) positive[rankOf[c]] += w;
    else negative[rankOf[c]] += w;
  }
  let twiceU = 0;
  let below = 0;
  let positives = 0;
  for (let r = 0; r < ranked.distinct; r++) {
    twiceU += positive[r] * (2 * below + negative[r]);
    below += negative[r];
    positives += positive[r];
  }
  return positives === 0 || below === 0 ? Number.NaN : twiceU / (2 * positives * below);
}

