import type { GroupWalk } from './ranking-walk';

/**
 * The per-score loops of the exact radix AUC (ranking.ts), behind one interface so that the
 * WebAssembly backend (src/core/fast-cosine/ranking-wasm.ts) and this plain-JS one are
 * interchangeable and give identical results. ranking.ts runs the passes in order:
 *   count(…) over all scores → cellSize; startScatter(cellStart); scatter(…) over all scores →
 *   scattered; then per bucket walkPacked, or the shared walkSorted / walkWide on `scattered`.
 *
 * A cell is (bucket, class), index 2·bucket + label; cells of a bucket are adjacent, negatives
 * first, so `scattered` holds each bucket's negative lows, then its positive lows.
 */
export interface RankingPasses {
  /** 2 × 65,536 cell sizes, filled by {@link count}. */
  readonly cellSize: Uint32Array;
  /** Low 16 bits of every key, in cell order once all of {@link scatter} has run. */
  readonly scattered: Uint16Array;
  /** Pass 1 over scores [start, end): adds to cellSize; true if a NaN was seen. */
  count(start: number, end: number): boolean;
  /** Before pass 2: where each cell begins in `scattered` (2·65,536 + 1 entries). */
  startScatter(cellStart: Uint32Array): void;
  /** Pass 2 over scores [start, end). */
  scatter(start: number, end: number): void;
  /** Pass 3 for a bucket of fewer than 2¹⁶ scores: negatives at [negFrom, posFrom), positives up to posEnd. */
  walkPacked(walk: GroupWalk, negFrom: number, posFrom: number, posEnd: number, high: number): void;
}

export const HIGH_BUCKETS = 1 << 16;

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

export class JsRankingPasses implements RankingPasses {
  readonly cellSize = new Uint32Array(2 * HIGH_BUCKETS);
  readonly scattered: Uint16Array;
  private cursor = new Uint32Array(0);
  private readonly counts = new Uint32Array(HIGH_BUCKETS);

  constructor(private readonly bits: Uint32Array, private readonly labels: Uint8Array) {
    this.scattered = new Uint16Array(bits.length);
  }

  count(start: number, end: number): boolean {
    const { bits, labels, cellSize } = this;
    let nan = false;
    for (let s = start; s < end; s++) {
      const x = bits[s];
      nan ||= (x & 0x7fffffff) > 0x7f800000;
      cellSize[(bucketOf(x) << 1) | labelBit(labels[s])]++;
    }
    return nan;
  }

  startScatter(cellStart: Uint32Array): void {
    this.cursor = cellStart.slice(0, 2 * HIGH_BUCKETS);
  }

  scatter(start: number, end: number): void {
    const { bits, labels, cursor, scattered } = this;
    for (let s = start; s < end; s++) {
      const x = bits[s];
      scattered[cursor[(bucketOf(x) << 1) | labelBit(labels[s])]++] = lowOf(x);
    }
  }

  /**
   * Counts the bucket's lows in one table, 1 per negative and 2¹⁶ per positive (no count can
   * reach 2¹⁶), then reads it in key order, zeroing it for the next bucket. About half the keys of
   * a dense bucket are empty, at random, so a test per key would mispredict on every other one:
   * every key goes through the same integer arithmetic, an empty one adding zeros, and the running
   * sums (Σ pos·(2·negBefore + neg) < 2·P·N < 2³¹, int32) go to the walk only where a group
   * reaches walk.limitAhead().
   */
  walkPacked(walk: GroupWalk, negFrom: number, posFrom: number, posEnd: number, high: number): void {
    const { scattered, counts } = this;
    for (let a = negFrom; a < posFrom; a++) counts[scattered[a]]++;
    for (let a = posFrom; a < posEnd; a++) counts[scattered[a]] += 0x10000;
    let limit = walk.limitAhead();
    let negIn = 0;
    let posIn = 0;
    let inner = 0;
    for (let low = 0; low < HIGH_BUCKETS; low++) {
      const count = counts[low];
      counts[low] = 0;
      const pos = count >>> 16;
      const neg = count & 0xffff;
      if (negIn + posIn + pos + neg >= limit && count !== 0) {
        walk.settle(negIn, posIn, inner);
        walk.group((high | low) >>> 0, pos, neg);
        negIn = 0;
        posIn = 0;
        inner = 0;
        limit = walk.limitAhead();
        continue;
      }
      inner += pos * (2 * negIn + neg);
      negIn += neg;
      posIn += pos;
    }
    walk.settle(negIn, posIn, inner);
  }
}

/** Tie groups of a small bucket: sort each class's lows, then merge the two runs in key order. */
export function walkSorted(walk: GroupWalk, neg: Uint16Array, pos: Uint16Array, high: number): void {
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

/** Tie groups of a bucket of 2¹⁶ or more scores (rare: huge ties), with a table per class. */
export function walkWide(walk: GroupWalk, neg: Uint16Array, pos: Uint16Array, high: number, negCount: Uint32Array, posCount: Uint32Array): void {
  for (let a = 0; a < neg.length; a++) negCount[neg[a]]++;
  for (let a = 0; a < pos.length; a++) posCount[pos[a]]++;
  for (let low = 0; low < HIGH_BUCKETS; low++) {
    if (negCount[low] + posCount[low] === 0) continue;
    walk.group((high | low) >>> 0, posCount[low], negCount[low]);
    negCount[low] = 0;
    posCount[low] = 0;
  }
}
