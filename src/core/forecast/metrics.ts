import { mulberry32 } from '../random';

/**
 * Bootstrap confidence interval of the ROC AUC, resampling candidate pairs with replacement
 * (percentile method, seeded).
 *
 * Affordability: scores are ranked once (dense ranks of the distinct values), so one replicate
 * costs O(n + distinct values): draw n pairs, count positives and negatives per rank, walk the
 * ranks. Above `maxPairs` pairs, a seeded simple random sample of `maxPairs` pairs (without
 * replacement) is bootstrapped instead and the replicate deviations are shrunk by √(sample/n)
 * around the full-data AUC (m-out-of-n bootstrap; the AUC is a U-statistic whose spread falls as
 * 1/√n). The result says which way it was made.
 */
export interface AucInterval {
  low: number;
  high: number;
  level: number;
  replicates: number;
  /** Pairs the bootstrap resampled: all of them, or the subsample size. */
  resampledPairs: number;
  method: 'bootstrap-percentile' | 'subsample-bootstrap-rescaled';
}

export interface BootstrapOptions {
  seed?: number;
  replicates?: number;
  level?: number;
  maxPairs?: number;
}

export const DEFAULT_BOOTSTRAP: Required<BootstrapOptions> = { seed: 1, replicates: 200, level: 0.95, maxPairs: 200_000 };

export function bootstrapAucInterval(
  scores: Float32Array,
  labels: Uint8Array,
  fullAuc: number,
  options: BootstrapOptions = {},
): AucInterval {
  const { seed, replicates, level, maxPairs } = { ...DEFAULT_BOOTSTRAP, ...options };
  const rng = mulberry32(seed);
  const m = scores.length;
  const subsampled = m > maxPairs;
  const chosen = subsampled ? sampleWithoutReplacement(rng, m, maxPairs) : null;
  const n = chosen ? chosen.length : m;
  const sampleScores = chosen ? Float32Array.from(chosen, (i) => scores[i]) : scores;
  const sampleLabels = chosen ? Uint8Array.from(chosen, (i) => labels[i]) : labels;
  const { rankOf, distinct } = denseRanks(sampleScores);
  const positivesPerRank = new Uint32Array(distinct);
  const negativesPerRank = new Uint32Array(distinct);
  const count = (index: number): void => {
    if (sampleLabels[index]) positivesPerRank[rankOf[index]]++;
    else negativesPerRank[rankOf[index]]++;
  };
  for (let i = 0; i < n; i++) count(i);
  const sampleAuc = aucOfRankCounts(positivesPerRank, negativesPerRank);
  const shrink = subsampled ? Math.sqrt(n / m) : 1;
  const centre = subsampled ? fullAuc : sampleAuc;

  const values: number[] = [];
  for (let r = 0; r < replicates; r++) {
    positivesPerRank.fill(0);
    negativesPerRank.fill(0);
    for (let i = 0; i < n; i++) count(Math.floor(rng() * n));
    const auc = aucOfRankCounts(positivesPerRank, negativesPerRank);
    if (!Number.isNaN(auc)) values.push(centre + (auc - sampleAuc) * shrink);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    low: quantile(values, tail),
    high: quantile(values, 1 - tail),
    level,
    replicates: values.length,
    resampledPairs: n,
    method: subsampled ? 'subsample-bootstrap-rescaled' : 'bootstrap-percentile',
  };
}

/** AUC from per-rank class counts, ranks ascending by score; ties count one half. */
export function aucOfRankCounts(positivesPerRank: ArrayLike<number>, negativesPerRank: ArrayLike<number>): number {
  let twiceU = 0;
  let negativesBelow = 0;
  let positives = 0;
  for (let r = 0; r < positivesPerRank.length; r++) {
    const pos = positivesPerRank[r];
    const neg = negativesPerRank[r];
    twiceU += 2 * pos * negativesBelow + pos * neg;
    negativesBelow += neg;
    positives += pos;
  }
  const negatives = negativesBelow;
  return positives === 0 || negatives === 0 ? Number.NaN : twiceU / (2 * positives * negatives);
}

/** Each score's rank among the distinct scores (0 = lowest), and how many distinct scores there are. */
export function denseRanks(scores: Float32Array): { rankOf: Uint32Array; distinct: number } {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const rankOf = new Uint32Array(scores.length);
  let rank = -1;
  for (let a = 0; a < order.length; a++) {
    if (a === 0 || scores[order[a]] !== scores[order[a - 1]]) rank++;
    rankOf[order[a]] = rank;
  }
  return { rankOf, distinct: rank + 1 };
}

/** Knuth's selection sampling: `k` distinct indices of 0..n−1, ascending, each subset equally likely. */
export function sampleWithoutReplacement(rng: () => number, n: number, k: number): Uint32Array {
  const out = new Uint32Array(Math.min(k, n));
  let chosen = 0;
  for (let i = 0; i < n && chosen < out.length; i++) {
    if ((n - i) * rng() < out.length - chosen) out[chosen++] = i;
  }
  return out;
}

/** Linear interpolation between order statistics (type 7, as R and numpy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export interface ClassBalance {
  pairs: number;
  positives: number;
  negatives: number;
  /** Positives / pairs: the precision of a random ranking. */
  positiveShare: number;
}

export function classBalance(labels: Uint8Array): ClassBalance {
  let positives = 0;
  for (const label of labels) positives += label ? 1 : 0;
  return { pairs: labels.length, positives, negatives: labels.length - positives, positiveShare: labels.length === 0 ? Number.NaN : positives / labels.length };
}
