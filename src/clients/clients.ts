import type { CodeNeighbourEngine } from '../gpu/code-neighbours';
import type { ForecastEngine } from '../gpu/forecast-engine';
import type { DatasetEmbedder } from '../ml/dataset-embedder';
import type { MatchEngine } from '../ml/match-engine';
import type { ImportEngine } from '../store/import-engine';
import { LazyWorker } from './worker-client';

/** One lazily started worker per engine; views reach engines only through these. */
export const ingestWorker = new LazyWorker<ImportEngine>(
  () => new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }),
);
export const encoderWorker = new LazyWorker<DatasetEmbedder>(
  () => new Worker(new URL('../../workers/encoder.worker.ts', import.meta.url), { type: 'module', name: 'encoder' }),
);
export const similarityWorker = new LazyWorker<CodeNeighbourEngine>(
  () => new Worker(new URL('../../workers/similarity.worker.ts', import.meta.url), { type: 'module', name: 'similarity' }),
);
export const matchWorker = new LazyWorker<MatchEngine>(
  () => new Worker(new URL('../../workers/match.worker.ts', import.meta.url), { type: 'module', name: 'match' }),
);
export const forecastWorker = new LazyWorker<ForecastEngine>(
  () => new Worker(new URL('../../workers/forecast.worker.ts', import.meta.url), { type: 'module', name: 'forecast' }),
);
