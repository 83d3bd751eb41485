/**
 * What every kernel runner shares: compute pipelines cached per device, constants read from the
 * WGSL source, and 1-D dispatch sizes that respect maxComputeWorkgroupsPerDimension. Buffer
 * layouts come from wgsl-layout.ts, bind groups and dispatches from runner.ts.
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
