import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { MatcherInfo, Technique, TechniqueScores } from '../engines/match-engine';
import type { ModelDtype } from '../ml/model-ref';
import type { ModelCheckReport } from '../ml/reference-check';
import { appBaseOf, browserRuntime } from '../ml/locations';
import { matchWorker } from './clients';
import { runCancellable } from './worker-client';
import { sourcePrivacy } from './content-policy';

export const TECHNIQUES_URL = 'demo/techniques.json';
export const BUNDLED_YES_NO_REF = 'bundled:ps-llama-yesno-tiny';

function source(modelRef: string, hubHost: string | undefined) {
  return { kind: 'ref' as const, ref: modelRef, appBase: appBaseOf(location.href), hubHost, ...sourcePrivacy() };
}

/** The technique catalogue the app ships (a BREF-like demo catalogue). */
export async function loadTechniqueCatalogue(url = TECHNIQUES_URL): Promise<Technique[]> {
  const response = await fetch(new URL(url, location.href));
  if (!response.ok) throw new Error(`the technique catalogue ${url} could not be read (HTTP ${response.status})`);
  return ((await response.json()) as { techniques: Technique[] }).techniques;
}

/**
 * With `preferGpu` the model runs on WebGPU when the adapter is a real GPU; on a software
 * fallback adapter (SwiftShader) it runs on WASM, unless `forceWebGpu`.
 */
export function loadMatcher(
  modelRef: string, dtype: ModelDtype, preferGpu: boolean, hubHost: string | undefined,
  signal: AbortSignal, onProgress: ProgressCallback, forceWebGpu = false,
): Promise<MatcherInfo> {
  const engine = matchWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.load(
    { source: source(modelRef, hubHost), runtime: browserRuntime(appBaseOf(location.href)), devices: preferGpu ? ['webgpu', 'wasm'] : ['wasm'], dtype, forceWebGpu },
    { taskId },
    Comlink.proxy(onProgress),
  ));
}

export function scoreTechnique(datasetId: string, technique: Technique, signal: AbortSignal, onProgress: ProgressCallback): Promise<TechniqueScores> {
  const engine = matchWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.scoreDataset(datasetId, technique, { taskId }, Comlink.proxy(onProgress)));
}

/**
 * Runs a bundled or remote model's recipe references on the chosen backend, in the match worker:
 * an explicit choice, so WebGPU is used even on a software fallback adapter.
 */
export async function checkModel(
  modelRef: string, kind: 'encoder' | 'yes-no', dtype: ModelDtype, device: 'webgpu' | 'wasm', hubHost?: string,
): Promise<ModelCheckReport> {
  const engine = matchWorker.get();
  const runtime = browserRuntime(appBaseOf(location.href));
  if (kind === 'encoder') return engine.checkEncoder({ source: source(modelRef, hubHost), runtime, device, dtype });
  const loaded = await engine.load({ source: source(modelRef, hubHost), runtime, devices: [device], dtype, forceWebGpu: true }, {});
  if (loaded.device !== device) throw new Error(`${modelRef} did not load on ${device}`);
  return engine.checkLoaded();
}
