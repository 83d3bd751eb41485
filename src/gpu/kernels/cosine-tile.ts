/**
 * Runner for shaders/cosine_tile.wgsl: dot products of a block of rows of `a` against every row
 * of `b`, both padded vec4 matrices in GPU buffers. CPU twin: cosineBlock in
 * src/core/similarity.ts.
 */
import source from '../../../shaders/cosine_tile.wgsl?raw';
import { assertBufferBytes, wgslU32Constant } from '../pipelines';
import { ComputeKernel } from '../runner';

const PIPELINE_KEY = 'cosine_tile';
/** Rows of `a` (and columns of `b`) covered by one workgroup: BLOCK × WORKGROUP_EDGE. */
export const COSINE_TILE_EDGE =
  wgslU32Constant(source, 'BLOCK') * wgslU32Constant(source, 'WORKGROUP_EDGE');
const BYTES_PER_VEC4 = 16;
const BYTES_PER_F32 = 4;

export interface CosineTileArgs {
  /** STORAGE buffer with at least aRowOffset + aRows rows of vec4sPerRow vec4<f32>. */
  a: GPUBuffer;
  /** STORAGE buffer with bRows rows of vec4sPerRow vec4<f32>; may be the same buffer as `a`. */
  b: GPUBuffer;
  /** STORAGE buffer receiving aRows × bRows f32 scores, row stride bRows. */
  scores: GPUBuffer;
  aRowOffset: number;
  aRows: number;
  bRows: number;
  vec4sPerRow: number;
}

export class CosineTileKernel {
  private constructor(private readonly kernel: ComputeKernel) {}

  static async create(device: GPUDevice): Promise<CosineTileKernel> {
    return new CosineTileKernel(await ComputeKernel.create(device, PIPELINE_KEY, source));
  }

  /** The largest aRows or bRows one dispatch can cover on this device. */
  maxRowsPerDispatch(): number {
    return this.kernel.device.limits.maxComputeWorkgroupsPerDimension * COSINE_TILE_EDGE;
  }

  /** Records the dispatch into `encoder`; scores are written when it is submitted. */
  encode(encoder: GPUCommandEncoder, args: CosineTileArgs): void {
    const { a, b, scores, aRowOffset, aRows, bRows, vec4sPerRow } = args;
    if (aRows === 0 || bRows === 0) return;
    const maxRows = this.maxRowsPerDispatch();
    if (aRows > maxRows || bRows > maxRows) {
      throw new RangeError(`cosine_tile covers at most ${maxRows} rows per side, got ${aRows}×${bRows}`);
    }
    assertBufferBytes('a', a, (aRowOffset + aRows) * vec4sPerRow * BYTES_PER_VEC4);
    assertBufferBytes('b', b, bRows * vec4sPerRow * BYTES_PER_VEC4);
    assertBufferBytes('scores', scores, aRows * bRows * BYTES_PER_F32);
    this.kernel.dispatch(
      encoder,
      { a, b, scores },
      { a_row_offset: aRowOffset, a_rows: aRows, b_rows: bRows, vec4s_per_row: vec4sPerRow },
      [Math.ceil(bRows / COSINE_TILE_EDGE), Math.ceil(aRows / COSINE_TILE_EDGE)],
    );
  }

  /** Frees the params buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    this.kernel.destroy();
  }
}
