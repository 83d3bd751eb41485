import { throwIfAborted, type TaskOptions } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';

/**
 * Exact ROC AUC (ties count one half, as `rocAuc` in src/core/auc.ts), ROC curve and precision@k
 * of float32 scores, in O(n) time and without sorting all scores at once: a two-digit radix pass
 * over each score's 32-bit pattern, mapped to an unsigned key whose order is the numeric order.
 *
 *   pass 1  histogram of the high 16 bits of every key (65,536 buckets)
 *   pass 2  scatter (low 16 bits, label) of every score into its bucket's slice of one array
 *   pass 3  buckets in ascending order; inside a bucket, group equal keys and walk the tie
 *           groups from the lowest score up. Small buckets are sorted; larger ones are counted
 *           in a 65,536-entry table indexed by the low 16 bits, then read in key order. Cosine
 *           scores put ~30 K scores in each of a few thousand buckets, where counting
 *           (one increment per score, one read per key) is ~5× cheaper than sorting.
 *
 * Two scores tie exactly when their keys are equal, so the walk sees every tie group whole, and
 * 2U = Σ_groups (2·pos·negativesBelow + pos·neg) is accumulated in integers (exact while
 * 2·P·N < 2⁵³). AUC = 2U / (2PN) is then bit-identical to rocAuc's U / (PN).
 * Each pass runs in chunks, so a worker can report progress and stop on abort between chunks.
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
}

const HIGH_BUCKETS = 1 << 16;
/**
 * Buckets up to this size are sorted (O(s log s), no table to read); larger ones are counted
 * (O(s) plus a 65,536-entry read). Measured crossover on cosine scores: ~2–4 K scores.
 */
const SORT_LIMIT = 1024;
/** Below this size no count reaches 2¹⁶, so one Uint32 holds both: positives << 16 | negatives. */
const PACKED_LIMIT = 1 << 16;
const DEFAULT_CHUNK = 1 << 20;

