/**
 * Stage 1 of patent → BREF section matching on the GPU: the GPU twin of crossTopK
 * (src/core/prefilter/cross-topk.ts). Same result shape, tie rule (lower index first among equal
 * scores, in both directions) and padding (index −1, score −Infinity); k ≤ TOPK_MAX_K (32).
 *
 * Sections are uploaded and normalised once; patents go up one row block at a time, so neither
 * the P × S score matrix nor all patents ever sit on the GPU, and only top-k lists come back.
 *
 * The per-section direction. Two ways were weighed, at the seed's scale (P = 650,000,
 * S = 4,212, 384 dimensions, k = 10); both score every pair twice, once per orientation, because
 * topk_rows ranks along rows only and reading the scores back to rank them on the CPU would move
 * the whole 11 GB matrix over the bus and sweep it in one JS thread (the CPU twin's own cost):
 * - a second pass with the roles swapped (sections block × all patents) needs every patent in
 *   one storage binding (1 GB at 384 dimensions; WebGPU promises 128 MiB, many adapters cap it
 *   below 1 GB), and a 64 MiB chunk of 650,000-column rows holds 25 sections, so each topk_rows
 *   dispatch runs 25 invocations that each scan 650,000 scores serially: ~170 nearly idle
 *   dispatches;
 * - per patent block, the transposed tile (all sections × the block) ranked by topk_rows gives
 *   every section's best k patents within the block, all S = 4,212 rows in one dispatch, each
 *   scanning only the block's columns; merging those S × k candidates into the running lists on
 *   the CPU costs (P / block) × S × k inserts, 7 M in all (164 blocks of
 *   3,968 patents), and 55 MB of read-back.
 * This file does the second. It is exact: a patent in a section's global top-k is beaten by fewer
 * than k patents overall, so by fewer than k within its block, so it is in the block's list; the
 * blocks arrive in ascending patent order and an equal score never displaces an earlier entry,
 * so the tie rule carries through the merge. Both orientations are scored by the same kernel
 * (dot(a, b) against dot(b, a)); should a device round them apart, a pair's score could differ in
 * the last bit between its patent's and its section's list.
 */
import { insertSorted, type CrossTopK } from '../core/prefilter/cross-topk';
import { assertMatrix, type TopK } from '../core/similarity';
import { assertFitsBinding, BufferOwner, padRowsToVec4, throwIfAborted } from './buffers';
import { CosineTileKernel } from './kernels/cosine-tile';
import { NormalizeRowsKernel } from './kernels/normalize-rows';
import { finishTopKScores, TOPK_MAX_K, TopkRowsKernel } from './kernels/topk-rows';
import { gpuChunkRows } from './similarity-gpu';

const BYTES_PER_F32 = 4;
const FLOATS_PER_VEC4 = 4;

export interface GpuCrossTopKOptions {
  /** Entries per patent list and per section list (default 10, at most TOPK_MAX_K). */
  k?: number;
  /** Checked before each block; an abort rejects with DOMException('Aborted', 'AbortError'). */
  signal?: AbortSignal;
  /**
   * Patent rows finished (in both directions) of all, after each block: the CPU twin's count, so
   * a caller can swap one path for the other.
   */
  onProgress?: (done: number, total: number) => void;
  /** Cap on one block's score buffer in bytes (default 64 MiB); at least one patent row per block. */
  maxChunkBytes?: number;
  /** Rows are already unit length: skip the GPU normalisation (as crossTopK's `normalized`). */
  normalized?: boolean;
}

/**
 * Top-k sections per patent and top-k patents per section by cosine similarity, like crossTopK.
 * Rows need not be normalised; zero rows score 0 against everything. Values must be finite (the
 * kernels may assume finite maths): a NaN or infinity is a RangeError naming its row.
 */
