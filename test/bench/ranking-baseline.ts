import type { RankingOptions, RankingSummary } from '../../src/core/forecast/ranking';

/**
 * Benchmark baseline only: the exact radix AUC of src/core/forecast/ranking.ts as it was before
 * the counting pass 3, frozen here so that test/bench/forecast.bench.ts can time "before" and
 * "after" side by side in one run. Same algorithm and results; not used by the app.
 */
const HIGH_BUCKETS = 1 << 16;
/** Buckets up to this size are sorted; larger ones are counted with a 2×65,536 histogram. */
const SORT_LIMIT = 1 << 16;
const DEFAULT_CHUNK = 1 << 20;

/** Unsigned key with the numeric order of the float32 whose bits are `bits`; -0 maps like +0. */
function orderedKey(bits: number): number {
  if (bits === 0x80000000) return 0x80000000;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

function keyToFloat(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

export function rankScoresBaseline(scores: Float32Array, labels: Uint8Array, options: RankingOptions = {}): RankingSummary {
  const steps = rankingSteps(scores, labels, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Yields the number of score visits done so far (3 per score in all). */
function* rankingSteps(scores: Float32Array, labels: Uint8Array, options: RankingOptions): Generator<number, RankingSummary> {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const m = scores.length;
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, m);

  // Pass 1: bucket sizes and class sizes.
  const bucketSize = new Uint32Array(HIGH_BUCKETS);
  let positives = 0;
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    for (let s = start; s < end; s++) {
      if ((bits[s] & 0x7fffffff) > 0x7f800000) throw new RangeError(`score ${s} is NaN`);
      bucketSize[orderedKey(bits[s]) >>> 16]++;
      if (labels[s]) positives++;
    }
    yield end;
  }
  const negatives = m - positives;

  // Pass 2: scatter (low 16 bits << 1 | label) into bucket slices.
  const bucketStart = new Uint32Array(HIGH_BUCKETS + 1);
  for (let b = 0; b < HIGH_BUCKETS; b++) bucketStart[b + 1] = bucketStart[b] + bucketSize[b];
  const cursor = bucketStart.slice(0, HIGH_BUCKETS);
  const scattered = new Uint32Array(m);
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    for (let s = start; s < end; s++) {
      const key = orderedKey(bits[s]);
      scattered[cursor[key >>> 16]++] = ((key & 0xffff) << 1) | (labels[s] ? 1 : 0);
    }
    yield m + end;
  }

  // Pass 3: tie groups in ascending score order.
  const walk = new GroupWalk(m, positives, negatives, options);
  const lowNeg = new Uint32Array(HIGH_BUCKETS);
  const lowPos = new Uint32Array(HIGH_BUCKETS);
  let visited = 0;
  let sinceYield = 0;
  for (let b = 0; b < HIGH_BUCKETS; b++) {
    const size = bucketSize[b];
    if (size === 0) continue;
    const slice = scattered.subarray(bucketStart[b], bucketStart[b + 1]);
    const high = b << 16;
    if (size <= SORT_LIMIT) {
      slice.sort();
      for (let a = 0; a < size;) {
        const low = slice[a] >>> 1;
        let neg = 0;
        let pos = 0;
        for (; a < size && slice[a] >>> 1 === low; a++) {
          if (slice[a] & 1) pos++;
          else neg++;
        }
        walk.group((high | low) >>> 0, pos, neg);
      }
    } else {
      lowNeg.fill(0);
      lowPos.fill(0);
      for (let a = 0; a < size; a++) {
        if (slice[a] & 1) lowPos[slice[a] >>> 1]++;
        else lowNeg[slice[a] >>> 1]++;
      }
      for (let low = 0; low < HIGH_BUCKETS; low++) {
        if (lowPos[low] + lowNeg[low] > 0) walk.group((high | low) >>> 0, lowPos[low], lowNeg[low]);
      }
    }
    visited += size;
    sinceYield += size;
    if (sinceYield >= chunk) {
      sinceYield = 0;
      yield 2 * m + visited;
    }
  }
  return walk.summary();
}

/** Accumulates AUC, ROC points and precision@k over tie groups given in ascending score order. */
class GroupWalk {
  private twiceU = 0;
  private negativesBelow = 0;
  private positivesBelow = 0;
  private seen = 0;
  private readonly ks: number[];
  private readonly hits: number[];
  private readonly pointEvery: number;
  private lastPointAt = Number.NEGATIVE_INFINITY;
  private readonly points: { fpr: number; tpr: number; threshold: number }[] = [];

  constructor(private readonly m: number, private readonly positives: number, private readonly negatives: number, options: RankingOptions) {
    this.ks = [...(options.ks ?? [])];
    this.hits = this.ks.map(() => 0);
    this.pointEvery = m / Math.max(2, options.rocPoints ?? 500);
  }

  group(key: number, pos: number, neg: number): void {
    this.twiceU += 2 * pos * this.negativesBelow + pos * neg;
    const before = this.seen;
    const after = before + pos + neg;
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
    }
    this.negativesBelow += neg;
    this.positivesBelow += pos;
    this.seen = after;
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
