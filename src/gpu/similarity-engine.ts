import { AbortRegistry, type TaskOptions } from '../core/abort';
import { meanOfPatentVectors } from '../core/code-vectors';
import type { ProgressCallback } from '../core/progress';
import { similarityTopK, type TopK } from '../core/similarity';
import type { CodeLevel, Patent } from '../core/types';
import { acquireGpu } from './device';
import { gpuSimilarityTopK } from './similarity-gpu';

export interface SimilarityBackend {
  kind: 'webgpu' | 'cpu';
  /** Adapter description when WebGPU runs, e.g. "SwiftShader Device (Subzero)". */
  adapterName?: string;
  isFallbackAdapter?: boolean;
  /** Why the CPU twin runs instead of WebGPU; shown to the user. */
  fallbackReason?: string;
}

export interface CodeNeighbourTable {
  codes: string[];
  counts: Uint32Array;
  topK: TopK;
  backend: SimilarityBackend;
}

export interface CodeNeighbourOptions extends TaskOptions {
  k: number;
  level: CodeLevel;
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
    if (this.backend) return this.backend;
    if (!options.preferGpu) return (this.backend = { kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
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

  /** Aggregates patent vectors to code vectors (mean of patents) and finds each code's k nearest. */
  async codeNeighbours(
    patents: Pick<Patent, 'codes'>[],
    patentVectors: Float32Array,
    dim: number,
    options: CodeNeighbourOptions,
    onProgress?: ProgressCallback,
  ): Promise<CodeNeighbourTable> {
    const backend = await this.init();
    const signal = this.aborts.begin(options.taskId, options.signal);
    try {
      const asPatents = patents.map((p, i) => ({ id: String(i), year: 0, title: '', codes: p.codes }));
      const codeVectors = meanOfPatentVectors(asPatents, patentVectors, dim, options.level);
      const n = codeVectors.codes.length;
      const reportRows = (done: number, total: number) =>
        onProgress?.({ stage: 'similarity', done, total, unit: 'rows-of-matrix' });
      let topK: TopK;
      let used = backend;
      if (backend.kind === 'webgpu' && this.device) {
        try {
          topK = await gpuSimilarityTopK(this.device, codeVectors.vectors, n, dim, options.k, { excludeSelf: true, signal, onProgress: reportRows });
        } catch (error) {
          if (error instanceof Error && error.name === 'AbortError') throw error;
          used = { kind: 'cpu', fallbackReason: `GPU kernel failed: ${error instanceof Error ? error.message : String(error)}` };
          this.backend = used;
          topK = similarityTopK(codeVectors.vectors, n, dim, options.k, true);
        }
      } else {
        topK = similarityTopK(codeVectors.vectors, n, dim, options.k, true);
        reportRows(n, n);
      }
      return { codes: codeVectors.codes, counts: codeVectors.counts, topK, backend: used };
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
