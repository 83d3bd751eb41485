import type { TopK } from '../similarity';

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009) of several per-row rankings of the same
 * items, e.g. the embedding's and BM25's top sections of each patent:
 *
 *   rrf(d) = Σ_i  w_i / (c + rank_i(d))      rank 1-based; a ranking that does not list d adds 0
 *
 * with c = 60 by default. Only ranks enter, so cosines and BM25 scores need no common scale. Every
 * entry keeps each component's rank and score, so a view can show why a section was shortlisted.
 */

export interface FusionOptions {
  /** Entries per fused row (default: the largest k of the inputs). */
  k?: number;
  /** The RRF constant c (default 60). */
  c?: number;
  /** One weight per ranking (default all 1). */
  weights?: readonly number[];
}

export interface FusedComponent {
  /** rows × k: the entry's 1-based rank in this ranking, 0 where the ranking does not list it. */
  ranks: Int32Array;
  /** rows × k: the entry's score in this ranking, NaN where the ranking does not list it. */
  scores: Float32Array;
}

export interface FusedTopK extends TopK {
  /** rows × k RRF scores (in `scores`), indices −1 / −Infinity past the row's last entry. */
  components: FusedComponent[];
}

export const DEFAULT_RRF_C = 60;

/**
 * Fuses rankings with the same rows. Ties in RRF score go to the better best rank over the
 * components, then to the lower item index, so the result does not depend on the inputs' order
 * beyond their weights.
 */
export function reciprocalRankFusion(rankings: readonly TopK[], options: FusionOptions = {}): FusedTopK {
  if (rankings.length === 0) throw new RangeError('reciprocal rank fusion needs at least one ranking');
  const rows = rankings[0].rows;
  for (const ranking of rankings) {
    if (ranking.rows !== rows) throw new RangeError(`rankings to fuse must have the same rows: ${ranking.rows} vs ${rows}`);
  }
  const k = options.k ?? Math.max(...rankings.map((r) => r.k));
  const c = options.c ?? DEFAULT_RRF_C;
  const weights = options.weights ?? rankings.map(() => 1);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  if (!(c >= 0)) throw new RangeError(`the RRF constant must be ≥ 0, got ${c}`);
  if (weights.length !== rankings.length) throw new RangeError(`${weights.length} weights for ${rankings.length} rankings`);

  const indices = new Int32Array(rows * k).fill(-1);
  const scores = new Float32Array(rows * k).fill(-Infinity);
  const components = rankings.map(() => ({
    ranks: new Int32Array(rows * k),
    scores: new Float32Array(rows * k).fill(Number.NaN),
  }));
  for (let row = 0; row < rows; row++) {
    const entries = new Map<number, { rrf: number; bestRank: number; ranks: number[]; scores: number[] }>();
    rankings.forEach((ranking, i) => {
      for (let position = 0; position < ranking.k; position++) {
        const item = ranking.indices[row * ranking.k + position];
        if (item < 0) break;
        let entry = entries.get(item);
        if (entry === undefined) {
          entry = { rrf: 0, bestRank: Infinity, ranks: rankings.map(() => 0), scores: rankings.map(() => Number.NaN) };
          entries.set(item, entry);
        }
        // A ranking listing an item twice is malformed; its first (best) place counts.
        if (entry.ranks[i] !== 0) continue;
        const rank = position + 1;
        entry.rrf += weights[i] / (c + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
        entry.ranks[i] = rank;
        entry.scores[i] = ranking.scores[row * ranking.k + position];
      }
    });
    const ordered = [...entries].sort(([ia, a], [ib, b]) => b.rrf - a.rrf || a.bestRank - b.bestRank || ia - ib);
    const count = Math.min(k, ordered.length);
    for (let position = 0; position < count; position++) {
      const [item, entry] = ordered[position];
      const at = row * k + position;
      indices[at] = item;
      scores[at] = entry.rrf;
      components.forEach((component, i) => {
        component.ranks[at] = entry.ranks[i];
        component.scores[at] = entry.scores[i];
      });
    }
  }
  return { k, rows, indices, scores, components };
}