/** Unsigned key with the numeric order of the float32 whose bits are `bits`; -0 maps like +0. */
export function orderedKey(bits: number): number {
  if (bits === 0x80000000) return 0x80000000;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

function keyToFloat(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

/** Synchronous run (tests, CLI). */
export function rankScores(scores: Float32Array, labels: Uint8Array, options: RankingOptions = {}): RankingSummary {
  const steps = rankingSteps(scores, labels, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Chunked run that yields to the event loop between chunks, reports progress and honours aborts. */
export async function rankScoresChunked(
  scores: Float32Array,
  labels: Uint8Array,
  options: RankingOptions & TaskOptions = {},
  onProgress?: ProgressCallback,
): Promise<RankingSummary> {
  const tracker = new ProgressTracker('aggregate', 'rows', 3 * scores.length, onProgress);
  const steps = rankingSteps(scores, labels, options);
  for (;;) {
    throwIfAborted(options.signal);
    const step = steps.next();
    if (step.done) {
      tracker.finish();
      return step.value;
    }
    tracker.report(step.value);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Bucket of a float32 bit pattern in key order (the high 16 bits of its orderedKey), without a
 * data-dependent branch: half of all cosines are negative, and a branch on the sign mispredicts
 * on every other score. x ^ ((x >> 31) | 2³¹) flips all bits of a negative and only the sign bit of
 * a positive; -0 (a predictable, rarely taken test) is first made +0 so that it ties with it.
 */
function bucketOf(bits: number): number {
  const x = bits === 0x80000000 ? 0 : bits | 0;
  return (x ^ ((x >> 31) | 0x80000000)) >>> 16;
}

/** The low 16 bits of orderedKey(bits), branch-free as in bucketOf. */
function lowOf(bits: number): number {
  const x = bits === 0x80000000 ? 0 : bits | 0;
  return (x ^ (x >> 31)) & 0xffff;
}

/** 1 for a non-zero label byte, else 0, without a branch (labels may be 50:50 at random). */
function labelBit(label: number): number {
  return (label + 255) >> 8;
}

/** Yields the number of score visits done so far (3 per score in all). */
export function* rankingSteps(scores: Float32Array, labels: Uint8Array, options: RankingOptions): Generator<number, RankingSummary> {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const m = scores.length;
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, m);

  // Pass 1: sizes of (bucket, class) cells, entry 2·bucket + label.
  const cellSize = new Uint32Array(2 * HIGH_BUCKETS);
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    countCells(bits, labels, start, end, cellSize);
    yield end;
  }
  let positives = 0;
  for (let b = 0; b < HIGH_BUCKETS; b++) positives += cellSize[2 * b + 1];
  const negatives = m - positives;

  // Pass 2: scatter the low 16 bits of each key into its cell (a bucket's negatives, then its
  // positives): the label is implied by the slot, so 2 bytes per score instead of 4.
  const cellStart = new Uint32Array(2 * HIGH_BUCKETS + 1);
  for (let i = 0; i < 2 * HIGH_BUCKETS; i++) cellStart[i + 1] = cellStart[i] + cellSize[i];
  const cursor = cellStart.slice(0, 2 * HIGH_BUCKETS);
  const scattered = new Uint16Array(m);
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    scatterCells(bits, labels, start, end, cursor, scattered);
    yield m + end;
  }

  // Pass 3: tie groups in ascending score order.
  const walk = new GroupWalk(m, positives, negatives, options);
  const counts = new Uint32Array(HIGH_BUCKETS);
  const wide = new Uint32Array(HIGH_BUCKETS);
  let visited = 0;
  let sinceYield = 0;
  for (let b = 0; b < HIGH_BUCKETS; b++) {
    const size = cellSize[2 * b] + cellSize[2 * b + 1];
    if (size === 0) continue;
    const neg = scattered.subarray(cellStart[2 * b], cellStart[2 * b + 1]);
    const pos = scattered.subarray(cellStart[2 * b + 1], cellStart[2 * b + 2]);
    const high = b << 16;
    if (size <= SORT_LIMIT) walkSorted(walk, neg, pos, high);
    else if (size < PACKED_LIMIT) walkPacked(walk, neg, pos, high, counts);
    else walkCounted(walk, neg, pos, high, counts, wide);
    visited += size;
    sinceYield += size;
    if (sinceYield >= chunk) {
      sinceYield = 0;
      yield 2 * m + visited;
    }
  }
  return walk.summary();
}

/** Pass 1 over scores [start, end): cell sizes; throws on the first NaN. */
function countCells(bits: Uint32Array, labels: Uint8Array, start: number, end: number, cellSize: Uint32Array): void {
  let nan = false;
  for (let s = start; s < end; s++) {
    const x = bits[s];
    nan ||= (x & 0x7fffffff) > 0x7f800000;
    cellSize[(bucketOf(x) << 1) | labelBit(labels[s])]++;
  }
  if (!nan) return;
  for (let s = start; s < end; s++) if ((bits[s] & 0x7fffffff) > 0x7f800000) throw new RangeError(`score ${s} is NaN`);
}

/** Pass 2 over scores [start, end). */
function scatterCells(bits: Uint32Array, labels: Uint8Array, start: number, end: number, cursor: Uint32Array, scattered: Uint16Array): void {
  for (let s = start; s < end; s++) {
    const x = bits[s];
    scattered[cursor[(bucketOf(x) << 1) | labelBit(labels[s])]++] = lowOf(x);
  }
}

/** Tie groups of a small bucket: sort each class's lows, then merge the two runs in key order. */
function walkSorted(walk: GroupWalk, neg: Uint16Array, pos: Uint16Array, high: number): void {
  neg.sort();
  pos.sort();
  let i = 0;
  let j = 0;
  while (i < neg.length || j < pos.length) {
    const low = Math.min(i < neg.length ? neg[i] : HIGH_BUCKETS, j < pos.length ? pos[j] : HIGH_BUCKETS);
    const i0 = i;
    const j0 = j;
    while (i < neg.length && neg[i] === low) i++;
    while (j < pos.length && pos[j] === low) j++;
    walk.group((high | low) >>> 0, j - j0, i - i0);
  }
}

/**
 * Tie groups of a bucket of fewer than 2¹⁶ scores by counting: counts[low] gains 1 per negative
 * and 2¹⁶ per positive; GroupWalk.scanPacked then reads the table in key order and clears it.
 */
function walkPacked(walk: GroupWalk, neg: Uint16Array, pos: Uint16Array, high: number, counts: Uint32Array): void {
  for (let a = 0; a < neg.length; a++) counts[neg[a]]++;
  for (let a = 0; a < pos.length; a++) counts[pos[a]] += 0x10000;
  walk.scanPacked(counts, high);
}

/** As walkPacked, with separate tables for a bucket of 2¹⁶ or more scores (rare: huge ties). */
function walkCounted(walk: GroupWalk, neg: Uint16Array, pos: Uint16Array, high: number, negCount: Uint32Array, posCount: Uint32Array): void {
  for (let a = 0; a < neg.length; a++) negCount[neg[a]]++;
  for (let a = 0; a < pos.length; a++) posCount[pos[a]]++;
  for (let low = 0; low < HIGH_BUCKETS; low++) {
    if (negCount[low] + posCount[low] === 0) continue;
    walk.group((high | low) >>> 0, posCount[low], negCount[low]);
    negCount[low] = 0;
    posCount[low] = 0;
  }
}

/**
 * Accumulates AUC, ROC points and precision@k over tie groups given in ascending score order.
 * A cosine run has ~26 M groups, so `group` keeps to the AUC sums and hands a group to `rare`
 * only where a ROC point or the top-k window may begin: a ROC point needs before − lastPoint ≥
 * pointEvery, which for integer ranks is before ≥ lastPoint + ⌈pointEvery⌉; precision@k needs
 * the group to end past m − k. `rare` re-tests the exact conditions, so results are unchanged.
 */
class GroupWalk {
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
   * Walks one packed count table (positives << 16 | negatives per low key) of a bucket of fewer
   * than 2¹⁶ scores in key order, zeroing it. About half the keys of a dense bucket are empty, at
   * random, so a test per key would mispredict on every other one; instead every key goes
   * through the same integer arithmetic, where an empty key adds zeros. The group's share of 2U,
   * 2·pos·(negBelow + negIn) + pos·neg with negIn the bucket's negatives below it, splits into
   * 2·negBelow·Σpos (once per bucket) and Σ pos·(2·negIn + neg) < 2·P_b·N_b < 2³¹, an int32
   * sum with 1-cycle adds instead of a chain of float adds. Only a key where a ROC point or the
   * top-k window may begin goes to {@link group}, after the sums are handed over.
   */
  scanPacked(counts: Uint32Array, high: number): void {
    let negIn = 0;
    let posIn = 0;
    let inner = 0;
    let nextIn = this.nextPointAt - this.seen;
    let topIn = this.topFrom - this.seen;
    for (let low = 0; low < HIGH_BUCKETS; low++) {
      const count = counts[low];
      counts[low] = 0;
      const pos = count >>> 16;
      const neg = count & 0xffff;
      if ((negIn + posIn >= nextIn || negIn + posIn + pos + neg > topIn) && count !== 0) {
        this.settle(negIn, posIn, inner);
        this.group((high | low) >>> 0, pos, neg);
        negIn = 0;
        posIn = 0;
        inner = 0;
        nextIn = this.nextPointAt - this.seen;
        topIn = this.topFrom - this.seen;
        continue;
      }
      inner += pos * (2 * negIn + neg);
      negIn += neg;
      posIn += pos;
    }
    this.settle(negIn, posIn, inner);
  }

  /** Folds a bucket's partial sums (see scanPacked) into the walk's totals. */
  private settle(negIn: number, posIn: number, inner: number): void {
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
