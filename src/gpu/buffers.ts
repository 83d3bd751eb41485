/**
 * Buffer helpers the runners share: an owner that frees every buffer of one call (also on a throw
 * or abort), rows padded to whole vec4s, the per-buffer size check and the abort check.
 */

const FLOATS_PER_VEC4 = 4;
/** Zero-sized buffers cannot be bound, so empty inputs still get this many bytes. */
const MIN_BUFFER_BYTES = 16;

/** Tracks every buffer one call creates so that a throw or abort still frees them all. */
export class BufferOwner {
  private readonly buffers: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  create(label: string, bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: roundUp4(Math.max(bytes, MIN_BUFFER_BYTES)), usage });
    this.buffers.push(buffer);
    return buffer;
  }

  /** A buffer holding `data`, written while mapped at creation (no staging copy). */
  upload(label: string, data: Float32Array | Uint32Array, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.device.createBuffer({
      label,
      size: roundUp4(Math.max(data.byteLength, MIN_BUFFER_BYTES)),
      usage,
      mappedAtCreation: true,
    });
    this.buffers.push(buffer);
    new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buffer.unmap();
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.buffers.splice(0)) buffer.destroy();
  }
}

/**
 * Rows of `dim` floats widened to `vec4sPerRow * 4` with zeros, so the kernels can load whole
 * vec4s for any dim; zeros change neither norms nor dot products.
 */
export function padRowsToVec4(x: Float32Array, rows: number, dim: number, vec4sPerRow: number): Float32Array {
  const paddedDim = vec4sPerRow * FLOATS_PER_VEC4;
  if (paddedDim === dim) return x;
  const out = new Float32Array(rows * paddedDim);
  for (let r = 0; r < rows; r++) out.set(x.subarray(r * dim, (r + 1) * dim), r * paddedDim);
  return out;
}

/** The largest buffer one storage binding may hold on `device`. */
export function bindingCap(limits: Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

export function assertFitsBinding(device: GPUDevice, name: string, bytes: number): void {
  const cap = bindingCap(device.limits);
  if (bytes > cap) {
    throw new RangeError(`${name} needs ${bytes} bytes on the GPU, the device allows ${cap} per buffer`);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
}

function roundUp4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
