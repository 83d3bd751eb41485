import * as Comlink from 'comlink';
import { encoderWorker, importWorker, similarityWorker } from './clients';
import { datasetStore } from './store-client';
import { runCancellable } from './worker-client';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Neighbour } from '../core/types';
import type { CodeNeighbourResult, CodeVectorMethod } from '../engines/code-neighbours';
import { orNoEmbeddingsError, type NoEmbeddings } from '../core/outcomes';
import type { SimilarityBackend } from '../core/backend';
import type { EncoderInfo } from '../ml/encoder';
import { BUNDLED_MODEL_REF } from '../ml/bundled';
import { appBaseOf, browserRuntime } from '../ml/locations';
import type { ShippedCheck, ShippedInstall, ShippedProvenance } from '../engines/dataset-embedder';
import { DEFAULT_HUB_HOST, fileUrl, parseModelRef } from '../ml/model-ref';
import type { DatasetRecord } from '../store/records';
import type { DiscardedImport } from '../store/dataset-store';
import { runningImports, whenImportEnds } from '../store/import-locks';
import { sourcePrivacy } from './content-policy';
import { chipStorageKey } from './chat-context-client';

export const DEMO_DATA_URL = 'demo/patents.jsonl';
export const DEMO_DATASET_NAME = 'Demo corpus (synthetic, seeded)';
/** Vectors of the demo corpus made with the bundled model (models/recipes/demo-vectors.ts). */
export const DEMO_VECTORS_URL = 'demo/vectors/ps-techtoken-tiny.json';
const ACTIVE_DATASET_KEY = 'activeDatasetId';
/** The id of the dataset the app imported from its own demo file: the only one shipped vectors may serve. */
const BUNDLED_DEMO_KEY = 'bundledDemoDatasetId';
/** Checks of shipped vectors under way, by dataset id. */
const shippedChecks = new Map<string, Promise<ShippedCheck>>();
/** Without Web Locks, an import left 'importing' this long ago is taken for abandoned. */
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
  /**
   * Run the encoder on WebGPU even when the adapter is a software fallback (SwiftShader), where
   * it is skipped by default because WASM is ~17× faster there. Only with preferGpu.
   */
  forceOnnxWebGpu?: boolean;
}

/**
 * Where a dataset's patent vectors came from in this run: embedded here now, stored by an earlier
 * run, or shipped with the bundled demo (`shipped` says so, also for stored vectors that were).
 */
export interface EmbeddingOrigin {
  source: 'embedded' | 'stored' | 'shipped';
  shipped: ShippedProvenance | null;
  /**
   * Pending check of shipped vectors: a random sample recomputed here with the model. When it
   * fails the shipped vectors are removed and the next run embeds every patent (run again).
   */
  verification: Promise<ShippedCheck> | null;
  /** A notice: shipped vectors were rejected by an earlier check, so every patent was embedded here. */
  shippedRejected: string | null;
}

export type AnalysisStep = 'embed' | 'similarity';

export interface AnalysisResult {
  datasetId: string;
  patentCount: number;
  /** Of patentCount, those without a title or abstract: no vector, left out of mean-of-patents code vectors. */
  patentsWithoutText: number;
  encoder: EncoderInfo;
  embeddingsReused: boolean;
  /** Embedded, stored or shipped-and-verified (the status line should say which). */
  embeddings: EmbeddingOrigin;
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
  // The chat chips of a purged dataset live in localStorage, beyond the database's reach.
  for (const id of await store.purgeDeleted()) globalThis.localStorage?.removeItem(chipStorageKey(id));
  const active = await store.getSetting<string>(ACTIVE_DATASET_KEY);
  const existing = active ? await store.getDataset(active) : undefined;
  if (existing && existing.status === 'ready' && existing.deletedAt === undefined) return existing;
  const [newest] = await store.listDatasets();
  if (newest) return setActiveDataset(newest);
  const ingest = importWorker.get();
  const demo = await runCancellable(ingest, signal, (taskId) => ingest.importUrl(
    new URL(DEMO_DATA_URL, location.href).href,
    { datasetName: DEMO_DATASET_NAME, level: 'subclass' },
    { taskId },
    Comlink.proxy(onProgress),
  ));
  await store.setSetting(BUNDLED_DEMO_KEY, demo.id);
  return setActiveDataset(demo);
}

/** The id of the dataset the app imported from its own demo file, if it did. */
export async function bundledDemoDatasetId(): Promise<string | undefined> {
  return (await datasetStore()).getSetting<string>(BUNDLED_DEMO_KEY);
}

export async function setActiveDataset(dataset: DatasetRecord): Promise<DatasetRecord> {
  await (await datasetStore()).setSetting(ACTIVE_DATASET_KEY, dataset.id);
  return dataset;
}

