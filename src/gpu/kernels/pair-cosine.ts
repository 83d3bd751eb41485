/**
 * Runner for shaders/pair_cosine.wgsl: one dot product per (first[p], second[p]) row pair of a
 * padded vec4 matrix in a GPU buffer. CPU twin: pairCosines in src/core/pair-cosine.ts.
 */
import source from '../../../shaders/pair_cosine.wgsl?raw';
import { assertBufferBytes, wgslU32Constant } from '../pipelines';
import { ComputeKernel } from '../runner';

const PIPELINE_KEY = 'pair_cosine';
const WORKGROUP_SIZE = wgslU32Constant(source, 'WORKGROUP_SIZE');
const PAIRS_PER_INVOCATION = wgslU32Constant(source, 'PAIRS_PER_INVOCATION');
const BYTES_PER_VEC4 = 16;
const BYTES_PER_WORD = 4;

export interface PairCosineArgs {
  /** STORAGE buffer of rowCount rows × vec4sPerRow vec4<f32>. */
  rows: GPUBuffer;
  /** STORAGE buffers of at least pairCount u32 row indices each. */
  first: GPUBuffer;
  second: GPUBuffer;
  /** STORAGE buffer receiving pairCount f32 scores. */
  cosines: GPUBuffer;
  pairCount: number;
  rowCount: number;
  vec4sPerRow: number;
}

export class PairCosineKernel {
  private constructor(private readonly kernel: ComputeKernel) {}

  static async create(device: GPUDevice): Promise<PairCosineKernel> {
    return new PairCosineKernel(await ComputeKernel.create(device, PIPELINE_KEY, source));
  }

  /** Records the dispatch into `encoder`; the cosines are written when it is submitted. */
  encode(encoder: GPUCommandEncoder, args: PairCosineArgs): void {
    const { rows, first, second, cosines, pairCount, rowCount, vec4sPerRow } = args;
    if (pairCount === 0) return;
    assertBufferBytes('rows', rows, rowCount * vec4sPerRow * BYTES_PER_VEC4);
    assertBufferBytes('first', first, pairCount * BYTES_PER_WORD);
    assertBufferBytes('second', second, pairCount * BYTES_PER_WORD);
    assertBufferBytes('cosines', cosines, pairCount * BYTES_PER_WORD);
    this.kernel.dispatch1D(
      encoder,
      { rows, first, second, cosines },
      { pair_count: pairCount, row_count: rowCount, vec4s_per_row: vec4sPerRow },
      Math.ceil(pairCount / PAIRS_PER_INVOCATION),
      WORKGROUP_SIZE,
    );
  }

  /** Frees the params buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    this.kernel.destroy();
  }
}
