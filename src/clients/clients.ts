import type { ComputeWorkerApi } from '../../workers/compute.worker';
import type { MlWorkerApi } from '../../workers/ml.worker';
import type { IngestWorkerApi } from '../../workers/ingest.worker';
import type { MapLayoutEngine } from '../engines/map-layout-engine';
import { LazyWorker } from './worker-client';

/**
 * The app's workers, split by capability: parsing files, running ONNX models, the GPU/CPU maths
 * over stored vectors, and the patent map's layout (UMAP blocks for seconds, so it does not share
 * the compute worker). Each starts on first use; views reach engines only through the clients in
 * this folder.
 */
export const ingestWorker = new LazyWorker<IngestWorkerApi>(
  () => new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }),
);
export const mlWorker = new LazyWorker<MlWorkerApi>(
  () => new Worker(new URL('../../workers/ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' }),
);
export const computeWorker = new LazyWorker<ComputeWorkerApi>(
  () => new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' }),
);
export const layoutWorker = new LazyWorker<MapLayoutEngine>(
  () => new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module', name: 'layout' }),
);

/** One engine inside a worker, reached as `<worker>.<engine>` over Comlink. */
export const importWorker = { get: () => ingestWorker.get().patents };
export const catalogueWorker = { get: () => ingestWorker.get().catalogue };
export const workspaceWorker = { get: () => ingestWorker.get().workspace };
export const encoderWorker = { get: () => mlWorker.get().embedder };
export const matchWorker = { get: () => mlWorker.get().matcher };
export const matchJobWorker = { get: () => mlWorker.get().jobs };
export const chatWorker = { get: () => mlWorker.get().chat };
export const semanticWorker = { get: () => mlWorker.get().semantic, started: () => mlWorker.started };
export const similarityWorker = { get: () => computeWorker.get().neighbours };
export const forecastWorker = { get: () => computeWorker.get().forecast };
export const spaceWorker = { get: () => computeWorker.get().space };
export const dashboardWorker = { get: () => computeWorker.get().dashboard };
export const groundingWorker = { get: () => computeWorker.get().grounding };
