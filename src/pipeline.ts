import * as Comlink from 'comlink';
import { encoderWorker, ingestWorker, similarityWorker } from './clients/clients';
import { runCancellable } from './clients/worker-client';
import { neighbourLists } from './core/neighbours';
import type { RowError } from './core/parse/jsonl';
import type { ProgressCallback } from './core/progress';
import type { CodeLevel, Neighbour } from './core/types';
import type { SimilarityBackend } from './gpu/similarity-engine';
import { patentText } from './core/patent-text';
import type { EncoderDevice, EncoderInfo } from './ml/encoder';
import { browserRuntimeLocations } from './ml/locations';

export interface SliceSettings {
  dataUrl: string;
  modelId: string;
  level: CodeLevel;
  k: number;
  /** Off: both the encoder and the similarity kernels run on WASM/CPU. */
  preferGpu: boolean;
}

export type SliceStep = 'load' | 'embed' | 'similarity';

export interface SliceResult {
  patentCount: number;
  parseErrors: RowError[];
  encoder: EncoderInfo;
  similarity: SimilarityBackend;
  codes: string[];
  counts: number[];
  neighbours: Record<string, Neighbour[]>;
  paddingFraction: number;
  timingsMs: Record<SliceStep, number>;
}

/**
 * The walking skeleton: file → parse (worker) → embed (worker) → code vectors + similarity
 * (worker, GPU) → result for the views. Every step runs off the UI thread.
 */
export async function runSlice(
  settings: SliceSettings,
  signal: AbortSignal,
  onProgress: ProgressCallback,
  onStep: (step: SliceStep) => void,
): Promise<SliceResult> {
  const progress = Comlink.proxy(onProgress);
  const timingsMs: Record<SliceStep, number> = { load: 0, embed: 0, similarity: 0 };
  const timed = async <R>(step: SliceStep, work: () => Promise<R>): Promise<R> => {
    onStep(step);
    const started = performance.now();
    const result = await work();
    timingsMs[step] = performance.now() - started;
    return result;
  };

  const ingest = ingestWorker.get();
  const parsed = await timed('load', () =>
    runCancellable(ingest, signal, (taskId) => ingest.parseUrl(new URL(settings.dataUrl, location.href).href, { taskId }, progress)));

  const encoder = encoderWorker.get();
  const devices: EncoderDevice[] = settings.preferGpu ? ['webgpu', 'wasm'] : ['wasm'];
  const { info, embedded } = await timed('embed', async () => {
    const loadedInfo = await encoder.load({ modelId: settings.modelId, devices, ...browserRuntimeLocations(location.href) });
    const result = await runCancellable(encoder, signal, (taskId) =>
      encoder.embed(parsed.patents.map(patentText), { taskId }, progress));
    return { info: loadedInfo, embedded: result };
  });

  const similarity = similarityWorker.get();
  const table = await timed('similarity', async () => {
    await similarity.init({ preferGpu: settings.preferGpu });
    const codesOfPatents = parsed.patents.map((p) => ({ codes: p.codes }));
    return runCancellable(similarity, signal, (taskId) =>
      similarity.codeNeighbours(
        codesOfPatents,
        Comlink.transfer(embedded.vectors, [embedded.vectors.buffer]),
        embedded.dim,
        { taskId, k: settings.k, level: settings.level },
        progress,
      ));
  });

  return {
    patentCount: parsed.patents.length,
    parseErrors: parsed.errors,
    encoder: info,
    similarity: table.backend,
    codes: table.codes,
    counts: Array.from(table.counts),
    neighbours: neighbourLists(table.codes, table.topK),
    paddingFraction: embedded.paddingFraction,
    timingsMs,
  };
}
