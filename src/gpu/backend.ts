/**
 * The GPU policy of one realm (page or worker): which device the kernels run on, and what happens
 * when the GPU fails. Engines hand it a job with a GPU and a CPU path; it never labels a wrong
 * number "webgpu".
 *
 * 1. One device per realm (sharedGpu), requested on the first job that wants one and then shared
 *    by every engine of the realm; device.ts lowers the limits when the adapter's are refused.
 * 2. Every GPU job runs inside 'validation', 'out-of-memory' and 'internal' error scopes; a caught
 *    error becomes a named GpuError, the job's result is dropped and its CPU twin runs instead.
 * 3. Jobs take turns on the device: error scopes belong to the device, not to an async call, so
 *    two interleaved jobs would catch each other's errors. A job must not start another job.
 * 4. A lost device is rebuilt once (and the job in flight retried on the new one); when the
 *    rebuilt device is lost as well, the CPU twins run for the rest of the session.
 * Whenever the CPU runs, the result's backend says why (fallbackReason, shown by the views).
 */
import { isAbortError, throwIfAborted } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import { GpuError, GpuInternalError, GpuOutOfMemoryError, GpuValidationError } from '../core/errors';
import { acquireGpu, type GpuAcquisition } from './device';

/** The notice when the user switched WebGPU off (e2e tests read it verbatim). */
export const GPU_OFF_REASON = 'WebGPU switched off in settings';

export interface GpuJob<T> {
  /** Names the work in notices and error messages, e.g. "similarity top-k". */
  label: string;
  gpu: (device: GPUDevice) => Promise<T>;
  /** The CPU twin: same result, only slower. */
  cpu: () => T | Promise<T>;
}

export interface GpuRunOptions {
  /** False: the CPU twin runs and no device is requested. */
  preferGpu: boolean;
  /** The job's own signal: an abort is passed through, never answered with the CPU twin. */
  signal?: AbortSignal;
}

export interface GpuRunResult<T> {
  value: T;
  backend: SimilarityBackend;
}

export interface GpuPolicyOptions {
  /** Where devices come from; default navigator.gpu through acquireGpu. Tests pass Dawn's. */
  acquire?: () => Promise<GpuAcquisition>;
  /** Whether release() destroys the device (default: only devices the policy acquired itself). */
  ownsDevices?: boolean;
}

interface Lease {
  device: GPUDevice;
  backend: SimilarityBackend;
  lost: GPUDeviceLostInfo | null;
}

type LeaseOrReason = Lease | { reason: string };

export class GpuPolicy {
  private pending: Promise<LeaseOrReason> | null = null;
  /** The lease whose loss counts; a released or replaced device going away changes nothing. */
  private current: Lease | null = null;
  private rebuilt = false;
  /** Set once the rebuilt device was lost too: the CPU runs from then on. */
  private gaveUp: string | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GpuPolicyOptions = {}) {}

  /** The backend a job would run on now with this preference (requests the device if needed). */
  async backend(preferGpu: boolean): Promise<SimilarityBackend> {
    if (!preferGpu) return cpuBackend(GPU_OFF_REASON);
    const lease = await this.lease();
    return 'reason' in lease ? cpuBackend(lease.reason) : lease.backend;
  }

  /** Runs `job` on the GPU when it may and can, on its CPU twin otherwise; see the file comment. */
  async run<T>(job: GpuJob<T>, options: GpuRunOptions): Promise<GpuRunResult<T>> {
    throwIfAborted(options.signal);
    if (!options.preferGpu) return onCpu(job, GPU_OFF_REASON);
    for (;;) {
      const lease = await this.lease();
      if ('reason' in lease) return onCpu(job, lease.reason);
      try {
        const value = await this.takeTurn(() => withErrorScopes(lease.device, job.label, () => job.gpu(lease.device)));
        return { value, backend: lease.backend };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A lost device fails the job's reads (AbortError) before or after `lost` settles: wait
        // one task for it, then either try the rebuilt device or give up on the GPU (loop again).
        if (await settledLoss(lease)) continue;
        return onCpu(job, failureNotice(job.label, error));
      }
    }
  }

  /**
   * Forgets the device (destroying it when the policy acquired it) and any loss so far; the next
   * job requests a fresh one. For tests and for tearing a realm down.
   */
  async release(): Promise<void> {
    const pending = this.pending;
    const current = this.current;
    this.pending = null;
    this.current = null;
    this.rebuilt = false;
    this.gaveUp = null;
    await pending;
    if (current && (this.options.ownsDevices ?? !this.options.acquire)) current.device.destroy();
  }

  private lease(): Promise<LeaseOrReason> {
    if (this.gaveUp) return Promise.resolve({ reason: this.gaveUp });
    this.pending ??= this.acquireLease();
    return this.pending;
  }

  private async acquireLease(): Promise<LeaseOrReason> {
    let acquired: GpuAcquisition;
    try {
      acquired = await (this.options.acquire ?? acquireDefault)();
    } catch (error) {
      acquired = { ok: false, reason: `requesting a GPU device failed: ${firstLine(error)}` };
    }
    if (!acquired.ok) return { reason: acquired.reason };
    const { adapter, device } = acquired;
    const lease: Lease = {
      device,
      backend: {
        kind: 'webgpu',
        adapterName: adapter.description || `${adapter.vendor} ${adapter.architecture}`.trim(),
        isFallbackAdapter: adapter.isFallbackAdapter,
      },
      lost: null,
    };
    this.current = lease;
    void device.lost.then((info) => this.onLost(lease, info));
    return lease;
  }

  private onLost(lease: Lease, info: GPUDeviceLostInfo): void {
    lease.lost = info;
    if (this.current !== lease) return;
    this.current = null;
    this.pending = null;
    const why = `${info.reason}${info.message ? `: ${firstLine(info.message)}` : ''}`;
    if (this.rebuilt) {
      this.gaveUp = `GPU device lost again after one rebuild (${why})`;
      console.warn(`[gpu] ${this.gaveUp}; the CPU twins run from now on`);
    } else {
      this.rebuilt = true;
      console.warn(`[gpu] device lost (${why}); requesting a new one`);
    }
  }

  private takeTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }
}

