import * as Comlink from 'comlink';
import { encoderWorker, ingestWorker, similarityWorker } from './clients';
import { datasetStore } from './store-client';
import { runCancellable } from './worker-client';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Neighbour } from '../core/types';
import type { CodeNeighbourResult, CodeVectorMethod } from '../engines/code-neighbours';
import { orNoEmbeddingsError, type NoEmbeddings } from '../core/outcomes';
import type { SimilarityBackend } from '../core/backend';
import type { EncoderInfo } from '../ml/encoder';
import { appBaseOf, browserRuntime } from '../ml/locations';
import type { DatasetRecord } from '../store/records';

export const DEMO_DATA_URL = 'demo/patents.jsonl';
export const DEMO_DATASET_NAME = 'Demo corpus (synthetic, seeded)';
const ACTIVE_DATASET_KEY = 'activeDatasetId';
/** An import left 'importing' this long ago was abandoned (tab closed mid-import). */
const STALE_IMPORT_MS = 24 * 60 * 60 * 1000;

export interface AnalysisSettings {
  /** A model reference: `bundled:…`, `hub:…`, `url:…` or `folder:…`. */
  modelRef: string;
  /** Where the hub lives (tests point it at a local server that mimics the hub's layout). */
  hubHost?: string;
  level: CodeLevel;
  k: number;
  /** 'auto': TechToken vectors when the model has tokens for the dataset's codes at this level. */
  method: 'auto' | CodeVectorMethod;
  /** Off: both the encoder and the similarity kernels run on WASM/CPU. */
  preferGpu: boolean;
}

export type AnalysisStep = 'embed' | 'similarity';

export interface AnalysisResult {
  datasetId: string;
  patentCount: number;
  encoder: EncoderInfo;
  embeddingsReused: boolean;
  similarity: SimilarityBackend;
  level: CodeLevel;
  method: CodeVectorMethod;
  /** Why the chosen method could not be used, when it could not. */
  methodNotice?: string;
  codes: string[];
  counts: number[];
  neighbours: Record<string, Neighbour[]>;
  timingsMs: Record<AnalysisStep, number>;
}

/**
 * Opens the dataset the user had last time; on a first visit imports the bundled demo through
 * the same import path as user files. Deleted datasets from an earlier session are purged here,
 * which is why an undo lasts for the session.
 */
export async function restoreActiveDataset(signal: AbortSignal, onProgress: ProgressCallback): Promise<DatasetRecord> {
  const store = await datasetStore();
  await store.purgeDeleted();
  const active = await store.getSetting<string>(ACTIVE_DATASET_KEY);
  const existing = active ? await store.getDataset(active) : undefined;
  if (existing && existing.status === 'ready' && existing.deletedAt === undefined) return existing;
  const [newest] = await store.listDatasets();
  if (newest) return setActiveDataset(newest);
  const ingest = ingestWorker.get();
  const demo = await runCancellable(ingest, signal, (taskId) => ingest.importUrl(
    new URL(DEMO_DATA_URL, location.href).href,
    { datasetName: DEMO_DATASET_NAME, level: 'subclass' },
    { taskId },
    Comlink.proxy(onProgress),
  ));
  return setActiveDataset(demo);
}

export async function setActiveDataset(dataset: DatasetRecord): Promise<DatasetRecord> {
  await (await datasetStore()).setSetting(ACTIVE_DATASET_KEY, dataset.id);
  return dataset;
}

/** Imports that were left unfinished by a closed tab long ago; never one another tab is running. */
export async function cleanUpAbandonedImports(): Promise<void> {
  const store = await datasetStore();
  await store.abortStaleImports(Date.now() - STALE_IMPORT_MS);
}

/**
 * Stored patents → embeddings (encoder worker, cached in IndexedDB) → code vectors at the
 * dataset's level + cosine top-k (similarity worker, GPU). Every step runs off the UI thread.
 */
