/**
 * Cosine k-nearest-neighbours and cosine matrices on the GPU, with the same results as the CPU
 * twins in src/core/similarity.ts (similarityTopK, cosineBlock).
 *
 * The n×n score matrix never exists whole: rows are processed in blocks whose scores fit a
 * single buffer, and only the rows×k winners of each block are read back.
 */
import { assertMatrix, type TopK } from '../core/similarity';
import { assertFitsBinding, bindingCap, BufferOwner, padRowsToVec4, throwIfAborted } from './buffers';
import { CosineTileKernel, COSINE_TILE_EDGE } from './kernels/cosine-tile';
import { NormalizeRowsKernel } from './kernels/normalize-rows';
import { assertGpuTopK, finishTopKScores, TopkRowsKernel } from './kernels/topk-rows';

/** Default cap on one block of scores: large enough to amortise a submit + read-back. */
export const DEFAULT_GPU_CHUNK_BYTES = 64 * 1024 * 1024;

const BYTES_PER_F32 = 4;
const FLOATS_PER_VEC4 = 4;

export interface GpuSimilarityTopKOptions {
  excludeSelf: boolean;
  /** Checked before each block; an abort rejects with DOMException('Aborted', 'AbortError'). */
  signal?: AbortSignal;
  /** Rows finished so far and in total, after each block. */
  onProgress?: (done: number, total: number) => void;
  /** Cap on one block's score buffer in bytes (default 64 MiB); at least one row per block. */
  maxChunkBytes?: number;
}

export interface GpuCosineMatrixOptions {
  maxChunkBytes?: number;
  signal?: AbortSignal;
}

/**
 * Rows per block so that a rows × cols f32 score block stays under the device's storage binding
 * and buffer limits and under `maxChunkBytes`. Whole 32-row tiles are used when a block holds
 * more than one, so no block but the last dispatches a partial tile.
 */
export function gpuChunkRows(
  totalRows: number,
  cols: number,
  limits: Pick<
    GPUSupportedLimits,
    'maxStorageBufferBindingSize' | 'maxBufferSize' | 'maxComputeWorkgroupsPerDimension'
  >,
  maxChunkBytes: number = DEFAULT_GPU_CHUNK_BYTES,
): number {
  const deviceCap = bindingCap(limits);
  const rowBytes = Math.max(cols, 1) * BYTES_PER_F32;
  if (rowBytes > deviceCap) {
    throw new RangeError(
      `one row of ${cols} scores needs ${rowBytes} bytes, the device allows ${deviceCap} per buffer`,
    );
  }
  const budget = Math.min(deviceCap, maxChunkBytes);
  let rows = Math.max(1, Math.floor(budget / rowBytes));
  rows = Math.min(rows, totalRows, limits.maxComputeWorkgroupsPerDimension * COSINE_TILE_EDGE);
  if (rows > COSINE_TILE_EDGE && rows < totalRows) rows -= rows % COSINE_TILE_EDGE;
  return Math.max(rows, 1);
}

/**
 * k nearest neighbours of each row of `vectors` (n×dim) by cosine similarity, like the CPU
 * similarityTopK: descending score, ties to the lower index, -1/-Infinity padding, and no row
 * listing itself when excludeSelf. k may be at most TOPK_MAX_K (32).
 */