/**
 * Removes the imports a reload or a closed tab cut short (never one another tab still runs, see
 * store/import-locks.ts) and tells `onDiscarded` what was removed: those found abandoned now, and
 * later each import whose lock was still held once it is let go while unfinished (right after a
 * reload, the worker of the page that went away may hold its lock for a moment).
 */
export async function cleanUpAbandonedImports(onDiscarded: (discarded: DiscardedImport[]) => void): Promise<void> {
  const store = await datasetStore();
  const { discarded, running } = await store.abortAbandonedImports(() => runningImports(), Date.now() - STALE_IMPORT_MS);
  if (discarded.length > 0) onDiscarded(discarded);
  for (const id of running) {
    // A failure here only leaves the unfinished import for the next start's clean-up.
    void whenImportEnds(id).then(() => store.discardUnfinished(id)).then((removed) => { if (removed) onDiscarded([removed]); }, () => undefined);
  }
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
    const shipped = ready.shippedTechToken?.level === settings.level ? ready.shippedTechToken : null;
    const techToken = settings.method === 'mean-of-patents' ? null
      : shipped ?? await ready.encoderReady.then(() => runCancellable(encoder, signal, (taskId) => encoder.embedDatasetCodes(dataset.id, settings.level, { taskId }, progress)));
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
    patentCount: embedding.count + embedding.withoutText,
    patentsWithoutText: embedding.withoutText,
    encoder: info,
    embeddingsReused: embedding.reused,
    embeddings: embedding.origin,
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
  /**
   * With techToken: the hybrid's backtest embedding window, whose TechToken vectors its fit reads
   * (computed from that window's patents only, as the forecast's are from its own).
   */
  backtestEmbedWindow?: { from: number; to: number };
  /** Off: the encoder runs on WASM (a forecast may still run its cosines on WebGPU). */
  encoderOnGpu: boolean;
  /** With encoderOnGpu: WebGPU even on a software fallback adapter (see AnalysisSettings). */
  forceOnnxWebGpu?: boolean;
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
  const embedded = await ensureEmbeddings(dataset, { modelRef: settings.modelRef, hubHost: settings.hubHost, preferGpu: settings.encoderOnGpu, forceOnnxWebGpu: settings.forceOnnxWebGpu }, signal, onProgress);
  const info = await embedded.encoderReady;
  const windowCodes = (range: { from: number; to: number }) =>
    runCancellable(encoder, signal, (taskId) => encoder.embedWindowCodes(dataset.id, settings.level, range, { taskId }, progress));
  const techToken = settings.techToken ? await windowCodes(settings.embedWindow) : null;
  // Only when the forecast's window has code tokens: the hybrid then has a TechToken cosine to fit.
  const backtestWindow = settings.backtestEmbedWindow;
  if (techToken && backtestWindow) await windowCodes(backtestWindow);
  return {
    encoder: info,
    embeddingsReused: embedded.reused,
    techToken: techToken && { codes: techToken.codes, patents: techToken.patents, reused: techToken.reused },
    embedMs: performance.now() - started,
  };
}

export interface EmbeddingsReady {
  /** The key the vectors are stored under (the model reference). */
  modelId: string;
  /** Patents with a vector. */
  count: number;
  /** Patents without any text, so without a vector (they still count in co-occurrence). */
  withoutText: number;
  reused: boolean;
  origin: EmbeddingOrigin;
  /**
   * The encoder as far as this run knows it. With shipped demo vectors the model is not loaded
   * before the vectors are shown: it then describes how the shipped vectors were made (CPU, by
   * models/recipes/demo-vectors.ts), and `encoderReady` gives the encoder loaded here.
   */
  encoder: EncoderInfo;
  /** The encoder loaded in the worker; wait for it before any other encoder call. */
  encoderReady: Promise<EncoderInfo>;
  /** TechToken code vectors stored with shipped demo vectors (at their level), else null. */
  shippedTechToken: { codes: number; level: CodeLevel } | null;
}

/**
 * Makes sure the dataset's patent vectors of `modelRef` are stored (the embed step of
 * analyseDataset alone): loads the encoder and embeds, or reuses stored vectors. For the bundled
 * demo with the bundled model on a first visit, stores the vectors shipped with the demo instead
 * and checks a random sample of them with the model in the background (`origin.verification`).
 */
