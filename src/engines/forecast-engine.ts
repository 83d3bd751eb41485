import { AbortRegistry, type TaskOptions } from '../core/abort';
import { codeAt } from '../core/codes';
import type { BaselineName } from '../core/forecast/baselines';
import type { CodeEmbedding } from '../core/forecast/candidate-cosine';
import { fastCpuCosineBlock, wasmCosineSupported } from '../core/fast-cosine/wasm-cosine';
import { runForecast, type ForecastInput, type ForecastReport } from '../core/forecast/forecast';
import { backtestWindows } from '../core/forecast/hybrid';
import type { LabelRule } from '../core/forecast/null-model';
import { formatRange, inRange, validateWindows, type ForecastWindows, type YearRange } from '../core/forecast/windows';
import type { NoEmbeddings } from '../core/outcomes';
import { pairCosines, pairCosinesF32, type PairCosineFn } from '../core/pair-cosine';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Patent } from '../core/types';
import type { SimilarityBackend } from '../core/backend';
import type { GpuPolicy } from '../gpu/backend';
import { gpuPairCosines } from '../gpu/forecast-cosine';
import { gpuOf, LazyStore, type ComputeEngineOptions } from './engine-context';
import { backtestVectors, codesAtLevel, meanOfPatents, techTokenVectors } from './forecast-vectors';
import type { ForecastMethod } from '../core/settings/forecast';
import { ForecastInputError } from '../core/errors';

export type { ForecastMethod } from '../core/settings/forecast';

export interface ForecastJob {
  /** The model whose stored vectors are read (patent vectors under the id, TechToken under techTokenWindowKey). */
  modelId: string;
  level: CodeLevel;
  windows: ForecastWindows;
  labels: LabelRule;
  /**
   * text-tfidf needs only the patents' texts; the hybrid is fitted on the backtest windows (the
   * windows shifted back by the scoring window's length) over the cosines of the other methods
   * chosen here and the graph scores, and applied to these windows.
   */
  methods: readonly ForecastMethod[];
  baselines: readonly BaselineName[];
  topN?: number;
  /** Off: the cosines run on the CPU twin. */
  preferGpu: boolean;
  /**
   * Cap on one block of cosine scores in bytes: the CPU's blocks of the upper triangle, the GPU's
   * chunks of candidate pairs (4 bytes each). Tests use a small one to force many blocks.
   */
  maxBlockBytes?: number;
}

export interface ForecastOutcome {
  report: ForecastReport;
  backend: SimilarityBackend;
  modelId: string;
  /** Methods asked for that could not run, and why (the hybrid: its backtest had too little data). */
  skipped: { method: ForecastMethod; reason: string }[];
  /** Methods that ran but are not features of the hybrid (no vectors of the backtest's embedding window), and why. */
  hybridLeftOut: { method: string; reason: string }[];
  timingsMs: { vectors: number; forecast: number };
}

export interface DatasetYears {
  patents: number;
  /** Null when no patent has a year. */
  firstYear: number | null;
  lastYear: number | null;
}

export interface CodePatent {
  id: string;
  title: string;
  year: number;
}


const MAX_PATENTS_PER_CODE = 500;
const BYTES_PER_SCORE = 4;

/**
 * Technology forecasting over a stored dataset, in the compute worker: reads the patents of the
 * windows' years and the vectors the encoder worker stored, builds code vectors from the
 * embedding window only and runs the core forecast (src/core/forecast) with its candidate cosines
 * on WebGPU (one score per candidate pair, gpuPairCosines) through the realm's GPU policy, or on
 * the CPU twin, with the reason reported.
 */
export class ForecastEngine {
  private readonly aborts = new AbortRegistry();
  private readonly store: LazyStore;
  private readonly gpu: GpuPolicy;

  constructor(options: ComputeEngineOptions = {}) {
    this.store = new LazyStore(options.dbName);
    this.gpu = gpuOf(options);
  }

  /** The backend the cosines will run on with this preference. */
  init(options: { preferGpu: boolean }): Promise<SimilarityBackend> {
    return this.gpu.backend(options.preferGpu);
  }

  /** Patent count and year span of a dataset, for the default windows (from the year index only). */
  async years(datasetId: string): Promise<DatasetYears> {
    return (await this.store.get()).yearSpan(datasetId);
  }

