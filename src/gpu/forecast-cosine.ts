/**
 * The forecast's candidate cosines on WebGPU: one score per (first[p], second[p]) pair of
 * normalised rows, never the dense upper triangle. Same arguments and results as the CPU twin
 * pairCosines (src/core/pair-cosine.ts), after the device.
 *
 * Data moves once: the rows are uploaded once per call, the pair indices once (slices of the
 * caller's arrays, written straight into a chunk buffer), and only the scores come back.
 */
import { assertPairs, type PairCosineFn } from '../core/pair-cosine';
import { assertMatrix } from '../core/similarity';
import { assertFitsBinding, bindingCap, BufferOwner, padRowsToVec4, throwIfAborted } from './buffers';
import { PairCosineKernel } from './kernels/pair-cosine';

/** 4 Mi pairs: 16 MiB per index list and for the scores, enough to amortise a submit + read-back. */
export const DEFAULT_PAIRS_PER_CHUNK = 4 * 1024 * 1024;

const BYTES_PER_WORD = 4;
const FLOATS_PER_VEC4 = 4;

export interface GpuPairCosineOptions {
  /** Checked before each chunk; an abort rejects with DOMException('Aborted', 'AbortError'). */
  signal?: AbortSignal;
  /** Cap on pairs per chunk (default 4 Mi); tests use a small one to force many chunks. */
  maxPairsPerChunk?: number;
  /** Pairs finished so far and in total, after each chunk. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Pairs per chunk: each of the two index lists and the scores (4 bytes a pair) must fit one
 * storage binding and one buffer, and the caller's cap holds. (One dispatch covers 65535² × 64
 * pairs at the smallest limits, more than any binding holds.)
 */
export function pairChunkSize(
  pairs: number,
  limits: Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>,
  maxPairsPerChunk: number = DEFAULT_PAIRS_PER_CHUNK,
): number {
  if (!Number.isInteger(maxPairsPerChunk) || maxPairsPerChunk < 1) {
    throw new RangeError(`maxPairsPerChunk must be a positive integer, got ${maxPairsPerChunk}`);
  }
  const byBinding = Math.floor(bindingCap(limits) / BYTES_PER_WORD);
  return Math.max(1, Math.min(pairs, byBinding, maxPairsPerChunk));
}

export async function gpuPairCosines(
  device: GPUDevice,
  rows: Float32Array,
  rowCount: number,
  dim: number,
  first: Uint32Array,
  second: Uint32Array,
  options: GpuPairCosineOptions = {},
): Promise<Float32Array> {
  assertMatrix('rows', rows, rowCount, dim);
  assertPairs(first, second, rowCount);
  throwIfAborted(options.signal);
  const total = first.length;
  const result = new Float32Array(total);
  if (total === 0) return result;

  const vec4sPerRow = Math.ceil(dim / FLOATS_PER_VEC4);
  assertFitsBinding(device, 'rows', rowCount * vec4sPerRow * FLOATS_PER_VEC4 * BYTES_PER_WORD);
  const owned = new BufferOwner(device);
  const chunk = pairChunkSize(total, device.limits, options.maxPairsPerChunk);
  const kernel = await PairCosineKernel.create(device);
  try {
    // 1. The rows once; index and score buffers sized for one chunk and reused by every chunk.
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage;
    const rowsBuffer = owned.upload('pair cosine rows', padRowsToVec4(rows, rowCount, dim, vec4sPerRow), STORAGE);
    const firstBuffer = owned.create('pair cosine first', chunk * BYTES_PER_WORD, STORAGE | COPY_DST);
    const secondBuffer = owned.create('pair cosine second', chunk * BYTES_PER_WORD, STORAGE | COPY_DST);
    const cosines = owned.create('pair cosine scores', chunk * BYTES_PER_WORD, STORAGE | COPY_SRC);
    const staging = owned.create('pair cosine read-back', chunk * BYTES_PER_WORD, MAP_READ | COPY_DST);

    // 2. Per chunk: write its indices, score, read back its scores only.
    for (let start = 0; start < total; start += chunk) {
      throwIfAborted(options.signal);
      const count = Math.min(chunk, total - start);
      const bytes = count * BYTES_PER_WORD;
      device.queue.writeBuffer(firstBuffer, 0, first.buffer, first.byteOffset + start * BYTES_PER_WORD, bytes);
      device.queue.writeBuffer(secondBuffer, 0, second.buffer, second.byteOffset + start * BYTES_PER_WORD, bytes);
      const encoder = device.createCommandEncoder({ label: `pair cosine ${start}+${count}` });
      kernel.encode(encoder, { rows: rowsBuffer, first: firstBuffer, second: secondBuffer, cosines, pairCount: count, rowCount, vec4sPerRow });
      encoder.copyBufferToBuffer(cosines, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      result.set(new Float32Array(staging.getMappedRange(0, bytes)), start);
      staging.unmap();
      options.onProgress?.(start + count, total);
    }
    return result;
  } finally {
    owned.destroy();
    kernel.destroy();
  }
}

/** gpuPairCosines on `device` in the shape of the CPU twin, for candidateCosines' `pairCosines`. */
export function gpuPairCosineFn(device: GPUDevice, options: GpuPairCosineOptions = {}): PairCosineFn {
  return (rows, rowCount, dim, first, second) => gpuPairCosines(device, rows, rowCount, dim, first, second, options);
}