export async function ensureEmbeddings(
  dataset: DatasetRecord,
  settings: { modelRef: string; hubHost?: string; preferGpu: boolean; forceOnnxWebGpu?: boolean },
  signal: AbortSignal,
  onProgress: ProgressCallback,
): Promise<EmbeddingsReady> {
  const progress = Comlink.proxy(onProgress);
  const encoder = encoderWorker.get();
  const appBase = appBaseOf(location.href);
  const source = { kind: 'ref' as const, ref: settings.modelRef, appBase, hubHost: settings.hubHost, ...sourcePrivacy() };
  const load = (task: AbortSignal | undefined) => runCancellable(encoder, task, (taskId) => encoder.load({
    source,
    runtime: browserRuntime(appBase),
    devices: settings.preferGpu ? ['webgpu', 'wasm'] : ['wasm'],
    forceWebGpu: settings.forceOnnxWebGpu === true,
  }, { taskId }, progress));
  // Only the dataset the app imported from its own demo file, with the bundled model: a user's
  // data (even a copy of the demo file) is always embedded here.
  const demo = settings.modelRef === BUNDLED_MODEL_REF && (await (await datasetStore()).getSetting<string>(BUNDLED_DEMO_KEY)) === dataset.id;
  const manifestUrl = new URL(DEMO_VECTORS_URL, location.href).href;
  // One check per dataset at a time, however many views ask for the vectors while it runs.
  const verify = (after: Promise<unknown>) => {
    let check = shippedChecks.get(dataset.id);
    if (!check) {
      check = after.then(() => runCancellable<ShippedCheck>(encoder, undefined, (taskId) => encoder.verifyShippedVectors(dataset.id, manifestUrl, { taskId })));
      const settled = check;
      shippedChecks.set(dataset.id, settled);
      void settled.catch(() => undefined).finally(() => shippedChecks.delete(dataset.id));
    }
    return check;
  };
  if (demo) {
    const modelManifestUrl = fileUrl(parseModelRef(settings.modelRef), 'manifest.json', { appBase, hubHost: settings.hubHost ?? DEFAULT_HUB_HOST });
    const install = await runCancellable<ShippedInstall>(encoder, signal, (taskId) => encoder.installShippedVectors(dataset.id, settings.modelRef, manifestUrl, modelManifestUrl, { taskId }));
    if (install.installed) {
      // The check needs the model; it runs after the vectors are shown, not before.
      const encoderReady = load(undefined);
      void encoderReady.catch(() => undefined); // a failed load surfaces through the check and later runs
      const verification = verify(encoderReady);
      const count = (await (await datasetStore()).getDataset(dataset.id))?.patentCount ?? dataset.patentCount;
      return {
        modelId: settings.modelRef, count, withoutText: 0, reused: true,
        origin: { source: 'shipped', shipped: install.provenance, verification, shippedRejected: null },
        encoder: {
          modelId: settings.modelRef, manifest: install.modelManifest, fromCache: false, device: 'cpu', dtype: 'fp32', dim: install.dim,
          maxTokens: 0, fallbackReasons: [], wasmThreads: null,
        },
        encoderReady,
        shippedTechToken: install.techToken,
      };
    }
  }
  const info = await load(signal);
  const before = demo ? await encoder.provenance(dataset.id, info.modelId) : null;
  const embedded = await runCancellable(encoder, signal, (taskId) => encoder.embedDataset(dataset.id, { taskId }, progress));
  const shipped = embedded.reused && before?.source === 'shipped' ? before : null;
  // Shipped vectors stored by a visit that closed before its check finished: check them now.
  const verification = shipped && !shipped.verified ? verify(Promise.resolve()) : null;
  const origin: EmbeddingOrigin = {
    source: embedded.reused ? 'stored' : 'embedded',
    shipped,
    verification,
    shippedRejected: !embedded.reused && before?.source === 'rejected'
      ? `The demo's shipped vectors were not used: ${before.reason}. Every patent was embedded here instead.` : null,
  };
  return {
    modelId: embedded.modelId, count: embedded.count, withoutText: embedded.withoutText, reused: embedded.reused, origin, encoder: info,
    encoderReady: Promise.resolve(info), shippedTechToken: null,
  };
}

/**
 * One line for the status: where the patent vectors came from, e.g. "shipped with the demo,
 * 32 recomputed here on WASM (worst cosine 0.99999)". `check` is the outcome of
 * `origin.verification` once it has settled.
 */
export function describeEmbeddingOrigin(origin: EmbeddingOrigin, check: ShippedCheck | null = null): string {
  if (origin.source === 'embedded') return 'embedded here';
  const shipped = origin.shipped;
  if (!shipped) return 'stored';
  const prefix = origin.source === 'shipped' ? 'shipped with the demo' : 'stored, shipped with the demo';
  if (check && !check.passed) return `${prefix}, rejected: ${check.reason ?? 'a recomputed sample differed'}`;
  const sample = check ?? (shipped.verified ? { sample: shipped.sample ?? 0, worstCosine: shipped.worstCosine ?? 0, device: shipped.checkedOn ?? '' } : null);
  if (!sample) return `${prefix}, checking a sample here…`;
  return `${prefix}, verified: ${sample.sample} recomputed here on ${sample.device.toUpperCase()} (worst cosine ${sample.worstCosine.toFixed(5)})`;
}
