/**
 * The tie-group walk of the exact radix AUC (ranking.ts): AUC, ROC points and precision@k
 * accumulated over tie groups given in ascending score order.
 */
export interface RocCurve {
  /** Ascending false-positive rates from 0 to 1, with the matching true-positive rates. */
  fpr: number[];
  tpr: number[];
  /** Score threshold of each point (score ≥ threshold counts as predicted positive). */
  thresholds: number[];
}

export interface PrecisionAtK {
  k: number;
  /** Share of positives among the k highest scores; ties at the cut count pro rata. */
  precision: number;
}

export interface RankingSummary {
  positives: number;
  negatives: number;
  /** NaN when either class is empty. */
  auc: number;
  roc: RocCurve;
  precisionAtK: PrecisionAtK[];
}

export interface RankingOptions {
  ks?: readonly number[];
  /** At most about this many ROC points (the curve's own corner points, evenly spaced by rank). */
  rocPoints?: number;
  /** Scores handled between two progress reports / abort checks. */
  chunkSize?: number;
  /**
   * Where the hot loops run: 'wasm' (default where WebAssembly exists; its SIMD scan where SIMD
   * validates), 'wasm-scalar' (WebAssembly without SIMD) or 'js'. Results are identical; the
   * choice is for tests and benchmarks.
   */
  engine?: 'wasm' | 'wasm-scalar' | 'js';
}

const INT32_MAX = 0x7fffffff;

/** Float value of an ordered key (see orderedKey in ranking.ts). */
export function keyToFloat(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

/**
 * A cosine run has ~26 M tie groups. The hot loops (ranking-passes.ts, and the WebAssembly scan)
 * therefore keep running sums themselves and hand them over with {@link settle}; they call
 * {@link group} only for groups that reach {@link limitAhead}, where a ROC point or the top-k
 * window may begin. A ROC point needs before − lastPoint ≥ pointEvery, which for integer ranks is
 * before ≥ lastPoint + ⌈pointEvery⌉; precision@k needs the group to end past m − k. `group`
 * re-tests the exact conditions, so a group handed over early changes nothing.
 */
export class GroupWalk {
  private twiceU = 0;
  private negativesBelow = 0;
  private positivesBelow = 0;
  private seen = 0;
  private readonly ks: number[];
  private readonly hits: number[];
  private readonly pointEvery: number;
  private lastPointAt = Number.NEGATIVE_INFINITY;
  /** Smallest `before` at which a ROC point may be due. */
  private nextPointAt = 0;
  /** Groups ending after this rank overlap some top-k window. */
  private readonly topFrom: number;
  private readonly points: { fpr: number; tpr: number; threshold: number }[] = [];

  constructor(private readonly m: number, private readonly positives: number, private readonly negatives: number, options: RankingOptions) {
    this.ks = [...(options.ks ?? [])];
    this.hits = this.ks.map(() => 0);
    this.pointEvery = m / Math.max(2, options.rocPoints ?? 500);
    this.topFrom = m - Math.max(0, ...this.ks);
  }

  /** One tie group: `pos` positives and `neg` negatives share the score of `key`. */
  group(key: number, pos: number, neg: number): void {
    // Exact in doubles while 2·P·N < 2⁵³.
    this.twiceU += 2 * pos * this.negativesBelow + pos * neg;
    const before = this.seen;
    const after = before + pos + neg;
    if (before >= this.nextPointAt || after > this.topFrom) this.rare(key, pos, neg, before, after);
    this.negativesBelow += neg;
    this.positivesBelow += pos;
    this.seen = after;
  }

  /**
   * Ranks from here within which no group needs {@link group}: a group whose end, counted from
   * here, stays below this needs only the sums of {@link settle}. Clamped to int32.
   */
  limitAhead(): number {
    return Math.max(-INT32_MAX, Math.min(INT32_MAX, Math.min(this.nextPointAt, this.topFrom + 1) - this.seen));
  }

  /**
   * Folds in groups walked elsewhere since the last hand-over: `negIn` negatives and `posIn`
   * positives, and inner = Σ pos·(2·negBefore + neg) with negBefore counted from the hand-over.
   * Their 2U share is then 2·negativesBelow·posIn + inner.
   */
  settle(negIn: number, posIn: number, inner: number): void {
    this.twiceU += 2 * posIn * this.negativesBelow + inner;
    this.negativesBelow += negIn;
    this.positivesBelow += posIn;
    this.seen += negIn + posIn;
  }

  private rare(key: number, pos: number, neg: number, before: number, after: number): void {
    this.ks.forEach((k, index) => {
      const overlap = Math.min(after, this.m) - Math.max(before, this.m - k);
      if (overlap > 0) this.hits[index] += (pos * overlap) / (pos + neg);
    });
    // Predicting "positive" for scores ≥ this group's score: the point at this threshold.
    if (before - this.lastPointAt >= this.pointEvery || before === 0) {
      this.points.push({
        fpr: (this.negatives - this.negativesBelow) / this.negatives,
        tpr: (this.positives - this.positivesBelow) / this.positives,
        threshold: keyToFloat(key),
      });
      this.lastPointAt = before;
      this.nextPointAt = before + Math.ceil(this.pointEvery);
    }
  }

  summary(): RankingSummary {
    const { positives, negatives } = this;
    const auc = positives === 0 || negatives === 0 ? Number.NaN : this.twiceU / (2 * positives * negatives);
    const points = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }, ...this.points.reverse()];
    return {
      positives,
      negatives,
      auc,
      roc: { fpr: points.map((p) => p.fpr), tpr: points.map((p) => p.tpr), thresholds: points.map((p) => p.threshold) },
      precisionAtK: this.ks.map((k, index) => ({ k, precision: k > 0 ? this.hits[index] / Math.min(k, this.m) : Number.NaN })),
    };
  }
}
