/**
 * The 3D technology space engine: reads a dataset's patents and stored vectors, runs the pure
 * computation (`computeSpace` in core/layout/space.ts) with nearest codes on the WebGPU kernels
 * (SimilarityEngine; CPU twin without an adapter) and caches the result in the store.
 */
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import {
  computeSpace, validSpaceSettings, type NeighbourSearch, type SpaceLayout, type SpaceOutcome, type SpaceResult, type SpaceSettings,
} from '../core/layout/space';
import { codeAt } from '../core/codes';
import { noEmbeddings } from '../core/outcomes';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import { gpuOf, LazyStore, type ComputeEngineOptions } from './engine-context';
import { SimilarityEngine } from './similarity-engine';
import { SpacePartners, type PartnersResult } from './space-partners';
import { transferring } from './transfer';

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
  private readonly aborts = new AbortRegistry();
  private readonly similarity: SimilarityEngine;
  private readonly store: LazyStore;
  private readonly futurePartners: SpacePartners;

  constructor(options: ComputeEngineOptions = {}) {
    this.similarity = new SimilarityEngine(gpuOf(options));
    this.store = new LazyStore(options.dbName);
    this.futurePartners = new SpacePartners(this.store);
  }

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
      const store = await this.store.get();
      const started = performance.now();
      const patentCount = await store.countPatents(datasetId);
      const key = JSON.stringify([datasetId, modelId, options.level, patentCount, settings]);
      if (options.useCache !== false) {
        const cached = await store.getSetting<CachedSpace>(cacheKey(datasetId));
        if (cached && cached.key === key) {
          return sent({ kind: 'layout', layout: cached.layout, modelId, patents: cached.patents, fromCache: true, readMs: performance.now() - started });
        }
      }
      const patents = await store.getPatents(datasetId);
      const aligned = await store.getAlignedEmbeddings(datasetId, modelId, patents.map((p) => p.id));
      if (!aligned) return noEmbeddings(modelId, patents.length);
      const embedded = patents.filter((_, i) => aligned.found[i] === 1);
      const { vectors, dim } = aligned;
      const readMs = performance.now() - started;
      throwIfAborted(signal);
      // init() chose the backend (WebGPU switched off stays off); the engine falls back to the CPU twin.
      const search: NeighbourSearch = (v, n, dim, k, s) => this.similarity.topK(v, n, dim, { k, signal: s }, onProgress);
      const layout = await computeSpace({ patents: embedded, vectors, dim, level: options.level }, settings, search, { signal, onProgress });
      // Stored (a structured copy) before the arrays leave the worker.
      await store.setSetting<CachedSpace>(cacheKey(datasetId), { key, layout, patents: embedded.length });
      return sent({ kind: 'layout', layout, modelId, patents: embedded.length, fromCache: false, readMs });
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  /** Ids of the patents that carry any of `codes` at `level` (for the shared selection). */
  async patentIdsOfCodes(datasetId: string, level: CodeLevel, codes: string[]): Promise<string[]> {
    const wanted = new Set(codes);
    const patents = await (await this.store.get()).getPatents(datasetId);
    return patents.filter((p) => p.codes.some((c) => { const at = codeAt(level, c); return at !== null && wanted.has(at); })).map((p) => p.id);
  }

  /** A code's most likely future partners (space-partners.ts): the dataset's table is computed on the first ask. */
  async partners(datasetId: string, modelId: string, level: CodeLevel, code: string, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<PartnersResult> {
    const signal = this.aborts.begin(task.taskId, task.signal);
    try {
      return await this.futurePartners.partners(datasetId, modelId, level, code, signal, onProgress);
    } finally {
      this.aborts.end(task.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
    this.similarity.abort(taskId);
  }

  async destroy(): Promise<void> {
    this.similarity.destroy();
    await this.store.close();
  }
}

/** The layout's typed arrays move to the caller's thread instead of being copied. */
function sent(result: SpaceResult): SpaceResult {
  const { layout } = result;
  return transferring(result, [layout.positions, layout.trajectories, layout.observed, layout.neighbours.indices, layout.neighbours.scores]);
}
