import type { CosineBlockFn } from '../core/forecast/candidate-cosine';
import { gpuCosineMatrix } from './similarity-gpu';

export interface GpuCosineBlockOptions {
  /** Checked before every GPU block; an abort rejects with an AbortError. */
  signal?: AbortSignal;
  /** Cap on one GPU score buffer (default: gpuCosineMatrix's 64 MiB). */
  maxChunkBytes?: number;
}

/**
 * The forecast's block scorer on WebGPU: rows [blockStart, blockStart + blockRows) of the
 * normalised code vectors against rows [blockStart, rows), as the CPU twin `cpuCosineBlock` does,
 * computed by gpuCosineMatrix (the same dot-product kernel as the nearest-codes search).
 */
export function gpuCosineBlock(device: GPUDevice, options: GpuCosineBlockOptions = {}): CosineBlockFn {
  return (normalized, rows, dim, blockStart, blockRows) => gpuCosineMatrix(
    device,
    normalized.subarray(blockStart * dim, (blockStart + blockRows) * dim),
    blockRows,
    normalized.subarray(blockStart * dim, rows * dim),
    rows - blockStart,
    dim,
    { signal: options.signal, maxChunkBytes: options.maxChunkBytes },
  );
}