export async function analyseDataset(
  dataset: DatasetRecord,
  settings: AnalysisSettings,
  signal: AbortSignal,
  onProgress: ProgressCallback,
  onStep: (step: AnalysisStep) => void,
): Promise<AnalysisResult> {
  const progress = Comlink.proxy(onProgress);
  const timingsMs: Record<AnalysisStep, number> = { embed: 0, similarity: 0 };
  const timed = async <R>(step: AnalysisStep, work: () => Promise<R>): Promise<R> => {
    onStep(step);
    const started = performance.now();
    const result = await work();
    timingsMs[step] = performance.now() - started;
    return result;
  };

  const encoder = encoderWorker.get();
  const { info, embedding, techToken } = await timed('embed', async () => {
    const ready = await ensureEmbeddings(dataset, settings, signal, onProgress);
    const techToken = settings.method === 'mean-of-patents' ? null
      : await runCancellable(encoder, signal, (taskId) => encoder.embedDatasetCodes(dataset.id, settings.level, { taskId }, progress));
    return { info: ready.encoder, embedding: ready, techToken };
  });
  const method: CodeVectorMethod = techToken ? 'techtoken' : 'mean-of-patents';
  const methodNotice = settings.method === 'techtoken' && !techToken
    ? `${settings.modelRef} has no code tokens for this dataset at ${settings.level.replace('_', ' ')} level: code vectors are the mean of their patents instead.`
    : undefined;

  const similarity = similarityWorker.get();
  const table = await timed('similarity', async () => {
    await similarity.init({ preferGpu: settings.preferGpu });
    // Comlink's Remote<> splits a union result into a union of promises; it is one promise.
    return orNoEmbeddingsError(await runCancellable<CodeNeighbourResult | NoEmbeddings>(similarity, signal, (taskId) =>
      similarity.neighbours(dataset.id, embedding.modelId, { taskId, level: settings.level, k: settings.k, method }, progress) as Promise<CodeNeighbourResult | NoEmbeddings>));
  });

  return {
    datasetId: dataset.id,
    patentCount: embedding.count,
    encoder: info,
    embeddingsReused: embedding.reused,
    similarity: table.backend,
    level: table.level,
    method: table.method,
    methodNotice,
    codes: table.codes,
    counts: table.counts,
    neighbours: table.neighbours,
    timingsMs,
  };
}

export interface ForecastPreparationSettings {
  modelRef: string;
  hubHost?: string;
  level: CodeLevel;
  /** The forecast's embedding window: TechToken vectors are computed from its patents only. */
  embedWindow: { from: number; to: number };
  /** Also compute TechToken code vectors of the embedding window (when the model has code tokens). */
  techToken: boolean;
  /** Off: the encoder runs on WASM (a forecast may still run its cosines on WebGPU). */
  encoderOnGpu: boolean;
}

export interface ForecastPreparation {
  encoder: EncoderInfo;
  embeddingsReused: boolean;
  /** Null when not asked for, or when the model has no code tokens at the level. */
  techToken: { codes: number; patents: number; reused: boolean } | null;
  embedMs: number;
}

/**
 * The encoder worker's part of a forecast: makes sure the dataset's patent vectors are stored
 * (reused when they are) and, when asked, the TechToken code vectors of the embedding window's
 * patents. The forecast worker then reads both from the store (src/clients/forecast-client.ts).
 */
export async function prepareForecast(
  dataset: DatasetRecord,
  settings: ForecastPreparationSettings,
  signal: AbortSignal,
  onProgress: ProgressCallback,
): Promise<ForecastPreparation> {
  const progress = Comlink.proxy(onProgress);
  const started = performance.now();
  const encoder = encoderWorker.get();
  const embedded = await ensureEmbeddings(dataset, { modelRef: settings.modelRef, hubHost: settings.hubHost, preferGpu: settings.encoderOnGpu }, signal, onProgress);
  const techToken = settings.techToken
    ? await runCancellable(encoder, signal, (taskId) => encoder.embedWindowCodes(dataset.id, settings.level, settings.embedWindow, { taskId }, progress))
    : null;
  return {
    encoder: embedded.encoder,
    embeddingsReused: embedded.reused,
    techToken: techToken && { codes: techToken.codes, patents: techToken.patents, reused: techToken.reused },
    embedMs: performance.now() - started,
  };
}

export interface EmbeddingsReady {
  /** The key the vectors are stored under (the model reference). */
  modelId: string;
  count: number;
  reused: boolean;
  encoder: EncoderInfo;
}

/**
 * Makes sure the dataset's patent vectors of `modelRef` are stored (the embed step of
 * analyseDataset alone): loads the encoder and embeds, or reuses stored vectors. For views such as
 * the patent map that need the vectors but not the code similarity table.
 */
export async function ensureEmbeddings(
  dataset: DatasetRecord,
  settings: { modelRef: string; hubHost?: string; preferGpu: boolean },
  signal: AbortSignal,
  onProgress: ProgressCallback,
): Promise<EmbeddingsReady> {
  const progress = Comlink.proxy(onProgress);
  const encoder = encoderWorker.get();
  const appBase = appBaseOf(location.href);
  const info = await runCancellable(encoder, signal, (taskId) => encoder.load({
    source: { kind: 'ref', ref: settings.modelRef, appBase, hubHost: settings.hubHost },
    runtime: browserRuntime(appBase),
    devices: settings.preferGpu ? ['webgpu', 'wasm'] : ['wasm'],
  }, { taskId }, progress));
  const embedded = await runCancellable(encoder, signal, (taskId) => encoder.embedDataset(dataset.id, { taskId }, progress));
  return { modelId: embedded.modelId, count: embedded.count, reused: embedded.reused, encoder: info };
}
