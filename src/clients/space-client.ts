import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { SpaceOutcome, SpaceSettings } from '../core/layout/space';
import type { PartnersResult } from '../engines/space-partners';

export type { PartnersResult } from '../engines/space-partners';
import { spaceWorker } from './clients';
import { runCancellable } from './worker-client';

export async function computeSpaceLayout(
  datasetId: string, modelId: string, level: CodeLevel, settings: SpaceSettings,
  options: { preferGpu: boolean; useCache: boolean }, signal: AbortSignal, onProgress: ProgressCallback,
): Promise<SpaceOutcome> {
  const engine = spaceWorker.get();
  await engine.init({ preferGpu: options.preferGpu });
  // Comlink's Remote<> splits a union result into a union of promises; it is one promise.
  return runCancellable<SpaceOutcome>(engine, signal, (taskId) =>
    engine.layout(datasetId, modelId, { taskId, level, settings, useCache: options.useCache }, Comlink.proxy(onProgress)) as Promise<SpaceOutcome>);
}

export function patentIdsOfCodes(datasetId: string, level: CodeLevel, codes: string[]): Promise<string[]> {
  return spaceWorker.get().patentIdsOfCodes(datasetId, level, codes);
}

/**
 * The code's most likely future partners; the first ask for a dataset computes its table in the
 * worker (backtesting every method), with progress, and `signal` cancels this ask.
 */
export function futurePartners(
  datasetId: string, modelId: string, level: CodeLevel, code: string, signal?: AbortSignal, onProgress: ProgressCallback = () => undefined,
): Promise<PartnersResult> {
  const engine = spaceWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.partners(datasetId, modelId, level, code, { taskId }, Comlink.proxy(onProgress)));
}
