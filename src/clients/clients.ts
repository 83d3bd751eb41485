import type { IngestEngine } from '../core/parse/ingest';
import type { SimilarityEngine } from '../gpu/similarity-engine';
import type { EncoderEngine } from '../ml/encoder';
import { LazyWorker } from './worker-client';

/** One lazily started worker per engine; views reach engines only through these. */
export const ingestWorker = new LazyWorker<IngestEngine>(
  () => new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }),
);
export const encoderWorker = new LazyWorker<EncoderEngine>(
  () => new Worker(new URL('../../workers/encoder.worker.ts', import.meta.url), { type: 'module', name: 'encoder' }),
);
export const similarityWorker = new LazyWorker<SimilarityEngine>(
  () => new Worker(new URL('../../workers/similarity.worker.ts', import.meta.url), { type: 'module', name: 'similarity' }),
);
