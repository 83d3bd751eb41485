import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { SpaceEngine, SpaceOutcome, SpaceSettings } from '../gpu/space-engine';
import { LazyWorker, runCancellable } from './worker-client';

/** The technology space's own worker (layout, alignment, neighbours), started on first use. */
export const spaceWorker = new LazyWorker<SpaceEngine>(
  () => new Worker(new URL('../../workers/space.worker.ts', import.meta.url), { type: 'module', name: 'space' }),
);

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
