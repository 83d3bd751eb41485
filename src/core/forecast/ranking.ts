import { throwIfAborted, type TaskOptions } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';
import { wasmRankingSupported, WasmRankingPasses } from '../fast-cosine/ranking-wasm';
import { HIGH_BUCKETS, JsRankingPasses, walkSorted, walkWide, type RankingPasses } from './ranking-passes';
import { GroupWalk, type RankingOptions, type RankingSummary } from './ranking-walk';

export type { PrecisionAtK, RankingOptions, RankingSummary, RocCurve } from './ranking-walk';

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
 * The per-score loops run in WebAssembly where it exists (ranking-wasm.ts, ~2× the plain-JS
 * loops of ranking-passes.ts, which remain the fallback); both give identical results.
 */
/**
 * Buckets up to this size are sorted (O(s log s), no table to read); larger ones are counted
 * (O(s) plus a 65,536-entry read). Measured crossover on cosine scores: ~1–4 K scores.
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

/** Below this many scores the default engine is JS: a wasm instance and memory cost more than they save. */
const WASM_MIN_SCORES = 1 << 16;

function createPasses(bits: Uint32Array, labels: Uint8Array, engine: RankingOptions['engine']): RankingPasses {
  const js = engine === 'js' || (engine === undefined && (bits.length < WASM_MIN_SCORES || !wasmRankingSupported()));
  if (js) return new JsRankingPasses(bits, labels);
  try {
    return new WasmRankingPasses(bits, labels, engine === 'wasm-scalar' ? false : undefined);
  } catch (error) {
    // A tab short of address space can refuse a large wasm memory: the JS loops need no more.
    if (engine === undefined && error instanceof RangeError) return new JsRankingPasses(bits, labels);
    throw error;
  }
}

function isNaNPattern(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

/** Yields the number of score visits done so far (3 per score in all). */
export function* rankingSteps(scores: Float32Array, labels: Uint8Array, options: RankingOptions): Generator<number, RankingSummary> {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const m = scores.length;
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, m);
  const passes = createPasses(bits, labels, options.engine);

  // Pass 1: sizes of (bucket, class) cells, entry 2·bucket + label.
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    if (passes.count(start, end)) {
      for (let s = start; s < end; s++) if (isNaNPattern(bits[s])) throw new RangeError(`score ${s} is NaN`);
    }
    yield end;
  }
  const { cellSize } = passes;
  let positives = 0;
  for (let b = 0; b < HIGH_BUCKETS; b++) positives += cellSize[2 * b + 1];
  const negatives = m - positives;

  // Pass 2: scatter the low 16 bits of each key into its cell (a bucket's negatives, then its
  // positives): the label is implied by the slot, so 2 bytes per score instead of 4.
  const cellStart = new Uint32Array(2 * HIGH_BUCKETS + 1);
  for (let i = 0; i < 2 * HIGH_BUCKETS; i++) cellStart[i + 1] = cellStart[i] + cellSize[i];
  passes.startScatter(cellStart);
  for (let start = 0; start < m; start += chunk) {
    const end = Math.min(m, start + chunk);
    passes.scatter(start, end);
    yield m + end;
  }

  // Pass 3: tie groups in ascending score order.
  const walk = new GroupWalk(m, positives, negatives, options);
  const { scattered } = passes;
  let wide: [Uint32Array, Uint32Array] | undefined;
  let visited = 0;
  let sinceYield = 0;
  for (let b = 0; b < HIGH_BUCKETS; b++) {
    const size = cellSize[2 * b] + cellSize[2 * b + 1];
    if (size === 0) continue;
    const [negFrom, posFrom, posEnd] = [cellStart[2 * b], cellStart[2 * b + 1], cellStart[2 * b + 2]];
    const high = b << 16;
    if (size <= SORT_LIMIT) {
      walkSorted(walk, scattered.subarray(negFrom, posFrom), scattered.subarray(posFrom, posEnd), high);
    } else if (size < PACKED_LIMIT) {
      passes.walkPacked(walk, negFrom, posFrom, posEnd, high);
    } else {
      wide ??= [new Uint32Array(HIGH_BUCKETS), new Uint32Array(HIGH_BUCKETS)];
      walkWide(walk, scattered.subarray(negFrom, posFrom), scattered.subarray(posFrom, posEnd), high, ...wide);
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
