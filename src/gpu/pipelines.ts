/**
 * What every kernel runner shares: compute pipelines cached per device, parameter blocks
 * whose layout is read from the WGSL source, and 1-D dispatch sizes that respect
 * maxComputeWorkgroupsPerDimension.
 */

/**
 * Pipelines keyed by device, so a lost or destroyed device takes its pipelines with it and a
 * replacement device compiles afresh. The promise is cached so concurrent callers share one
 * compilation; a failed compilation is dropped so that a later call can retry.
 */
const pipelinesByDevice = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/**
 * The compute pipeline for `wgsl` on `device`, compiled once per (device, key). `key` also labels
 * the module and pipeline, so it shows up in validation messages.
 */
export function getPipeline(
  device: GPUDevice,
  key: string,
  wgsl: string,
  entryPoint?: string,
): Promise<GPUComputePipeline> {
  let cache = pipelinesByDevice.get(device);
  if (!cache) {
    cache = new Map();
    pipelinesByDevice.set(device, cache);
  }
  const cached = cache.get(key);
  if (cached) return cached;

  const pending = compilePipeline(device, key, wgsl, entryPoint);
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

async function compilePipeline(
  device: GPUDevice,
  key: string,
  wgsl: string,
  entryPoint: string | undefined,
): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: key, code: wgsl });
  try {
    return await device.createComputePipelineAsync({
      label: key,
      layout: 'auto',
      compute: entryPoint === undefined ? { module } : { module, entryPoint },
    });
  } catch (error) {
    // The pipeline error alone rarely says which line failed; the compilation log does.
    const info = await module.getCompilationInfo();
    const log = info.messages
      .map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`)
      .join('\n');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Compiling GPU pipeline "${key}" failed: ${reason}${log ? `\n${log}` : ''}`);
  }
}

/** Field names of `struct <structName>` in declaration order; memoised per source. */
const structFieldsCache = new Map<string, readonly string[]>();

/**
 * Field names of a WGSL struct whose fields are all u32, read from the shader source so the
 * TypeScript side never keeps a hand-copied layout that could drift from the WGSL one.
 */
export function u32StructFields(wgsl: string, structName: string): readonly string[] {
  const cacheKey = `${structName}\u0000${wgsl}`;
  const cached = structFieldsCache.get(cacheKey);
  if (cached) return cached;

  const withoutComments = wgsl.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const match = new RegExp(`struct\\s+${structName}\\s*\\{([^}]*)\\}`).exec(withoutComments);
  if (!match) throw new Error(`WGSL source has no struct ${structName}`);
  const fields = match[1]
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field.length > 0)
    .map((field) => {
      const parts = /^(\w+)\s*:\s*(\w+)$/.exec(field);
      if (!parts || parts[2] !== 'u32') {
        throw new Error(`struct ${structName}: only u32 fields are supported, got "${field}"`);
      }
      return parts[1];
    });
  structFieldsCache.set(cacheKey, fields);
  return fields;
}

/** Uniform binding sizes are rounded up to 16 bytes so every backend accepts the binding. */
const UNIFORM_SIZE_GRANULE_BYTES = 16;

/**
 * A uniform buffer holding `values` laid out as `struct <structName>` in `wgsl`. Every field must
 * be given exactly once, as an integer in the u32 range. The caller owns (and destroys) the buffer.
 */
export function createU32ParamsBuffer(
  device: GPUDevice,
  wgsl: string,
  structName: string,
  values: Readonly<Record<string, number>>,
  label: string,
): GPUBuffer {
  const fields = u32StructFields(wgsl, structName);
  const extra = Object.keys(values).filter((name) => !fields.includes(name));
  if (extra.length > 0) {
    throw new Error(`struct ${structName} has no field(s) ${extra.join(', ')}; fields: ${fields.join(', ')}`);
  }
  const words = fields.map((name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`struct ${structName}: missing value for ${name}`);
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new RangeError(`struct ${structName}: ${name} must be a u32, got ${value}`);
    }
    return value;
  });
  const size =
    Math.ceil(Math.max(words.length * 4, 1) / UNIFORM_SIZE_GRANULE_BYTES) *
    UNIFORM_SIZE_GRANULE_BYTES;
  const buffer = device.createBuffer({
    label,
    size,
    usage: GPUBufferUsage.UNIFORM,
    mappedAtCreation: true,
  });
  new Uint32Array(buffer.getMappedRange()).set(words);
  buffer.unmap();
  return buffer;
}

/**
 * Reads `const <name>: u32 = <value>u;` from WGSL so a TypeScript bound such as MAX_K cannot
 * disagree with the shader that enforces it.
 */
export function wgslU32Constant(wgsl: string, name: string): number {
  const match = new RegExp(`const\\s+${name}\\s*:\\s*u32\\s*=\\s*(\\d+)u?\\s*;`).exec(wgsl);
  if (!match) throw new Error(`WGSL source has no "const ${name}: u32 = …;"`);
  return Number(match[1]);
}

/**
 * Workgroup counts for `workgroups` 1-D workgroups. Above the per-dimension limit the grid
 * wraps into y; shaders rebuild the linear id as (wid.y * num_workgroups.x + wid.x) and
 * bounds-check it, since the last row of the grid may overshoot.
 */
export function dispatchGrid1D(workgroups: number, maxPerDimension: number): [number, number] {
  if (workgroups <= maxPerDimension) return [workgroups, 1];
  const y = Math.ceil(workgroups / maxPerDimension);
  if (y > maxPerDimension) {
    throw new RangeError(
      `${workgroups} workgroups exceed ${maxPerDimension}² (maxComputeWorkgroupsPerDimension²)`,
    );
  }
  return [maxPerDimension, y];
}

/** Throws a RangeError, naming both sizes, when `buffer` is smaller than a dispatch needs. */
export function assertBufferBytes(name: string, buffer: GPUBuffer, bytes: number): void {
  if (buffer.size < bytes) {
    throw new RangeError(`${name} buffer holds ${buffer.size} bytes, the dispatch needs ${bytes}`);
  }
}
