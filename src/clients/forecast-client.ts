import * as Comlink from 'comlink';
import { orNoEmbeddingsError, type NoEmbeddings } from '../core/outcomes';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { YearRange } from '../core/forecast/windows';
import type { CodePatent, DatasetYears, ForecastJob, ForecastOutcome } from '../engines/forecast-engine';
import { forecastWorker } from './clients';
import { runCancellable } from './worker-client';

/** Patent count and year span of a dataset (forecast worker). */
export function datasetYears(datasetId: string): Promise<DatasetYears> {
  return forecastWorker.get().years(datasetId);
}

/**
 * Runs a forecast in the forecast worker over the vectors the encoder worker stored
 * (src/clients/pipeline.ts prepareForecast first); cancelled through `signal`.
 */
export function runForecastJob(datasetId: string, job: ForecastJob, signal: AbortSignal, onProgress: ProgressCallback): Promise<ForecastOutcome> {
  const engine = forecastWorker.get();
  // The view still expects an error when patents of the embedding window have no vector.
  return runCancellable<ForecastOutcome | NoEmbeddings>(engine, signal, (taskId) =>
    engine.run(datasetId, job, { taskId }, Comlink.proxy(onProgress)) as Promise<ForecastOutcome | NoEmbeddings>).then(orNoEmbeddingsError);
}

/** The patents carrying each code at `level` (by year), for a predicted pair's drill-down. */
export function patentsOfCodes(datasetId: string, level: CodeLevel, codes: string[], range?: YearRange): Promise<Record<string, CodePatent[]>> {
  return forecastWorker.get().patentsOfCodes(datasetId, level, codes, range);
}
