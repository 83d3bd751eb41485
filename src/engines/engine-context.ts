/**
 * What the compute engines (neighbours, forecast, space, layout) share: where their database and
 * their GPU come from. In the app both default to the realm's own, so the four engines of the
 * compute worker use one store connection each and one GPU device between them (sharedGpu).
 */
import { sharedGpu, type GpuPolicy } from '../gpu/backend';
import { DatasetStore } from '../store/dataset-store';

export interface ComputeEngineOptions {
  /** IndexedDB database (tests use their own). */
  dbName?: string;
  /** The GPU policy; default the realm's (sharedGpu). Tests pass one over Dawn's device. */
  gpu?: GpuPolicy;
}

/** A store opened on first use; a failed open is forgotten so the next call tries again. */
export class LazyStore {
  private opening: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  get(): Promise<DatasetStore> {
    if (!this.opening) {
      const opening = DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
      this.opening = opening;
    }
    return this.opening;
  }

  /** Closes the connection if one was opened; the next get() opens a new one. */
  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = null;
    (await opening?.catch(() => null))?.close();
  }
}

export function gpuOf(options: ComputeEngineOptions): GpuPolicy {
  return options.gpu ?? sharedGpu();
}
