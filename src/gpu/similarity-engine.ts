import { AbortRegistry, type TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import type { ProgressCallback } from '../core/progress';
import { similarityTopK, type TopK } from '../core/similarity';
import { acquireGpu } from './device';
import { gpuSimilarityTopK } from './similarity-gpu';

export interface TopKOptions extends TaskOptions {
  k: number;
}

/**
 * Code-by-code cosine similarity with per-code top-k, on WebGPU when an adapter is available and
 * on the CPU twin otherwise (or when the GPU fails mid-way: the result is identical, only slower).
 */
export class SimilarityEngine {
  private device: GPUDevice | null = null;
  private backend: SimilarityBackend | null = null;
  private readonly aborts = new AbortRegistry();

  async init(options: { preferGpu: boolean } = { preferGpu: true }): Promise<SimilarityBackend> {
    const wantsCpu = !options.preferGpu;
    if (this.backend && wantsCpu === (this.backend.kind === 'cpu')) return this.backend;
    if (wantsCpu) return (this.backend = { kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    // Asked for the GPU again after the CPU ran: try again (the device may have been lost or off).
    const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
    const acquired = await acquireGpu(gpu);
    if (!acquired.ok) return (this.backend = { kind: 'cpu', fallbackReason: acquired.reason });
    this.device = acquired.device;
    void acquired.device.lost.then((info) => {
      // A lost device is not rebuilt here: the next call runs on the CPU twin and says so.
      this.device = null;
      this.backend = { kind: 'cpu', fallbackReason: `GPU device lost: ${info.message || info.reason}` };
    });
    return (this.backend = {
      kind: 'webgpu',
      adapterName: acquired.adapter.description || `${acquired.adapter.vendor} ${acquired.adapter.architecture}`.trim(),
      isFallbackAdapter: acquired.adapter.isFallbackAdapter,
    });
  }

  /** Each row's k most similar other rows by cosine similarity (rows need not be normalised). */
  async topK(
    vectors: Float32Array,
    n: number,
    dim: number,
    options: TopKOptions,
    onProgress?: ProgressCallback,
  ): Promise<{ topK: TopK; backend: SimilarityBackend }> {
    // The backend chosen by init() stands (WebGPU switched off stays off); GPU by default otherwise.
    const backend = this.backend ?? await this.init();
    const signal = this.aborts.begin(options.taskId, options.signal);
    const reportRows = (done: number, total: number) => onProgress?.({ stage: 'similarity', done, total, unit: 'rows-of-matrix' });
    try {
      if (backend.kind === 'webgpu' && this.device) {
        try {
          const topK = await gpuSimilarityTopK(this.device, vectors, n, dim, options.k, { excludeSelf: true, signal, onProgress: reportRows });
          return { topK, backend };
        } catch (error) {
          if (error instanceof Error && error.name === 'AbortError') throw error;
          this.backend = { kind: 'cpu', fallbackReason: `GPU kernel failed: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      const topK = similarityTopK(vectors, n, dim, options.k, true);
      reportRows(n, n);
      return { topK, backend: this.backend ?? backend };
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  destroy(): void {
    this.device?.destroy();
    this.device = null;
    this.backend = null;
  }
}
