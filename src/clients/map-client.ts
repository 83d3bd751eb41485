import * as Comlink from 'comlink';
import { orNoEmbeddingsError, type NoEmbeddings } from '../core/outcomes';
import type { ProgressCallback } from '../core/progress';
import type { MapLayout, MapLayoutSettings } from '../engines/map-layout-engine';
import { layoutWorker } from './clients';
import { runCancellable } from './worker-client';

/** Patents of the dataset with stored vectors of `modelId` (0: not embedded yet). */
export function embeddingCount(datasetId: string, modelId: string): Promise<number> {
  return layoutWorker.get().embeddingCount(datasetId, modelId);
}

/**
 * A map layout of the dataset. For UMAP, `onPreview` gets the PCA layout first (at once), then the
 * UMAP layout resolves; cancelling through `signal` stops the worker's task.
 */
export function computeMapLayout(
  datasetId: string,
  modelId: string,
  settings: MapLayoutSettings,
  options: { preferGpu: boolean; fresh?: boolean },
  signal: AbortSignal,
  onProgress: ProgressCallback,
  onPreview?: (layout: MapLayout) => void,
): Promise<MapLayout> {
  const engine = layoutWorker.get();
  // The view still expects a NoEmbeddingsError for a dataset without vectors.
  return runCancellable<MapLayout | NoEmbeddings>(engine, signal, (taskId) => engine.layout(
    datasetId, modelId, settings, { taskId, preferGpu: options.preferGpu, fresh: options.fresh },
    Comlink.proxy(onProgress), onPreview ? Comlink.proxy(onPreview) : undefined,
  ) as Promise<MapLayout | NoEmbeddings>).then(orNoEmbeddingsError);
}
