/**
 * Runner for shaders/normalize_rows.wgsl: scales each row of a padded vec4 matrix in a GPU
 * buffer to unit L2 norm, in place. CPU twin: normalizeRows in src/core/similarity.ts.
 */
import source from '../../../shaders/normalize_rows.wgsl?raw';
import { assertBufferBytes, wgslU32Constant } from '../pipelines';
import { ComputeKernel } from '../runner';

const PIPELINE_KEY = 'normalize_rows';
const WORKGROUP_SIZE = wgslU32Constant(source, 'WORKGROUP_SIZE');
const BYTES_PER_VEC4 = 16;

export interface NormalizeRowsArgs {
  /** STORAGE buffer of `rowCount` rows × `vec4sPerRow` vec4<f32>, overwritten in place. */
  rows: GPUBuffer;
  rowCount: number;
  vec4sPerRow: number;
}

export class NormalizeRowsKernel {
  private constructor(private readonly kernel: ComputeKernel) {}

  static async create(device: GPUDevice): Promise<NormalizeRowsKernel> {
    return new NormalizeRowsKernel(await ComputeKernel.create(device, PIPELINE_KEY, source));
  }

  /** Records the dispatch into `encoder`; the rows are normalised when it is submitted. */
  encode(encoder: GPUCommandEncoder, args: NormalizeRowsArgs): void {
    const { rows, rowCount, vec4sPerRow } = args;
    if (rowCount === 0 || vec4sPerRow === 0) return;
    assertBufferBytes('rows', rows, rowCount * vec4sPerRow * BYTES_PER_VEC4);
    this.kernel.dispatch1D(encoder, { rows }, { row_count: rowCount, vec4s_per_row: vec4sPerRow }, rowCount, WORKGROUP_SIZE);
  }

  /** Frees the params buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    this.kernel.destroy();
  }
}
