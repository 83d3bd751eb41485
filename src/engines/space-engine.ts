/**
 * The 3D technology space engine: reads a dataset's patents and stored vectors, runs the pure
 * computation (`computeSpace` in core/layout/space.ts) with nearest codes on the WebGPU kernels
 * (SimilarityEngine; CPU twin without an adapter) and caches the result in the store.
 */
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import {
  computeSpace, validSpaceSettings, type NeighbourSearch, type SpaceLayout, type SpaceOutcome, type SpaceSettings,
} from '../core/layout/space';
import { codeAt } from '../core/codes';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import { SimilarityEngine } from '../gpu/similarity-engine';
import { DatasetStore } from '../store/dataset-store';
const cacheKey = (datasetId: string) => `spaceCache:${datasetId}`;

interface CachedSpace {
  key: string;
  layout: SpaceLayout;
  patents: number;
}

/**
 * Reads a dataset's patents and stored vectors and computes its technology space, cached in the
 * store per dataset (one entry: the last dataset × model × level × settings computed).
 */
export class SpaceEngine {
  private storePromise: Promise<DatasetStore> | null = null;
  private readonly aborts = new AbortRegistry();

  constructor(private readonly dbName?: string, private readonly similarity: SimilarityEngine = new SimilarityEngine()) {}

  init(options: { preferGpu: boolean }): Promise<SimilarityBackend> {
    return this.similarity.init(options);
  }

  async layout(
    datasetId: string,
    modelId: string,
    options: TaskOptions & { level: CodeLevel; settings: SpaceSettings; useCache?: boolean },
    onProgress?: ProgressCallback,
  ): Promise<SpaceOutcome> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    try {
      const settings = validSpaceSettings(options.settings);
      const store = await this.store();
      const started = performance.now();
      const patentCount = await store.countPatents(datasetId);
      const key = JSON.stringify([datasetId, modelId, options.level, patentCount, settings]);
      if (options.useCache !== false) {
        const cached = await store.getSetting<CachedSpace>(cacheKey(datasetId));
        if (cached && cached.key === key) return { kind: 'layout', layout: cached.layout, modelId, patents: cached.patents, fromCache: true, readMs: performance.now() - started };
      }
      const [patents, embeddings] = await Promise.all([store.getPatents(datasetId), store.getEmbeddings(datasetId, modelId)]);
      if (!embeddings) return { kind: 'no-embeddings', modelId, patents: patents.length };
      const rowOf = new Map(embeddings.ids.map((id, row) => [id, row]));
      const embedded = patents.filter((p) => rowOf.has(p.id));
      const vectors = new Float32Array(embedded.length * embeddings.dim);
      embedded.forEach((p, i) => {
        const row = rowOf.get(p.id) as number;
        vectors.set(embeddings.vectors.subarray(row * embeddings.dim, (row + 1) * embeddings.dim), i * embeddings.dim);
      });
      const readMs = performance.now() - started;
      throwIfAborted(signal);
      // init() chose the backend (WebGPU switched off stays off); the engine falls back to the CPU twin.
      const search: NeighbourSearch = (v, n, dim, k, s) => this.similarity.topK(v, n, dim, { k, signal: s }, onProgress);
      const layout = await computeSpace({ patents: embedded, vectors, dim: embeddings.dim, level: options.level }, settings, search, { signal, onProgress });
      await store.setSetting<CachedSpace>(cacheKey(datasetId), { key, layout, patents: embedded.length });
      return { kind: 'layout', layout, modelId, patents: embedded.length, fromCache: false, readMs };
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  /** Ids of the patents that carry any of `codes` at `level` (for the shared selection). */
  async patentIdsOfCodes(datasetId: string, level: CodeLevel, codes: string[]): Promise<string[]> {
    const wanted = new Set(codes);
    const patents = await (await this.store()).getPatents(datasetId);
    return patents.filter((p) => p.codes.some((c) => { const at = codeAt(level, c); return at !== null && wanted.has(at); })).map((p) => p.id);
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
    this.similarity.abort(taskId);
  }

  async destroy(): Promise<void> {
    this.similarity.destroy();
    (await this.storePromise)?.close();
    this.storePromise = null;
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
