import { hasText } from '../core/patent-text';
import type { TaskOptions } from '../core/abort';
import type { ProgressCallback } from '../core/progress';
import { DatasetStore } from '../store/dataset-store';
import { EncoderEngine } from '../ml/encoder';
import type { ModelDtype } from '../ml/model-ref';
import type { ModelCheckReport } from '../ml/reference-check';
import { loadOnFirstDevice, type ModelSource, type RuntimeOptions } from '../ml/runtime';
import { YesNoEngine, type YesNoPair, type YesNoScores } from '../ml/yesno';

/** A pollution-abatement technique as the catalogue describes it (public/demo/techniques.json). */
export interface Technique {
  id: string;
  sectionTitle: string;
  description: string;
  pollutants?: string[];
}

export interface MatcherLoadOptions {
  source: ModelSource;
  runtime?: RuntimeOptions;
  /** Tried in order; the first that loads wins and earlier failures become the fallback notice. */
  devices: MatcherDevice[];
  dtype: ModelDtype;
  /** Run on WebGPU even on a software fallback adapter (skipped otherwise: WASM is faster there). */
  forceWebGpu?: boolean;
}

type MatcherDevice = 'webgpu' | 'wasm' | 'cpu';

export interface MatcherInfo {
  modelId: string;
  device: MatcherDevice;
  dtype: ModelDtype;
  fallbackReasons: string[];
}

export interface TechniqueScores {
  techniqueId: string;
  patentIds: string[];
  /** P(Yes) per patent, in patentIds order; NaN where scoring failed (see failures). */
  probabilities: Float32Array;
  /** 1 where the patent's text was cut to fit the model's context. */
  truncated: Uint8Array;
  /** Patents whose batch failed, with the reason: the others are still scored. */
  failures: { patentIds: string[]; reason: string }[];
}

/**
 * Matches a stored dataset's patents to a technique with a Yes/No model (one forward pass per
 * pair), and checks any model against its recipe's reference outputs. Runs in the match worker.
 */
export class MatchEngine {
  private readonly yesNo = new YesNoEngine();
  private info: MatcherInfo | null = null;
  /** The load request the current model answers: the same request keeps it. */
  private loadedFor = '';
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  async load(options: MatcherLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<MatcherInfo> {
    const modelId = options.source.kind === 'path' ? options.source.id : options.source.ref;
    const current = this.info;
    const request = JSON.stringify([modelId, options.dtype, options.devices, options.forceWebGpu === true]);
    if (current && this.loadedFor === request) return current;
    this.info = null;
    const { device, fallbackReasons } = await loadOnFirstDevice(options.devices, options.forceWebGpu === true,
      (d) => this.yesNo.load({ source: options.source, runtime: options.runtime, device: d, dtype: options.dtype }, task, onProgress), modelId);
    this.info = { modelId, device, dtype: options.dtype, fallbackReasons };
    this.loadedFor = request;
    return this.info;
  }

  /** P(Yes) of every patent of the dataset for one technique. */
  async scoreDataset(datasetId: string, technique: Technique, options: TaskOptions & { batchSize?: number } = {}, onProgress?: ProgressCallback): Promise<TechniqueScores> {
    if (!this.info) throw new Error('MatchEngine.load() must finish before scoreDataset()');
    const all = await (await this.store()).getPatents(datasetId);
    // A patent without any text (imported for its year and codes) gives the model nothing to
    // judge: it is listed as not scored, with the reason, instead of answering on an empty prompt.
    const patents = all.filter(hasText);
    const untitled = all.filter((p) => !hasText(p)).map((p) => p.id);
    const scored = patents.length === 0 ? null : await this.yesNo.scoreFitted(patents.map((patent) => ({
      sectionTitle: technique.sectionTitle,
      technique: technique.description,
      patentTitle: patent.title,
      patentAbstract: patent.abstract ?? '',
    })), options, onProgress);
    if (!scored) throw new Error(`no patent could be scored: none of the ${all.length} patents has a title or an abstract`);
    if (scored.failures.length > 0 && scored.failures.reduce((n, f) => n + f.pairs.length, 0) === patents.length) {
      throw new Error(`no patent could be scored: ${scored.failures[0].reason}`);
    }
    const failures = scored.failures.map((f) => ({ patentIds: f.pairs.map((i) => patents[i].id), reason: f.reason }));
    if (untitled.length > 0) failures.push({ patentIds: untitled, reason: 'no title or abstract to judge' });
    return {
      techniqueId: technique.id,
      patentIds: [...patents.map((p) => p.id), ...untitled],
      probabilities: Float32Array.from([...scored.probabilities, ...untitled.map(() => Number.NaN)]),
      truncated: Uint8Array.from([...scored.truncated, ...untitled.map(() => 0)]),
      failures,
    };
  }

  /** The loaded Yes/No model, or null before load(). */
  matcherInfo(): MatcherInfo | null {
    return this.info;
  }

  /** P(Yes) of given pairs, prompts cut to the context; a failed batch costs only its own pairs. */
  scorePairs(pairs: YesNoPair[], options: TaskOptions & { batchSize?: number } = {}, onProgress?: ProgressCallback): Promise<YesNoScores> {
    if (!this.info) throw new Error('MatchEngine.load() must finish before scorePairs()');
    return this.yesNo.scoreFitted(pairs, options, onProgress);
  }

  /** Checks the loaded Yes/No model against its reference.json. */
  checkLoaded(): Promise<ModelCheckReport> {
    return this.yesNo.checkReference();
  }

  /**
   * Loads an encoder on its own (the dataset's encoder session is left alone) and checks it on
   * exactly the device asked for: a check on WebGPU runs there even on a software adapter.
   */
  async checkEncoder(options: { source: ModelSource; runtime?: RuntimeOptions; device: 'webgpu' | 'wasm' | 'cpu'; dtype: ModelDtype }): Promise<ModelCheckReport> {
    const engine = new EncoderEngine();
    try {
      await engine.load({ source: options.source, runtime: options.runtime, devices: [options.device], dtype: options.dtype, forceWebGpu: true });
      return await engine.checkReference();
    } finally {
      await engine.destroy();
    }
  }

  abort(taskId: string): void {
    this.yesNo.abort(taskId);
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
