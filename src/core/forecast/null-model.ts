import type { CandidatePairs } from './candidates';
import type { WindowCounts } from './cooccurrence';

/**
 * Random bipartite null model of the scoring window: patents keep their number of codes d_p and
 * codes their number of patents k_i; who carries what is random (configuration model, stubs
 * matched uniformly, a patent never carrying the same code twice and never a code with itself).
 *
 * Expectation: a patent's d_p(d_p−1) ordered stub pairs each land on the codes (i, j) with
 * probability ∝ k_i·k_j, restricted to i ≠ j. Normalising over all ordered pairs of distinct
 * codes (Σ_{i≠j} k_i k_j = M² − Σ_l k_l², M = Σ_i k_i = Σ_p d_p) gives
 *
 *     E[c_ij] = k_i · k_j · S / (M² − Σ_l k_l²),     S = Σ_p d_p (d_p − 1),
 *
 * which, unlike the textbook k_i k_j S / M², sums over all pairs to the exact number of
 * co-occurrences S/2 of every graph with these degrees. It ignores that a code cannot fill more
 * than one stub of the same patent beyond that normalisation (a second-order effect for codes on
 * a large share of the patents). Checked against edge-swap randomisation in the unit tests.
 *
 * Variance: c_ij is a sum over many patents of rare indicators, so Poisson: Var = E.
 */
export interface NullModel {
  codePatents: Uint32Array;
  /** M = Σ_p d_p. */
  stubs: number;
  /** S = Σ_p d_p (d_p − 1). */
  orderedPairStubs: number;
  /** S / (M² − Σ k²); E[c_ij] = k_i k_j × this. */
  pairScale: number;
}

export function nullModel(window: WindowCounts): NullModel {
  let stubs = 0;
  let orderedPairStubs = 0;
  for (const d of window.patentCodeCounts) {
    stubs += d;
    orderedPairStubs += d * (d - 1);
  }
  let sumOfSquares = 0;
  for (const k of window.codePatents) sumOfSquares += k * k;
  const distinctPairMass = stubs * stubs - sumOfSquares;
  return {
    codePatents: window.codePatents,
    stubs,
    orderedPairStubs,
    pairScale: distinctPairMass > 0 ? orderedPairStubs / distinctPairMass : 0,
  };
}

export function expectedCooccurrence(model: NullModel, i: number, j: number): number {
  return model.codePatents[i] * model.codePatents[j] * model.pairScale;
}

/** (observed − E) / √E under the Poisson variance; +Infinity when E = 0 < observed. */
export function cooccurrenceZ(observed: number, expected: number): number {
  if (expected <= 0) return observed > 0 ? Number.POSITIVE_INFINITY : 0;
  return (observed - expected) / Math.sqrt(expected);
}

/** P(X ≥ observed) for X ~ Poisson(mean): the one-sided p-value of seeing this many or more. */
export function poissonUpperTail(observed: number, mean: number): number {
  if (observed <= 0) return 1;
  if (mean <= 0) return 0;
  const logPmf = (x: number): number => x * Math.log(mean) - mean - logFactorial(x);
  if (observed <= mean) {
    // The lower tail is the short sum here; 1 − it is accurate because the result is not small.
    let lower = 0;
    for (let x = 0; x < observed; x++) lower += Math.exp(logPmf(x));
    return Math.max(0, 1 - lower);
  }
  // Terms fall off geometrically above the mean, so sum them directly (no cancellation).
  let tail = 0;
  for (let x = observed; ; x++) {
    const term = Math.exp(logPmf(x));
    tail += term;
    if (term < tail * 1e-17 || x > observed + 10_000) break;
  }
  return Math.min(1, tail);
}

const LOG_FACTORIALS: number[] = [0];
function logFactorial(x: number): number {
  while (LOG_FACTORIALS.length <= x) {
    const k = LOG_FACTORIALS.length;
    LOG_FACTORIALS.push(LOG_FACTORIALS[k - 1] + Math.log(k));
  }
  return LOG_FACTORIALS[x];
}

/**
 * How a candidate becomes a positive. 'at-least-once': it co-occurs on ≥ 1 scoring-window patent.
 * 'above-null': it co-occurs more often than the null model expects, and, when given, with
 * z ≥ minZ and Poisson p-value ≤ maxP.
 */
export type LabelRule =
  | { mode: 'at-least-once' }
  | { mode: 'above-null'; minZ?: number; maxP?: number };

export interface CandidateLabels {
  labels: Uint8Array;
  /** Co-occurrences of each candidate in the scoring window. */
  observed: Uint32Array;
  positives: number;
  model: NullModel;
}

export function labelCandidates(candidates: CandidatePairs, scoreWindow: WindowCounts, rule: LabelRule): CandidateLabels {
  const n = candidates.codeCount;
  const model = nullModel(scoreWindow);
  const labels = new Uint8Array(candidates.length);
  const observed = new Uint32Array(candidates.length);
  let positives = 0;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates.first[c];
    const j = candidates.second[c];
    const count = scoreWindow.pairs.get(i * n + j) ?? 0;
    observed[c] = count;
    if (count === 0) continue;
    let positive = true;
    if (rule.mode === 'above-null') {
      const expected = expectedCooccurrence(model, i, j);
      positive = count > expected
        && (rule.minZ === undefined || cooccurrenceZ(count, expected) >= rule.minZ)
        && (rule.maxP === undefined || poissonUpperTail(count, expected) <= rule.maxP);
    }
    if (positive) {
      labels[c] = 1;
      positives++;
    }
  }
  return { labels, observed, positives, model };
}