  /** The forecast, or NoEmbeddings when patents of the embedding window have no stored vector. */
  async run(datasetId: string, job: ForecastJob, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<ForecastOutcome | NoEmbeddings> {
    const signal = this.aborts.begin(task.taskId, task.signal);
    try {
      try {
        validateWindows(job.windows);
      } catch (error) {
        throw new ForecastInputError(error instanceof Error ? error.message : String(error));
      }
      const { level, windows } = job;
      const startedVectors = performance.now();
      const store = await this.store.get();
      // Only the years the windows cover: later patents take no part in a forecast.
      const lastYear = Math.max(windows.learn.to, windows.embed.to, windows.score.to);
      const patents = await store.getPatentsInYears(datasetId, { from: Number.NEGATIVE_INFINITY, to: lastYear });
      const levelName = level.replace('_', ' ');
      const hasCode = (p: Patent) => p.codes.some((code) => codeAt(level, code) !== null);
      const embedPatents = patents.filter((p) => inRange(p.year, windows.embed) && hasCode(p));
      if (embedPatents.length === 0) {
        throw new ForecastInputError(`The embedding window ${formatRange(windows.embed)} has no patents with a code at ${levelName} level: choose other years.`);
      }
      if (!patents.some((p) => inRange(p.year, windows.score) && hasCode(p))) {
        throw new ForecastInputError(`The scoring window ${formatRange(windows.score)} has no patents with a code at ${levelName} level: nothing can come true there.`);
      }

      const embeddings: Record<string, CodeEmbedding> = {};
      const skipped: ForecastOutcome['skipped'] = [];
      if (job.methods.includes('mean-of-patents')) {
        const mean = await meanOfPatents(store, datasetId, job.modelId, embedPatents, level);
        if (mean.kind === 'no-embeddings') return mean;
        embeddings['mean-of-patents'] = mean.embedding;
      }
      if (job.methods.includes('techtoken')) {
        const vectors = await techTokenVectors(store, datasetId, job.modelId, windows.embed);
        if (vectors) embeddings.techtoken = vectors;
        else skipped.push({ method: 'techtoken', reason: `${job.modelId} has no code tokens for this dataset at ${levelName} level` });
      }
      const wantsHybrid = job.methods.includes('hybrid');
      const backtest = backtestWindows(windows);
      const { embeddings: backtestEmbeddings, leftOut } = wantsHybrid
        ? await backtestVectors(store, datasetId, job.modelId, Object.keys(embeddings), patents.filter((p) => inRange(p.year, backtest.embed) && hasCode(p)), backtest.embed, level)
        : { embeddings: {}, leftOut: [] };
      const vectorsMs = performance.now() - startedVectors;

      const codesInData = patents.length < (await store.countPatents(datasetId)) ? await codesAtLevel(store, datasetId, level) : undefined;
      const input: ForecastInput = {
        patents, level, windows, labels: job.labels, embeddings, baselines: job.baselines, topN: job.topN, codesInData,
        textTfidf: job.methods.includes('text-tfidf'),
        ...(wantsHybrid ? { hybrid: { backtestEmbeddings } } : {}),
      };
      const progress: ProgressCallback | undefined = onProgress && ((p) => onProgress({ ...p, stage: 'forecast' }));
      const startedForecast = performance.now();
      const cosines = await this.cosineScorer(job, signal);
      // Without a GPU the CPU block path scores with WebAssembly SIMD (the JS twin where SIMD does not validate).
      const report: ForecastReport = await runForecast(input, {
        pairCosines: cosines.score, cosineBlock: fastCpuCosineBlock(), maxBlockBytes: job.maxBlockBytes, signal,
      }, progress);
      // Too little backtest: the hybrid is left out with the core's reason, the rest stands.
      if (report.hybridSkipped) skipped.push({ method: 'hybrid', reason: report.hybridSkipped });
      const hybridLeftOut = report.hybrid ? leftOut : [];
      return { report, backend: cosines.backend(), modelId: job.modelId, skipped, hybridLeftOut, timingsMs: { vectors: vectorsMs, forecast: performance.now() - startedForecast } };
    } finally {
      this.aborts.end(task.taskId);
    }
  }

  /**
   * The patents carrying each code at `level` (optionally only those in `range`), by year then id,
   * at most 500 per code: the drill-down of a predicted pair.
   */
  async patentsOfCodes(datasetId: string, level: CodeLevel, codes: readonly string[], range?: YearRange): Promise<Record<string, CodePatent[]>> {
    const wanted = new Set(codes);
    const result: Record<string, CodePatent[]> = Object.fromEntries(codes.map((code) => [code, []]));
    const store = await this.store.get();
    for (const p of await (range ? store.getPatentsInYears(datasetId, range) : store.getPatents(datasetId))) {
      if (range && !inRange(p.year, range)) continue;
      for (const code of new Set(p.codes.map((c) => codeAt(level, c)))) {
        if (code !== null && wanted.has(code)) result[code].push({ id: p.id, title: p.title, year: p.year });
      }
    }
    for (const list of Object.values(result)) {
      list.sort((a, b) => a.year - b.year || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      list.splice(MAX_PATENTS_PER_CODE);
    }
    return result;
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  /** The device belongs to the realm's GPU policy (shared with the other engines); only the store closes. */
  async destroy(): Promise<void> {
    await this.store.close();
  }

  /**
   * With a device: a pair scorer that runs each method's candidate cosines as one GPU job (its CPU
   * twin when that job fails), and the backend to report: the first fallback, if any. Without one
   * (or with WebGPU off) no scorer, so the CPU's block path scores the candidates, and the reason.
   */
  private async cosineScorer(job: ForecastJob, signal: AbortSignal): Promise<{ score?: PairCosineFn; backend: () => SimilarityBackend }> {
    const initial = await this.gpu.backend(job.preferGpu);
    if (initial.kind !== 'webgpu') return { backend: () => initial };
    let reported = initial;
    const maxPairsPerChunk = job.maxBlockBytes === undefined ? undefined : Math.max(1, Math.floor(job.maxBlockBytes / BYTES_PER_SCORE));
    const score: PairCosineFn = async (rows, rowCount, dim, first, second) => {
      const result = await this.gpu.run({
        label: 'forecast cosines',
        gpu: (device) => gpuPairCosines(device, rows, rowCount, dim, first, second, { signal, maxPairsPerChunk }),
        // Rounded as the CPU path without a GPU rounds (WebAssembly SIMD), so a fallback changes no score.
        cpu: () => (wasmCosineSupported() ? pairCosinesF32 : pairCosines)(rows, rowCount, dim, first, second),
      }, { preferGpu: true, signal });
      if (reported.kind === 'webgpu') reported = result.backend;
      return result.value;
    };
    return { score, backend: () => reported };
  }
}
