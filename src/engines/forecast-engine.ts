import { AbortRegistry, isAbortError, type TaskOptions } from '../core/abort';
import { meanOfPatentVectors } from '../core/code-vectors';
import { codeAt } from '../core/codes';
import type { BaselineName } from '../core/forecast/baselines';
import type { CodeEmbedding } from '../core/forecast/candidate-cosine';
import { runForecast, type ForecastReport } from '../core/forecast/forecast';
import type { LabelRule } from '../core/forecast/null-model';
import { formatRange, inRange, validateWindows, type ForecastWindows, type YearRange } from '../core/forecast/windows';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Patent } from '../core/types';
import { techTokenWindowKey } from '../ml/vector-keys';
import { DatasetStore } from '../store/dataset-store';
import { acquireGpu, type GpuAcquisition } from '../gpu/device';
import { gpuCosineBlock } from '../gpu/forecast-cosine';
import type { SimilarityBackend } from '../core/backend';

/** How code vectors are built for a forecast (both from the embedding window's patents only). */
export type ForecastMethod = 'mean-of-patents' | 'techtoken';

export interface ForecastJob {
  /** The model whose stored vectors are read (patent vectors under the id, TechToken under techTokenWindowKey). */
  modelId: string;
  level: CodeLevel;
  windows: ForecastWindows;
  labels: LabelRule;
  methods: readonly ForecastMethod[];
  baselines: readonly BaselineName[];
  topN?: number;
  /** Off: the cosines run on the CPU twin. */
  preferGpu: boolean;
  /** Cap on one block of cosine scores in bytes (tests use a small one to force many blocks). */
  maxBlockBytes?: number;
}

export interface ForecastOutcome {
  report: ForecastReport;
  backend: SimilarityBackend;
  modelId: string;
  /** Embedding methods asked for that could not run, and why. */
  skipped: { method: ForecastMethod; reason: string }[];
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

/** Settings that cannot give a forecast (an empty window): shown as an empty state, not a failure. */
export class ForecastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecastInputError';
  }
}

/** Gap between the GPU's bigger score blocks and the CPU twin's 16 MiB default. */
const GPU_BLOCK_BYTES = 64 * 1024 * 1024;
const MAX_PATENTS_PER_CODE = 500;

/**
 * Technology forecasting over a stored dataset, in the forecast worker: reads the patents and the
 * vectors the encoder worker stored, builds code vectors from the embedding window only and runs
 * the core forecast (src/core/forecast) with its candidate cosines on WebGPU (gpuCosineMatrix
 * blocks) or, without a GPU, on the CPU twin, with the reason reported.
 */
export class ForecastEngine {
  private readonly aborts = new AbortRegistry();
  private storePromise: Promise<DatasetStore> | null = null;
  private device: GPUDevice | null = null;
  private gpuBackend: SimilarityBackend | null = null;

  /**
   * @param dbName IndexedDB database (tests use their own)
   * @param acquire where the GPU comes from: navigator.gpu by default, the `webgpu` package in Node tests
   */
  constructor(
    private readonly dbName?: string,
    private readonly acquire: () => Promise<GpuAcquisition> = () =>
      acquireGpu(typeof navigator !== 'undefined' ? navigator.gpu : undefined, { label: 'forecast' }),
  ) {}

