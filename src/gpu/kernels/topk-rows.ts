/**
 * Runner for shaders/topk_rows.wgsl: per-row top-k of a score matrix in a GPU buffer.
 * CPU twin: topkRows in src/core/similarity.ts (same tie rule: lower column index wins).
 */
import source from '../../../shaders/topk_rows.wgsl?raw';
import { assertBufferBytes, wgslU32Constant } from '../pipelines';
import { ComputeKernel } from '../runner';

const PIPELINE_KEY = 'topk_rows';
/** Largest k the kernel supports; read from the shader, which explains the choice of 32. */
export const TOPK_MAX_K = wgslU32Constant(source, 'MAX_K');
const WORKGROUP_SIZE = wgslU32Constant(source, 'WORKGROUP_SIZE');
const BYTES_PER_WORD = 4;

export interface TopkRowsArgs {
  /** STORAGE buffer of rows × cols f32 scores, row-major. */
  scores: GPUBuffer;
  /** STORAGE buffer receiving rows × k i32 column indices (-1 where a row has too few columns). */
  topIndices: GPUBuffer;
  /** STORAGE buffer receiving rows × k f32 scores; see {@link finishTopKScores}. */
  topScores: GPUBuffer;
  rows: number;
  cols: number;
  k: number;
  /** Global index of the block's first row, used to find each row's own column. */
  rowOffset: number;
  excludeSelf: boolean;
}

/** Throws the RangeError the GPU path gives for an unsupported k. */
export function assertGpuTopK(k: number): void {
  if (!Number.isInteger(k) || k < 0 || k > TOPK_MAX_K) {
    throw new RangeError(
      `GPU top-k supports integer k from 0 to ${TOPK_MAX_K} (MAX_K in shaders/topk_rows.wgsl), ` +
        `got ${k}; use the CPU similarityTopK for larger k`,
    );
  }
}

/**
 * The shader cannot write -Infinity (WGSL has no literal for it), so it leaves 0 beside index -1.
 * This restores the CPU twin's padding after read-back.
 */
export function finishTopKScores(indices: Int32Array, scores: Float32Array): void {
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] < 0) scores[i] = -Infinity;
  }
}

export class TopkRowsKernel {
  private constructor(private readonly kernel: ComputeKernel) {}

  static async create(device: GPUDevice): Promise<TopkRowsKernel> {
    return new TopkRowsKernel(await ComputeKernel.create(device, PIPELINE_KEY, source));
  }

  /** Records the dispatch into `encoder`; results are written when it is submitted. */
  encode(encoder: GPUCommandEncoder, args: TopkRowsArgs): void {
    const { scores, topIndices, topScores, rows, cols, k, rowOffset, excludeSelf } = args;
    assertGpuTopK(k);
    if (rows === 0 || k === 0) return;
    assertBufferBytes('scores', scores, rows * cols * BYTES_PER_WORD);
    assertBufferBytes('topIndices', topIndices, rows * k * BYTES_PER_WORD);
    assertBufferBytes('topScores', topScores, rows * k * BYTES_PER_WORD);
    this.kernel.dispatch1D(
      encoder,
      { scores, top_indices: topIndices, top_scores: topScores },
      { row_count: rows, col_count: cols, k, row_offset: rowOffset, exclude_self: excludeSelf ? 1 : 0 },
      rows,
      WORKGROUP_SIZE,
    );
  }

  /** Frees the params buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    this.kernel.destroy();
  }
}