export async function gpuSimilarityTopK(
  device: GPUDevice,
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  options: GpuSimilarityTopKOptions,
): Promise<TopK> {
  assertMatrix('vectors', vectors, n, dim);
  assertGpuTopK(k);
  throwIfAborted(options.signal);
  const result: TopK = {
    k,
    rows: n,
    indices: new Int32Array(n * k).fill(-1),
    scores: new Float32Array(n * k).fill(-Infinity),
  };
  if (n === 0 || k === 0) return result;

  const vec4sPerRow = Math.ceil(dim / FLOATS_PER_VEC4);
  assertFitsBinding(device, 'vectors', n * vec4sPerRow * FLOATS_PER_VEC4 * BYTES_PER_F32);
  const chunkRows = gpuChunkRows(n, n, device.limits, options.maxChunkBytes);
  const topBytes = chunkRows * k * BYTES_PER_F32;
  const owned = new BufferOwner(device);
  const normalize = await NormalizeRowsKernel.create(device);
  const cosine = await CosineTileKernel.create(device);
  const topk = await TopkRowsKernel.create(device);
  try {
    // 1. Upload once and normalise in place; every block reads this buffer as both sides.
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage;
    const padded = padRowsToVec4(vectors, n, dim, vec4sPerRow);
    const rows = owned.upload('similarity vectors', padded, STORAGE);
    const scores = owned.create('similarity scores', chunkRows * n * BYTES_PER_F32, STORAGE);
    const topIndices = owned.create('similarity top indices', topBytes, STORAGE | COPY_SRC);
    const topScores = owned.create('similarity top scores', topBytes, STORAGE | COPY_SRC);
    const staging = owned.create('similarity read-back', 2 * topBytes, MAP_READ | COPY_DST);
    const normalizeEncoder = device.createCommandEncoder({ label: 'similarity normalise' });
    normalize.encode(normalizeEncoder, { rows, rowCount: n, vec4sPerRow });
    device.queue.submit([normalizeEncoder.finish()]);

    // 2. Per block: scores against all rows, top-k of each row, read back only rows×k.
    for (let start = 0; start < n; start += chunkRows) {
      throwIfAborted(options.signal);
      const blockRows = Math.min(chunkRows, n - start);
      const blockBytes = blockRows * k * BYTES_PER_F32;
      const encoder = device.createCommandEncoder({ label: `similarity rows ${start}+${blockRows}` });
      cosine.encode(encoder, {
        a: rows,
        b: rows,
        scores,
        aRowOffset: start,
        aRows: blockRows,
        bRows: n,
        vec4sPerRow,
      });
      topk.encode(encoder, {
        scores,
        topIndices,
        topScores,
        rows: blockRows,
        cols: n,
        k,
        rowOffset: start,
        excludeSelf: options.excludeSelf,
      });
      encoder.copyBufferToBuffer(topIndices, 0, staging, 0, blockBytes);
      encoder.copyBufferToBuffer(topScores, 0, staging, blockBytes, blockBytes);
      device.queue.submit([encoder.finish()]);

      await staging.mapAsync(GPUMapMode.READ, 0, 2 * blockBytes);
      const mapped = staging.getMappedRange(0, 2 * blockBytes);
      result.indices.set(new Int32Array(mapped, 0, blockRows * k), start * k);
      result.scores.set(new Float32Array(mapped, blockBytes, blockRows * k), start * k);
      staging.unmap();
      options.onProgress?.(start + blockRows, n);
    }
    finishTopKScores(result.indices, result.scores);
    return result;
  } finally {
    owned.destroy();
    normalize.destroy();
    cosine.destroy();
    topk.destroy();
  }
}

/**
 * Full aRows×bRows matrix of dot products between rows of `a` and `b` (cosines when both are
 * normalised), like the CPU cosineBlock, computed in row blocks of at most maxChunkBytes.
 * For tests and benchmarks: the app itself only needs the top-k path.
 */
export async function gpuCosineMatrix(
  device: GPUDevice,
  a: Float32Array,
  aRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
  options: GpuCosineMatrixOptions = {},
): Promise<Float32Array> {
  assertMatrix('a', a, aRows, dim);
  assertMatrix('b', b, bRows, dim);
  throwIfAborted(options.signal);
  const result = new Float32Array(aRows * bRows);
  if (aRows === 0 || bRows === 0) return result;

  const vec4sPerRow = Math.ceil(dim / FLOATS_PER_VEC4);
  const rowBytes = vec4sPerRow * FLOATS_PER_VEC4 * BYTES_PER_F32;
  assertFitsBinding(device, 'a', aRows * rowBytes);
  assertFitsBinding(device, 'b', bRows * rowBytes);
  const chunkRows = gpuChunkRows(aRows, bRows, device.limits, options.maxChunkBytes);
  const owned = new BufferOwner(device);
  const cosine = await CosineTileKernel.create(device);
  try {
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage;
    const aBuffer = owned.upload('cosine a', padRowsToVec4(a, aRows, dim, vec4sPerRow), STORAGE);
    const bBuffer = owned.upload('cosine b', padRowsToVec4(b, bRows, dim, vec4sPerRow), STORAGE);
    const chunkBytes = chunkRows * bRows * BYTES_PER_F32;
    const scores = owned.create('cosine scores', chunkBytes, STORAGE | COPY_SRC);
    const staging = owned.create('cosine read-back', chunkBytes, MAP_READ | COPY_DST);
    for (let start = 0; start < aRows; start += chunkRows) {
      throwIfAborted(options.signal);
      const blockRows = Math.min(chunkRows, aRows - start);
      const blockBytes = blockRows * bRows * BYTES_PER_F32;
      const encoder = device.createCommandEncoder({ label: `cosine rows ${start}+${blockRows}` });
      cosine.encode(encoder, {
        a: aBuffer,
        b: bBuffer,
        scores,
        aRowOffset: start,
        aRows: blockRows,
        bRows,
        vec4sPerRow,
      });
      encoder.copyBufferToBuffer(scores, 0, staging, 0, blockBytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, blockBytes);
      result.set(new Float32Array(staging.getMappedRange(0, blockBytes)), start * bRows);
      staging.unmap();
    }
    return result;
  } finally {
    owned.destroy();
    cosine.destroy();
  }
}