let shared: GpuPolicy | null = null;

/** The realm's policy over navigator.gpu: every engine of a worker shares its one device. */
export function sharedGpu(): GpuPolicy {
  shared ??= new GpuPolicy();
  return shared;
}

/**
 * Runs `work` inside validation, out-of-memory and internal error scopes on `device` and throws
 * GpuValidationError, GpuOutOfMemoryError or GpuInternalError when one caught anything, even if
 * `work` itself returned: a validation error usually leaves zeros where the results should be.
 */
export async function withErrorScopes<T>(device: GPUDevice, label: string, work: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('internal');
  let result: T | undefined;
  let failure: { error: unknown } | null = null;
  try {
    result = await work();
  } catch (error) {
    failure = { error };
  }
  // Popped even when `work` threw, innermost first, so the device's scope stack stays balanced.
  // A lost device resolves them with null: the caller learns of the loss from device.lost.
  const [internal, outOfMemory, validation] = await Promise.all(
    [device.popErrorScope(), device.popErrorScope(), device.popErrorScope()].map((pop) => pop.catch(() => null)),
  );
  const cause = failure ? { cause: failure.error } : undefined;
  // Validation first: an invalid buffer or dispatch is usually the root of whatever follows.
  if (validation) throw new GpuValidationError(label, firstLine(validation.message), cause);
  if (outOfMemory) throw new GpuOutOfMemoryError(label, firstLine(outOfMemory.message), cause);
  if (internal) throw new GpuInternalError(label, firstLine(internal.message), cause);
  if (failure) throw failure.error;
  return result as T;
}

function acquireDefault(): Promise<GpuAcquisition> {
  return acquireGpu(typeof navigator !== 'undefined' ? navigator.gpu : undefined, { label: 'patent-space compute' });
}

/** True when the lease's device is lost, waiting one task for `lost` to settle after a failure. */
async function settledLoss(lease: Lease): Promise<boolean> {
  if (!lease.lost) {
    await Promise.race([lease.device.lost, new Promise((resolve) => setTimeout(resolve, 0))]);
  }
  return lease.lost !== null;
}

async function onCpu<T>(job: GpuJob<T>, reason: string): Promise<GpuRunResult<T>> {
  return { value: await job.cpu(), backend: cpuBackend(reason) };
}

function cpuBackend(reason: string): SimilarityBackend {
  return { kind: 'cpu', fallbackReason: reason };
}

function failureNotice(label: string, error: unknown): string {
  if (error instanceof GpuError) return error.message;
  // An AbortError nobody asked for comes from the GPU (a read of a destroyed buffer), not the user.
  const detail = isAbortError(error) ? `the GPU cancelled a read (${firstLine(error)})` : firstLine(error);
  return `GPU kernel failed in ${label}: ${detail}`;
}

/** Dawn's messages run to several lines of context; the first says what went wrong. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.split('\n')[0].trim();
}
