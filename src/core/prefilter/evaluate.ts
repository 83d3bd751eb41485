/**
 * How well a ranking finds a known reference item per row: recall@k (the share of rows whose
 * reference is among their first k) and the mean reciprocal rank. Used on the real data's EP
 * patents, each with the one BREF section a reference dashboard matched it to.
 */

/** Any per-row ranking: rows × k indices, best first, −1 after the last entry (TopK, FusedTopK). */
export interface Ranking {
  rows: number;
  k: number;
  indices: Int32Array;
}

/**
 * The 1-based rank of each row's reference in its list; 0 when the list does not hold it, −1 when
 * the row has no reference (a negative reference), which the measures below leave out.
 */
export function referenceRanks(ranking: Ranking, reference: ArrayLike<number>): Int32Array {
  if (reference.length !== ranking.rows) {
    throw new RangeError(`${reference.length} references for a ranking of ${ranking.rows} rows`);
  }
  const ranks = new Int32Array(ranking.rows);
  for (let row = 0; row < ranking.rows; row++) {
    const wanted = reference[row];
    if (wanted < 0) {
      ranks[row] = -1;
      continue;
    }
    for (let position = 0; position < ranking.k; position++) {
      const item = ranking.indices[row * ranking.k + position];
      if (item < 0) break;
      if (item === wanted) {
        ranks[row] = position + 1;
        break;
      }
    }
  }
  return ranks;
}

export interface RankingQuality {
  /** Rows with a reference: the denominator of every figure. */
  evaluated: number;
  /** recall[k] for each k asked for; a k beyond the ranking's length counts only what it holds. */
  recall: Record<number, number>;
  /** Mean of 1 / rank, 0 for a reference outside the list (so it is MRR@ranking.k). */
  mrr: number;
}

export function recallAtK(ranking: Ranking, reference: ArrayLike<number>, k: number): number {
  return rankingQuality(ranking, reference, [k]).recall[k];
}

export function meanReciprocalRank(ranking: Ranking, reference: ArrayLike<number>): number {
  return rankingQuality(ranking, reference, []).mrr;
}

/** recall@k for each of `ks` and MRR in one pass; NaN everywhere when no row has a reference. */
export function rankingQuality(ranking: Ranking, reference: ArrayLike<number>, ks: readonly number[]): RankingQuality {
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`recall@k needs a positive integer k, got ${k}`);
  }
  const ranks = referenceRanks(ranking, reference);
  let evaluated = 0;
  let reciprocal = 0;
  const hits = ks.map(() => 0);
  for (const rank of ranks) {
    if (rank < 0) continue;
    evaluated++;
    if (rank === 0) continue;
    reciprocal += 1 / rank;
    ks.forEach((k, i) => {
      if (rank <= k) hits[i]++;
    });
  }
  const recall: Record<number, number> = {};
  ks.forEach((k, i) => {
    recall[k] = evaluated === 0 ? Number.NaN : hits[i] / evaluated;
  });
  return { evaluated, recall, mrr: evaluated === 0 ? Number.NaN : reciprocal / evaluated };
}