export async function gpuCrossTopK(
  device: GPUDevice,
  patents: Float32Array,
  patentRows: number,
  sections: Float32Array,
  sectionRows: number,
  dim: number,
  options: GpuCrossTopKOptions = {},
): Promise<CrossTopK> {
  assertMatrix('patents', patents, patentRows, dim);
  assertMatrix('sections', sections, sectionRows, dim);
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 0 || k > TOPK_MAX_K) {
    throw new RangeError(
      `GPU cross top-k supports integer k from 0 to ${TOPK_MAX_K} (MAX_K in shaders/topk_rows.wgsl), ` +
        `got ${k}; use the CPU crossTopK for larger k`,
    );
  }
  throwIfAborted(options.signal);
  const perPatent = emptyTopK(patentRows, k);
  const perSection = emptyTopK(sectionRows, k);
  if (patentRows === 0 || sectionRows === 0 || k === 0) {
    options.onProgress?.(patentRows, patentRows);
    return { perPatent, perSection };
  }
  assertFinite('sections', sections, dim);

  const vec4sPerRow = Math.ceil(dim / FLOATS_PER_VEC4);
  const paddedRowBytes = vec4sPerRow * FLOATS_PER_VEC4 * BYTES_PER_F32;
  assertFitsBinding(device, 'sections', sectionRows * paddedRowBytes);
  // A block's patent rows must fit the same caps as its blockRows × S scores: size the block
  // by the wider of the two rows.
  const chunkRows = gpuChunkRows(patentRows, Math.max(sectionRows, vec4sPerRow * FLOATS_PER_VEC4), device.limits, options.maxChunkBytes);
  const patentTopBytes = chunkRows * k * BYTES_PER_F32;
  const sectionTopBytes = sectionRows * k * BYTES_PER_F32;
  const owned = new BufferOwner(device);
  const normalize = await NormalizeRowsKernel.create(device);
  const cosine = await CosineTileKernel.create(device);
  const topk = await TopkRowsKernel.create(device);
  try {
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage;
    const unitSections = owned.upload('cross sections', padRowsToVec4(sections, sectionRows, dim, vec4sPerRow), STORAGE);
    const block = owned.create('cross patent block', chunkRows * paddedRowBytes, STORAGE | COPY_DST);
    // One score buffer serves both orientations in turn: passes in one encoder run in order.
    const scores = owned.create('cross scores', chunkRows * sectionRows * BYTES_PER_F32, STORAGE);
    const patentIndices = owned.create('cross patent top indices', patentTopBytes, STORAGE | COPY_SRC);
    const patentScores = owned.create('cross patent top scores', patentTopBytes, STORAGE | COPY_SRC);
    const sectionIndices = owned.create('cross section top indices', sectionTopBytes, STORAGE | COPY_SRC);
    const sectionScores = owned.create('cross section top scores', sectionTopBytes, STORAGE | COPY_SRC);
    const staging = owned.create('cross read-back', 2 * (patentTopBytes + sectionTopBytes), MAP_READ | COPY_DST);
    if (!options.normalized) {
      const encoder = device.createCommandEncoder({ label: 'cross normalise sections' });
      normalize.encode(encoder, { rows: unitSections, rowCount: sectionRows, vec4sPerRow });
      device.queue.submit([encoder.finish()]);
    }

    const sectionFilled = new Int32Array(sectionRows);
    // One host copy of a padded block, reused: it also gives writeBuffer a plain ArrayBuffer view
    // whatever buffer the caller's patents live in.
    const paddedDim = vec4sPerRow * FLOATS_PER_VEC4;
    const host = new Float32Array(chunkRows * paddedDim);
    for (let start = 0; start < patentRows; start += chunkRows) {
      throwIfAborted(options.signal);
      const blockRows = Math.min(chunkRows, patentRows - start);
      const raw = patents.subarray(start * dim, (start + blockRows) * dim);
      assertFinite('patents', raw, dim, start);
      if (paddedDim === dim) host.set(raw);
      else for (let r = 0; r < blockRows; r++) host.set(raw.subarray(r * dim, (r + 1) * dim), r * paddedDim);
      device.queue.writeBuffer(block, 0, host, 0, blockRows * paddedDim);

      const encoder = device.createCommandEncoder({ label: `cross patents ${start}+${blockRows}` });
      if (!options.normalized) normalize.encode(encoder, { rows: block, rowCount: blockRows, vec4sPerRow });
      cosine.encode(encoder, { a: block, b: unitSections, scores, aRowOffset: 0, aRows: blockRows, bRows: sectionRows, vec4sPerRow });
      topk.encode(encoder, {
        scores,
        topIndices: patentIndices,
        topScores: patentScores,
        rows: blockRows,
        cols: sectionRows,
        k,
        rowOffset: 0,
        excludeSelf: false,
      });
      cosine.encode(encoder, { a: unitSections, b: block, scores, aRowOffset: 0, aRows: sectionRows, bRows: blockRows, vec4sPerRow });
      topk.encode(encoder, {
        scores,
        topIndices: sectionIndices,
        topScores: sectionScores,
        rows: sectionRows,
        cols: blockRows,
        k,
        rowOffset: 0,
        excludeSelf: false,
      });
      const pBytes = blockRows * k * BYTES_PER_F32;
      encoder.copyBufferToBuffer(patentIndices, 0, staging, 0, pBytes);
      encoder.copyBufferToBuffer(patentScores, 0, staging, pBytes, pBytes);
      encoder.copyBufferToBuffer(sectionIndices, 0, staging, 2 * pBytes, sectionTopBytes);
      encoder.copyBufferToBuffer(sectionScores, 0, staging, 2 * pBytes + sectionTopBytes, sectionTopBytes);
      device.queue.submit([encoder.finish()]);

      const mappedBytes = 2 * (pBytes + sectionTopBytes);
      await staging.mapAsync(GPUMapMode.READ, 0, mappedBytes);
      const mapped = staging.getMappedRange(0, mappedBytes);
      perPatent.indices.set(new Int32Array(mapped, 0, blockRows * k), start * k);
      perPatent.scores.set(new Float32Array(mapped, pBytes, blockRows * k), start * k);
      mergeSectionCandidates(
        perSection,
        sectionFilled,
        new Int32Array(mapped, 2 * pBytes, sectionRows * k),
        new Float32Array(mapped, 2 * pBytes + sectionTopBytes, sectionRows * k),
        start,
      );
      staging.unmap();
      options.onProgress?.(start + blockRows, patentRows);
    }
    finishTopKScores(perPatent.indices, perPatent.scores);
    return { perPatent, perSection };
  } finally {
    owned.destroy();
    normalize.destroy();
    cosine.destroy();
    topk.destroy();
  }
}

