/**
 * How token sequences are grouped into padded batches for the encoder. Pure: no ONNX here, so the
 * plan is tested on its own.
 */
export interface Batch {
  /** Indices into the sequences, in the order they sit in the batch. */
  rows: number[];
  /** Padded length of every row of this batch. */
  seqLen: number;
}

export interface BatchOptions {
  /** Most sequences per batch. */
  maxBatch: number;
  /**
   * Most positions (rows × seqLen) per batch: long texts get smaller batches, so attention's
   * batch × heads × seqLen² scores stay a few MB instead of hundreds at 256 tokens.
   */
  tokenBudget: number;
  /**
   * Padded lengths are rounded up to a multiple of this. 1 on WASM/CPU (exact lengths, no wasted
   * work); 16 on WebGPU, whose kernels compile per input shape (seconds each on SwiftShader), so
   * fewer distinct lengths are worth the masked-out positions.
   */
  bucket: number;
  /**
   * Start a new batch rather than let padding exceed this share of a batch's positions (once it
   * holds `minRows`): a few long texts must not pad a batch of short ones to their length.
   * Default 1 (never): WebGPU prefers fewer, larger shapes.
   */
  maxPadding?: number;
  minRows?: number;
}

/**
 * Sequences sorted by length (stable), cut into batches that respect both limits. Sorting keeps
 * the padding of each batch small; callers scatter the results back to input order.
 */
export function planBatches(lengths: number[], options: BatchOptions): Batch[] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const bucket = Math.max(1, Math.floor(options.bucket));
  const padded = (length: number) => Math.ceil(Math.max(length, 1) / bucket) * bucket;
  const maxPadding = options.maxPadding ?? 1;
  const minRows = options.minRows ?? 1;
  const batches: Batch[] = [];
  let rows: number[] = [];
  let real = 0;
  for (const index of order) {
    // Sorted ascending, so the newest row is the longest: it sets the batch's padded length.
    const seqLen = padded(lengths[index]);
    const positions = (rows.length + 1) * seqLen;
    const full = rows.length >= options.maxBatch || positions > options.tokenBudget
      || (rows.length >= minRows && 1 - (real + lengths[index]) / positions > maxPadding);
    if (rows.length > 0 && full) {
      batches.push({ rows, seqLen: padded(lengths[rows[rows.length - 1]]) });
      rows = [];
      real = 0;
    }
    rows.push(index);
    real += lengths[index];
  }
  if (rows.length > 0) batches.push({ rows, seqLen: padded(lengths[rows[rows.length - 1]]) });
  return batches;
}

/** input_ids and attention_mask of one batch, right-padded with 0. */
export function batchTensors(sequences: number[][], batch: Batch): { inputIds: BigInt64Array; mask: BigInt64Array } {
  const { rows, seqLen } = batch;
  const inputIds = new BigInt64Array(rows.length * seqLen);
  const mask = new BigInt64Array(rows.length * seqLen);
  rows.forEach((index, row) => {
    const ids = sequences[index];
    for (let t = 0; t < ids.length; t++) {
      inputIds[row * seqLen + t] = BigInt(ids[t]);
      mask[row * seqLen + t] = 1n;
    }
  });
  return { inputIds, mask };
}

/** Share of padded positions over all batches. */
export function paddingFraction(lengths: number[], batches: Batch[]): number {
  let positions = 0;
  let real = 0;
  for (const batch of batches) {
    positions += batch.rows.length * batch.seqLen;
    for (const row of batch.rows) real += lengths[row];
  }
  return positions === 0 ? 0 : (positions - real) / positions;
}

/** Bytes one activation (positions × width × 4) of a batch may take on WASM/CPU, by thread count. */
const ACTIVATION_BYTES_THREADED = 6 * 1024 * 1024;
const ACTIVATION_BYTES_SINGLE = 2 * 1024 * 1024;
const MIN_POSITIONS = 256;
const MAX_POSITIONS = 16384;

/**
 * How an encoder's batches are cut on a backend. `width` is the model's widest activation per
 * position (its FFN size). Measured in Chromium on 2 cores (test/bench/embed-browser.bench.ts):
 * threads pay off only when each operator has enough work to share, so threaded batches are large
 * (~100 demo patents for the bundled encoder: 2.4× the one-at-a-time loop, where batches of 25
 * gained nothing from the second thread); but an activation beyond ~6 MB leaves the cache and a
 * MiniLM-sized encoder ran ~2× slower on 2 threads at 4× that size. One thread prefers smaller
 * batches still. WebGPU keeps the earlier shape-friendly plan: 32 texts, lengths in steps of 16.
 */
export function batchOptionsFor(device: 'webgpu' | 'wasm' | 'cpu', threads: number, width: number, maxBatch?: number): BatchOptions {
  if (device === 'webgpu') return { maxBatch: maxBatch ?? 32, tokenBudget: 4096, bucket: 16 };
  const bytes = threads > 1 ? ACTIVATION_BYTES_THREADED : ACTIVATION_BYTES_SINGLE;
  const positions = Math.floor(bytes / (4 * Math.max(1, width)));
  return {
    maxBatch: maxBatch ?? 512,
    tokenBudget: Math.min(MAX_POSITIONS, Math.max(MIN_POSITIONS, positions)),
    bucket: 1,
    maxPadding: 0.1,
    minRows: 4,
  };
}
