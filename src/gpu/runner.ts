/**
 * The part every kernel runner shared by copy before: one compiled pipeline per device, a bind
 * group built from buffers named as in the WGSL source, the uniform block filled by field name
 * (wgsl-layout.ts), and the dispatch, 1-D grids wrapped into y above the per-dimension limit.
 * The kernels in kernels/*.ts add only their argument checks and grid sizes.
 */
import { dispatchGrid1D, getPipeline } from './pipelines';
import { packUniform, shaderLayout, type ShaderLayout } from './wgsl-layout';

export type WorkgroupGrid = readonly [x: number, y?: number, z?: number];

export class ComputeKernel {
  /** One small uniform buffer per dispatch, freed by destroy() once the caller's work is done. */
  private readonly uniformBuffers: GPUBuffer[] = [];

  private constructor(
    readonly device: GPUDevice,
    readonly key: string,
    private readonly source: string,
    private readonly pipeline: GPUComputePipeline,
    private readonly layout: ShaderLayout,
  ) {}

  /** The kernel of `source` on `device`; `key` labels the pipeline, passes and buffers. */
  static async create(device: GPUDevice, key: string, source: string, entryPoint?: string): Promise<ComputeKernel> {
    const layout = shaderLayout(source);
    return new ComputeKernel(device, key, source, await getPipeline(device, key, source, entryPoint), layout);
  }

  /**
   * Records one dispatch of `grid` workgroups into `encoder`. `buffers` binds every storage
   * variable of the shader by its WGSL name (no more, no fewer); `params` fills its uniform.
   */
  dispatch(
    encoder: GPUCommandEncoder,
    buffers: Readonly<Record<string, GPUBuffer>>,
    params: Readonly<Record<string, number>>,
    grid: WorkgroupGrid,
  ): void {
    const unknown = Object.keys(buffers).filter((name) => !this.layout.bindings.some((b) => b.kind === 'storage' && b.name === name));
    if (unknown.length > 0) throw new Error(`${this.key} has no storage binding(s) ${unknown.join(', ')}`);
    const entries = this.layout.bindings.map((binding): GPUBindGroupEntry => {
      if (binding.kind === 'uniform') return { binding: binding.binding, resource: { buffer: this.uniformBuffer(binding.name, params) } };
      const buffer = buffers[binding.name];
      if (!buffer) throw new Error(`${this.key}: no buffer given for storage binding ${binding.name}`);
      return { binding: binding.binding, resource: { buffer } };
    });
    const bindGroup = this.device.createBindGroup({ label: this.key, layout: this.pipeline.getBindGroupLayout(0), entries });
    const pass = encoder.beginComputePass({ label: this.key });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    pass.end();
  }

  /** One invocation per item: ceil(items / workgroupSize) workgroups, wrapped into y when needed. */
  dispatch1D(
    encoder: GPUCommandEncoder,
    buffers: Readonly<Record<string, GPUBuffer>>,
    params: Readonly<Record<string, number>>,
    items: number,
    workgroupSize: number,
  ): void {
    const grid = dispatchGrid1D(Math.ceil(items / workgroupSize), this.device.limits.maxComputeWorkgroupsPerDimension);
    this.dispatch(encoder, buffers, params, grid);
  }

  /** Frees the uniform buffers; safe right after submit (WebGPU defers the free) and twice. */
  destroy(): void {
    for (const buffer of this.uniformBuffers.splice(0)) buffer.destroy();
  }

  private uniformBuffer(name: string, params: Readonly<Record<string, number>>): GPUBuffer {
    const bytes = packUniform(this.source, name, params);
    const buffer = this.device.createBuffer({
      label: `${this.key} ${name}`,
      size: bytes.byteLength,
      usage: GPUBufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    this.uniformBuffers.push(buffer);
    new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(bytes));
    buffer.unmap();
    return buffer;
  }
}
