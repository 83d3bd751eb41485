import { AbortRegistry, type TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import type { ProgressCallback } from '../core/progress';
import { similarityTopK, type TopK } from '../core/similarity';
import { sharedGpu, type GpuPolicy } from '../gpu/backend';
import { gpuSimilarityTopK } from '../gpu/similarity-gpu';

export interface TopKOptions extends TaskOptions {
  k: number;
}

/**
 * Code-by-code cosine similarity with per-code top-k, through the realm's GPU policy: on WebGPU
 * when there is a device, on the CPU twin otherwise or when the GPU fails (the result is the
 * same, only slower, and the backend says why).
 */
export class SimilarityEngine {
  /** Set by init(); stays until the next init, so "WebGPU off" holds for every later call. */
  private preferGpu = true;
  private readonly aborts = new AbortRegistry();

  constructor(private readonly gpu: GpuPolicy = sharedGpu()) {}

  /** The backend the next topK will run on with this preference. */
  init(options: { preferGpu: boolean } = { preferGpu: true }): Promise<SimilarityBackend> {
    this.preferGpu = options.preferGpu;
    return this.gpu.backend(this.preferGpu);
  }

  /** Each row's k most similar other rows by cosine similarity (rows need not be normalised). */
  async topK(
    vectors: Float32Array,
    n: number,
    dim: number,
    options: TopKOptions,
    onProgress?: ProgressCallback,
  ): Promise<{ topK: TopK; backend: SimilarityBackend }> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    const reportRows = (done: number, total: number) => onProgress?.({ stage: 'similarity', done, total, unit: 'rows-of-matrix' });
    try {
      const { value, backend } = await this.gpu.run({
        label: 'similarity top-k',
        gpu: (device) => gpuSimilarityTopK(device, vectors, n, dim, options.k, { excludeSelf: true, signal, onProgress: reportRows }),
        cpu: () => {
          const topK = similarityTopK(vectors, n, dim, options.k, true);
          reportRows(n, n);
          return topK;
        },
      }, { preferGpu: this.preferGpu, signal });
      return { topK: value, backend };
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  /** The device belongs to the realm's policy, shared with other engines: nothing to free here. */
  destroy(): void {
    this.preferGpu = true;
  }
}