/**
 * Folds one block's per-section lists (descending, block-local patent indices, −1 padding) into
 * the running ones. A candidate that does not beat a full list's k-th score ends its section's
 * candidates, since the rest score no higher. Like the CPU twin's merge, NaN is never listed.
 */
function mergeSectionCandidates(
  perSection: TopK,
  filled: Int32Array,
  blockIndices: Int32Array,
  blockScores: Float32Array,
  start: number,
): void {
  const { k, rows, indices, scores } = perSection;
  const last = k - 1;
  for (let section = 0; section < rows; section++) {
    const base = section * k;
    for (let i = 0; i < k; i++) {
      const local = blockIndices[base + i];
      if (local < 0) break;
      const score = blockScores[base + i];
      if (filled[section] === k ? !(score > scores[base + last]) : !(score > -Infinity)) break;
      filled[section] = insertSorted(scores, indices, base, k, filled[section], score, start + local);
    }
  }
}

function assertFinite(name: string, values: Float32Array, dim: number, firstRow = 0): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${name} row ${firstRow + Math.floor(i / dim)} holds ${values[i]}; the GPU path needs finite values`);
    }
  }
}

function emptyTopK(rows: number, k: number): TopK {
  return { k, rows, indices: new Int32Array(rows * k).fill(-1), scores: new Float32Array(rows * k).fill(-Infinity) };
}