  /** The backend the cosines will run on with this preference (the GPU is acquired once and kept). */
  async init(options: { preferGpu: boolean }): Promise<SimilarityBackend> {
    if (!options.preferGpu) return { kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' };
    if (this.device && this.gpuBackend) return this.gpuBackend;
    const acquired = await this.acquire();
    if (!acquired.ok) return { kind: 'cpu', fallbackReason: acquired.reason };
    this.device = acquired.device;
    void acquired.device.lost.then(() => {
      this.device = null;
      this.gpuBackend = null;
    });
    return (this.gpuBackend = {
      kind: 'webgpu',
      adapterName: acquired.adapter.description || `${acquired.adapter.vendor} ${acquired.adapter.architecture}`.trim(),
      isFallbackAdapter: acquired.adapter.isFallbackAdapter,
    });
  }

  /** Patent count and year span of a dataset, for the default windows. */
  async years(datasetId: string): Promise<DatasetYears> {
    const patents = await (await this.store()).getPatents(datasetId);
    let firstYear = Number.POSITIVE_INFINITY;
    let lastYear = Number.NEGATIVE_INFINITY;
    for (const p of patents) {
      if (!Number.isFinite(p.year)) continue;
      firstYear = Math.min(firstYear, p.year);
      lastYear = Math.max(lastYear, p.year);
    }
    return {
      patents: patents.length,
      firstYear: Number.isFinite(firstYear) ? firstYear : null,
      lastYear: Number.isFinite(lastYear) ? lastYear : null,
    };
  }

  async run(datasetId: string, job: ForecastJob, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<ForecastOutcome> {
    const signal = this.aborts.begin(task.taskId, task.signal);
    try {
      try {
        validateWindows(job.windows);
      } catch (error) {
        throw new ForecastInputError(error instanceof Error ? error.message : String(error));
      }
      const { level, windows } = job;
      const startedVectors = performance.now();
      const store = await this.store();
      const patents = await store.getPatents(datasetId);
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
        embeddings['mean-of-patents'] = await this.meanOfPatents(store, datasetId, job.modelId, embedPatents, level);
      }
      if (job.methods.includes('techtoken')) {
        const stored = await store.getEmbeddings(datasetId, techTokenWindowKey(job.modelId, windows.embed));
        if (stored) embeddings.techtoken = { codes: stored.ids, dim: stored.dim, vectors: stored.vectors };
        else skipped.push({ method: 'techtoken', reason: `${job.modelId} has no code tokens for this dataset at ${levelName} level` });
      }
      const vectorsMs = performance.now() - startedVectors;

      const input = { patents, level, windows, labels: job.labels, embeddings, baselines: job.baselines, topN: job.topN };
      const progress: ProgressCallback | undefined = onProgress && ((p) => onProgress({ ...p, stage: 'forecast' }));
      const startedForecast = performance.now();
      let backend = await this.init({ preferGpu: job.preferGpu });
      let report: ForecastReport | undefined;
      if (backend.kind === 'webgpu' && this.device) {
        try {
          report = await runForecast(input, {
            cosineBlock: gpuCosineBlock(this.device, { signal }),
            maxBlockBytes: job.maxBlockBytes ?? GPU_BLOCK_BYTES,
            signal,
          }, progress);
        } catch (error) {
          if (isAbortError(error)) throw error;
          backend = { kind: 'cpu', fallbackReason: `GPU kernel failed: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      report ??= await runForecast(input, { maxBlockBytes: job.maxBlockBytes, signal }, progress);
      return { report, backend, modelId: job.modelId, skipped, timingsMs: { vectors: vectorsMs, forecast: performance.now() - startedForecast } };
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
    for (const p of await (await this.store()).getPatents(datasetId)) {
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

  destroy(): void {
    this.device?.destroy();
    this.device = null;
    this.gpuBackend = null;
    void this.storePromise?.then((store) => store.close());
    this.storePromise = null;
  }

  /** Mean-of-patents code vectors from the stored vectors of the embedding window's patents: no re-embedding. */
  private async meanOfPatents(store: DatasetStore, datasetId: string, modelId: string, embedPatents: Patent[], level: CodeLevel): Promise<CodeEmbedding> {
    const stored = await store.getEmbeddings(datasetId, modelId);
    if (!stored) throw new Error(`No patent vectors of this dataset with ${modelId}: embed it first.`);
    const rowOf = new Map(stored.ids.map((id, row) => [id, row]));
    const missing = embedPatents.filter((p) => !rowOf.has(p.id)).length;
    if (missing > 0) throw new Error(`${missing} patents of the embedding window have no stored vector with ${modelId}: embed the dataset again.`);
    const { dim } = stored;
    const vectors = new Float32Array(embedPatents.length * dim);
    embedPatents.forEach((p, i) => {
      const row = rowOf.get(p.id) as number;
      vectors.set(stored.vectors.subarray(row * dim, (row + 1) * dim), i * dim);
    });
    const codeVectors = meanOfPatentVectors(embedPatents, vectors, dim, level);
    return { codes: codeVectors.codes, dim, vectors: codeVectors.vectors };
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
