/**
 * Runner for shaders/normalize_rows.wgsl: scales each row of a padded vec4 matrix in a GPU
 * buffer to unit L2 norm, in place. CPU twin: normalizeRows in src/core/similarity.ts.
 */
import source from '../../../shaders/normalize_rows.wgsl?raw';
import {
  assertBufferBytes,
  createU32ParamsBuffer,
  dispatchGrid1D,
  getPipeline,
  wgslU32Constant,
} from '../pipelines';

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
  /** One small params buffer per encode(), freed by destroy() once the caller's work is done. */
  private readonly paramsBuffers: GPUBuffer[] = [];

  private constructor(
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
  ) {}

  static async create(device: GPUDevice): Promise<NormalizeRowsKernel> {
    return new NormalizeRowsKernel(device, await getPipeline(device, PIPELINE_KEY, source));
  }

  /** Records the dispatch into `encoder`; the rows are normalised when it is submitted. */
  encode(encoder: GPUCommandEncoder, args: NormalizeRowsArgs): void {
    const { rows, rowCount, vec4sPerRow } = args;
    if (rowCount === 0 || vec4sPerRow === 0) return;
    assertBufferBytes('rows', rows, rowCount * vec4sPerRow * BYTES_PER_VEC4);
    const params = createU32ParamsBuffer(
      this.device,
      source,
      'Params',
      { row_count: rowCount, vec4s_per_row: vec4sPerRow },
      `${PIPELINE_KEY} params`,
    );
    this.paramsBuffers.push(params);
    const bindGroup = this.device.createBindGroup({
      label: PIPELINE_KEY,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: rows } },
        { binding: 1, resource: { buffer: params } },
      ],
    });
    const [x, y] = dispatchGrid1D(
      Math.ceil(rowCount / WORKGROUP_SIZE),
      this.device.limits.maxComputeWorkgroupsPerDimension,
    );
    const pass = encoder.beginComputePass({ label: PIPELINE_KEY });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
  }

  /** Frees the params buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    for (const buffer of this.paramsBuffers.splice(0)) buffer.destroy();
  }
}
