/**
 * The 2D patent map's computations, in the layout worker (workers/layout.worker.ts): stored patent
 * vectors → PCA (the instant first view) → UMAP, with its k-NN graph from the WebGPU top-k kernel
 * when a device is available (the CPU graph of src/core/layout otherwise) → k-means topics on the
 * layout with c-TF-IDF labels. Each layout is cached in IndexedDB per (dataset, model, settings):
 * coordinates as an embedding set under `layout:…#<model>` (deleted with the dataset's other
 * vectors), the rest (topics, which k-NN ran, timings) as a setting.
 */
import { AbortRegistry, type TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import { chooseClusterCount, kMeans } from '../core/layout/clusters';
import type { NeighbourGraph } from '../core/layout/knn';
import { pca } from '../core/layout/pca';
import { noEmbeddings, type NoEmbeddings } from '../core/outcomes';
import { topicLabels } from '../core/layout/topic-labels';
import { umap, type UmapProgress } from '../core/layout/umap';
import { patentText } from '../core/patent-text';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import type { TopK } from '../core/similarity';
import type { EmbeddingSet, Patent } from '../core/types';
import type { GpuPolicy } from '../gpu/backend';
import { gpuSimilarityTopK } from '../gpu/similarity-gpu';
import { gpuOf, LazyStore, type ComputeEngineOptions } from './engine-context';
import { transferring } from './transfer';

import { DEFAULT_MAP_SETTINGS, GPU_MAX_NEIGHBOURS, type MapLayoutSettings } from '../core/settings/map-layout';
import { bytesOf, fnv1a, hex8 } from '../core/hash';

// Settings live in core so views need not import this engine.
export { DEFAULT_MAP_SETTINGS, GPU_MAX_NEIGHBOURS, type MapLayoutSettings } from '../core/settings/map-layout';

export type KnnSource = 'webgpu' | 'cpu-exact' | 'cpu-approximate';

export interface KnnReport {
  source: KnnSource;
  adapterName?: string;
  /** Why the CPU built the graph when the GPU was asked for. */
  fallbackReason?: string;
}

export interface MapTopic {
  cluster: number;
  size: number;
  label: string;
  terms: string[];
  /** Cluster centre (centroid) in layout coordinates. */
  x: number;
  y: number;
}

export interface MapLayout {
  datasetId: string;
  modelId: string;
  method: 'pca' | 'umap';
  settings: MapLayoutSettings;
  /** Patent ids in row order of `coordinates` and `clusters`. */
  ids: string[];
  /** n×2, row-major. */
  coordinates: Float32Array;
  clusters: Int32Array;
  topics: MapTopic[];
  /** Null for PCA. */
  knn: KnnReport | null;
  epochs: number;
  /** FNV-1a of the coordinates' bytes: equal hashes, identical layouts. */
  hash: string;
  /** True when read from the IndexedDB cache; timings are those of the run that computed it. */
  cached: boolean;
  timingsMs: { knn: number; layout: number; clusters: number; total: number };
}

export interface MapLayoutTask extends TaskOptions {
  /** Try the WebGPU top-k kernel for the k-NN graph (default true). */
  preferGpu?: boolean;
  /** Recompute even when a cached layout exists (the new one replaces it). */
  fresh?: boolean;
}

interface CachedMeta {
  version: 1;
  hash: string;
  source: string;
  clusters: Int32Array;
  topics: MapTopic[];
  knn: KnnReport | null;
  epochs: number;
  timingsMs: MapLayout['timingsMs'];
}

const CACHE_VERSION = 1;

export type MapLayoutEngineOptions = ComputeEngineOptions;

export class MapLayoutEngine {
  private readonly aborts = new AbortRegistry();
  private readonly store: LazyStore;
  private readonly gpu: GpuPolicy;
  /** The last dataset's vectors and texts, kept while its ids stay the same; never transferred (only layouts leave). */
  private loaded: { key: string; embeddings: EmbeddingSet; texts: string[] } | null = null;

  constructor(options: MapLayoutEngineOptions = {}) {
    this.store = new LazyStore(options.dbName);
    this.gpu = gpuOf(options);
  }

  /** Patents with stored vectors of this model (0 when the dataset has not been embedded). */
  async embeddingCount(datasetId: string, modelId: string): Promise<number> {
    return (await this.store.get()).countEmbeddings(datasetId, modelId);
  }

  /**
   * The layout of a dataset's patents. For UMAP, `onPreview` receives the PCA layout first (from
   * the cache or computed at once), then the UMAP layout is computed, reported through
   * `onProgress` ('layout' stage: patents while the k-NN graph is built, then epochs) and returned.
   * NoEmbeddings when the dataset has no vectors of the model. Coordinates and clusters are
   * transferred, not copied, out of a worker.
   */
  async layout(
    datasetId: string,
    modelId: string,
    settings: MapLayoutSettings,
    task: MapLayoutTask = {},
    onProgress?: ProgressCallback,
    onPreview?: (layout: MapLayout) => void,
  ): Promise<MapLayout | NoEmbeddings> {
    const signal = this.aborts.begin(task.taskId, task.signal);
    try {
      const data = await this.vectors(datasetId, modelId);
      if (data.kind === 'no-embeddings') return data;
      if (settings.method === 'umap' && onPreview) {
        onPreview(sent(await this.cachedOrComputed(datasetId, modelId, { ...settings, method: 'pca' }, data, { ...task, signal })));
      }
      return sent(await this.cachedOrComputed(datasetId, modelId, settings, data, { ...task, signal }, onProgress));
    } finally {
      this.aborts.end(task.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  /** The device belongs to the realm's GPU policy (shared with the other engines). */
  async destroy(): Promise<void> {
    this.loaded = null;
    await this.store.close();
  }

  private async cachedOrComputed(
    datasetId: string, modelId: string, settings: MapLayoutSettings, data: { embeddings: EmbeddingSet; texts: string[] },
    task: MapLayoutTask & { signal: AbortSignal }, onProgress?: ProgressCallback,
  ): Promise<MapLayout> {
    const store = await this.store.get();
    const key = layoutCacheKey(modelId, settings);
    const source = vectorFingerprint(data.embeddings);
    if (!task.fresh) {
      const [stored, meta] = await Promise.all([store.getEmbeddings(datasetId, key), store.getSetting<CachedMeta>(metaKey(datasetId, key))]);
      if (stored && meta && meta.version === CACHE_VERSION && meta.source === source && sameIds(stored.ids, data.embeddings.ids)
        && layoutHash(stored.vectors) === meta.hash) {
        return {
          datasetId, modelId, method: settings.method, settings: normalisedSettings(settings), ids: stored.ids,
          coordinates: stored.vectors, clusters: meta.clusters, topics: meta.topics, knn: meta.knn, epochs: meta.epochs,
          hash: meta.hash, cached: true, timingsMs: meta.timingsMs,
        };
      }
    }
    const computed = await this.compute(datasetId, modelId, settings, data, task, onProgress);
    await store.putEmbeddings(datasetId, key, computed.ids, computed.coordinates, 2);
    const meta: CachedMeta = {
      version: CACHE_VERSION, hash: computed.hash, source, clusters: computed.clusters, topics: computed.topics,
      knn: computed.knn, epochs: computed.epochs, timingsMs: computed.timingsMs,
    };
    await store.setSetting(metaKey(datasetId, key), meta);
    return computed;
  }

  private async compute(
    datasetId: string, modelId: string, settings: MapLayoutSettings, data: { embeddings: EmbeddingSet; texts: string[] },
    task: MapLayoutTask & { signal: AbortSignal }, onProgress?: ProgressCallback,
  ): Promise<MapLayout> {
    const started = performance.now();
    const { ids, vectors, dim } = data.embeddings;
    const n = ids.length;
    const s = normalisedSettings(settings);
    let coordinates: Float32Array;
    let knn: KnnReport | null = null;
    let epochs = 0;
    let knnMs = 0;
    if (s.method === 'pca' || n < 4) {
      coordinates = n < 2 ? new Float32Array(n * 2) : padTo2(pca(vectors, n, dim, { components: 2, seed: s.seed }).coordinates, n, Math.min(2, dim));
    } else {
      const k = Math.min(s.neighbours - 1, n - 1);
      let graph: NeighbourGraph | undefined;
      const available = await this.gpu.backend(task.preferGpu !== false);
      if (available.kind === 'webgpu' && s.neighbours <= GPU_MAX_NEIGHBOURS) {
        const tracker = new ProgressTracker('layout', 'patents', n, onProgress);
        const knnStarted = performance.now();
        // Without the GPU graph (it failed: the backend says why) umap() builds its own on the CPU.
        const { value, backend } = await this.gpu.run({
          label: 'k-NN graph',
          gpu: (device) => gpuKnnGraph(device, vectors, n, dim, k, task.signal, (done) => tracker.report(done)),
          cpu: () => undefined,
        }, { preferGpu: true, signal: task.signal });
        graph = value;
        knn = knnReport(backend);
        knnMs = performance.now() - knnStarted;
      } else {
        knn = available.kind === 'webgpu'
          ? { source: 'cpu-exact', fallbackReason: `${s.neighbours} neighbours: the GPU kernel keeps at most ${GPU_MAX_NEIGHBOURS}` }
          : knnReport(available);
      }
      const trackers = new Map<string, ProgressTracker>();
      const knnStarted = performance.now();
      let epochsStarted = 0;
      const report = (p: UmapProgress) => {
        if (p.phase === 'epochs' && epochsStarted === 0) {
          epochsStarted = performance.now();
          if (!graph) knnMs = epochsStarted - knnStarted;
        }
        let tracker = trackers.get(p.phase);
        if (!tracker) {
          tracker = p.phase === 'epochs' ? new ProgressTracker('layout', 'epochs', p.total, onProgress) : new ProgressTracker('layout', 'patents', n, onProgress);
          trackers.set(p.phase, tracker);
        }
        tracker.report(p.phase === 'refine' ? Math.round((p.done / Math.max(1, p.total)) * n) : p.done);
      };
      const result = await umap(vectors, n, dim, { components: 2, seed: s.seed, neighbours: s.neighbours, minDist: s.minDist, graph }, report, { signal: task.signal });
      coordinates = result.coordinates;
      epochs = result.epochs;
      if (!graph) knn = { ...knn, source: result.knn === 'approximate' ? 'cpu-approximate' : 'cpu-exact' };
    }
    const layoutMs = performance.now() - started;
    const clustersStarted = performance.now();
    const { clusters, topics } = layoutTopics(coordinates, n, data.texts, s.seed);
    const clustersMs = performance.now() - clustersStarted;
    return {
      datasetId, modelId, method: s.method, settings: s, ids, coordinates, clusters, topics, knn, epochs,
      hash: layoutHash(coordinates), cached: false,
      timingsMs: { knn: knnMs, layout: layoutMs, clusters: clustersMs, total: performance.now() - started },
    };
  }

  private async vectors(datasetId: string, modelId: string): Promise<{ kind: 'vectors'; embeddings: EmbeddingSet; texts: string[] } | NoEmbeddings> {
    const key = `${datasetId}\u0000${modelId}`;
    const store = await this.store.get();
    // The layout's rows are the stored rows in stored order (the cache compares those ids), so
    // the whole set is read as stored rather than aligned to the patents.
    const embeddings = await store.getEmbeddings(datasetId, modelId);
    if (!embeddings || embeddings.ids.length === 0) return noEmbeddings(modelId, await store.countPatents(datasetId));
    if (this.loaded?.key === key && sameIds(this.loaded.embeddings.ids, embeddings.ids)) {
      this.loaded = { key, embeddings, texts: this.loaded.texts };
      return { kind: 'vectors', ...this.loaded };
    }
    const patents = new Map((await store.getPatentsByIds(datasetId, embeddings.ids)).map((p: Patent) => [p.id, p]));
    const texts = embeddings.ids.map((id) => { const p = patents.get(id); return p ? patentText(p) : ''; });
    this.loaded = { key, embeddings, texts };
    return { kind: 'vectors', ...this.loaded };
  }
}

/** The k-NN line of the map's status: which backend built the graph, or why the CPU did. */
function knnReport(backend: SimilarityBackend): KnnReport {
  return backend.kind === 'webgpu'
    ? { source: 'webgpu', adapterName: backend.adapterName }
    : { source: 'cpu-exact', fallbackReason: backend.fallbackReason };
}

/** Coordinates and clusters move out of the worker: the cache holds its own copies. */
function sent(layout: MapLayout): MapLayout {
  return transferring(layout, [layout.coordinates, layout.clusters]);
}

/** Settings as the layout uses them (PCA ignores the UMAP ones, so they do not split its cache). */
export function normalisedSettings(settings: MapLayoutSettings): MapLayoutSettings {
  const seed = Math.trunc(settings.seed) >>> 0;
  if (settings.method === 'pca') return { method: 'pca', seed, neighbours: DEFAULT_MAP_SETTINGS.neighbours, minDist: DEFAULT_MAP_SETTINGS.minDist };
  return { method: 'umap', seed, neighbours: Math.max(2, Math.round(settings.neighbours)), minDist: Math.max(0, settings.minDist) };
}

/** The key the layout's coordinates are stored under in the embeddings store. */
export function layoutCacheKey(modelId: string, settings: MapLayoutSettings): string {
  const s = normalisedSettings(settings);
  return s.method === 'pca' ? `layout:pca:s${s.seed}#${modelId}` : `layout:umap:s${s.seed}:n${s.neighbours}:d${s.minDist}#${modelId}`;
}

function metaKey(datasetId: string, cacheKey: string): string {
  return `${cacheKey}@${datasetId}`;
}

/**
 * Cosine k-NN graph (self excluded, nearest first) from the WebGPU top-k kernel, in the form
 * umap() takes as `graph`: distance = 1 − cosine, as the CPU exactKnn computes it.
 */
export async function gpuKnnGraph(
  device: GPUDevice, vectors: Float32Array, n: number, dim: number, k: number,
  signal?: AbortSignal, onProgress?: (done: number, total: number) => void,
): Promise<NeighbourGraph> {
  const topK = await gpuSimilarityTopK(device, vectors, n, dim, Math.max(0, Math.min(k, n - 1)), { excludeSelf: true, signal, onProgress });
  return topKToGraph(topK);
}

export function topKToGraph(topK: TopK): NeighbourGraph {
  const distances = new Float32Array(topK.scores.length);
  for (let i = 0; i < distances.length; i++) {
    distances[i] = topK.indices[i] < 0 ? Infinity : Math.max(0, 1 - topK.scores[i]);
  }
  return { rows: topK.rows, k: topK.k, indices: Int32Array.from(topK.indices), distances };
}

/** k-means topics on the layout (k by chooseClusterCount) with c-TF-IDF labels at their centroids. */
export function layoutTopics(coordinates: Float32Array, n: number, texts: readonly string[], seed: number): { clusters: Int32Array; topics: MapTopic[] } {
  if (n === 0) return { clusters: new Int32Array(0), topics: [] };
  const result = kMeans(coordinates, n, 2, { k: chooseClusterCount(n), seed, restarts: 3 });
  const labels = topicLabels(texts, result.labels);
  const topics = labels.filter((l) => l.size > 0).map((l) => ({
    cluster: l.cluster, size: l.size, label: l.label || `topic ${l.cluster + 1}`, terms: l.terms.map((t) => t.term),
    x: result.centroids[l.cluster * 2], y: result.centroids[l.cluster * 2 + 1],
  }));
  return { clusters: result.labels, topics };
}

/** FNV-1a (32-bit, twice with different offsets → 16 hex digits) over the bytes of `values`. */
export function layoutHash(values: Float32Array): string {
  const bytes = bytesOf(values);
  return hex8(fnv1a(bytes)) + hex8(fnv1a(bytes, 0x050c5d1f));
}

/** Cheap fingerprint of stored vectors (shape + 64 sampled rows), so re-embedding invalidates a cached layout. */
function vectorFingerprint(embeddings: EmbeddingSet): string {
  const { ids, vectors, dim } = embeddings;
  const n = ids.length;
  const step = Math.max(1, Math.floor(n / 64));
  const sample: number[] = [];
  for (let r = 0; r < n; r += step) for (let d = 0; d < dim; d += Math.max(1, Math.floor(dim / 8))) sample.push(vectors[r * dim + d]);
  return `${n}x${dim}:${layoutHash(Float32Array.from(sample))}`;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function padTo2(coordinates: Float32Array, n: number, components: number): Float32Array {
  if (components === 2) return coordinates;
  const out = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) out[r * 2] = coordinates[r * components];
  return out;
}
