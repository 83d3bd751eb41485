/**
 * Matching jobs: every patent of a dataset against every section of a catalogue, in the ML
 * worker beside the encoder and the Yes/No model (one ONNX Runtime).
 *
 * start() runs stage 1 (patent vectors from the store, section vectors from the loaded encoder,
 * cosine top-k both ways on the GPU or its CPU twin, TF-IDF, fusion) and stores the job with its
 * whole shortlist in one transaction. verify() runs stage 2 chunk by chunk; each chunk's P(Yes)
 * is written with the job's counters in one transaction, so a reload or a cancel resumes after the
 * last chunk written. Nothing here needs the page: a job started in one tab resumes in another.
 */
import { throwIfAborted, type TaskOptions } from '../core/abort';
import { AbortRegistry } from '../core/abort';
import { hasText, patentText } from '../core/patent-text';
import type { Progress, ProgressCallback } from '../core/progress';
import { crossTopK, type CrossTopK } from '../core/prefilter/cross-topk';
import { pairsBefore, pairsOf, toChunks } from '../core/match-job/chunks';
import { buildShortlist, sectionDocument, usesEncoder } from '../core/match-job/shortlist';
import type { JobSection, MatchJobRecord, MatchJobSettings, MatchPair, MatchPairChunk } from '../core/match-job/types';
import { countersOf, mergeBatchOutput, type BatchMergeReport } from '../core/match-job/batch-merge';
import { batchRequestLine, parseBatchOutput } from '../core/batch/openai-batch';
import { promptMessages, SEED_YES_NO_PROMPT, type YesNoPair } from '../ml/yesno';
import type { Patent } from '../core/types';
import type { GpuPolicy } from '../gpu/backend';
import { LazyJobStores, type JobStores } from '../store/job-stores';
import type { DatasetEmbedder } from './dataset-embedder';
import type { MatchEngine } from './match-engine';

export interface StartJobInput {
  datasetId: string;
  settings: MatchJobSettings;
  sections: JobSection[];
  /** Run the cosines on WebGPU when the policy has a device (the CPU twin otherwise). */
  preferGpu?: boolean;
}

/** Stage 1 on the GPU: same contract as crossTopK. Injected so tests and Node can pass their own. */
export type GpuCrossTopK = (device: GPUDevice, patents: Float32Array, p: number, sections: Float32Array, s: number, dim: number,
  options: { k: number; signal?: AbortSignal; normalized?: boolean; onProgress?: (done: number, total: number) => void }) => Promise<CrossTopK>;

export interface MatchJobEngineOptions {
  dbName?: string;
  gpu?: GpuPolicy;
  gpuCrossTopK?: GpuCrossTopK;
}

export class MatchJobEngine {
  private readonly aborts = new AbortRegistry();

  private readonly storeOpener: LazyJobStores;

  constructor(private readonly embedder: DatasetEmbedder, private readonly matcher: MatchEngine, private readonly options: MatchJobEngineOptions = {}) {
    this.storeOpener = new LazyJobStores(options.dbName);
  }

  /** Stage 1: the shortlist, stored as a new job ('verifying' when it will be verified, else 'done'). */
  async start(input: StartJobInput, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<MatchJobRecord> {
    const signal = this.aborts.begin(task.taskId, task.signal);
    const inner = { signal, taskId: task.taskId === undefined ? undefined : `${task.taskId}:inner` };
    const stopInner = (): void => { if (inner.taskId) { this.embedder.abort(inner.taskId); } };
    signal.addEventListener('abort', stopInner, { once: true });
    try {
      const { settings, sections, datasetId } = input;
      if (sections.length === 0) throw new Error(`the catalogue “${settings.catalogueName}” has no sections to match`);
      const { jobs, datasets } = await this.stores();
      const patents = (await datasets.getPatents(datasetId)).filter(hasText);
      if (patents.length === 0) throw new Error('none of the dataset’s patents has a title or an abstract to match');
      throwIfAborted(signal);
      const started = performance.now();
      let dense: CrossTopK | undefined;
      let backend: string | undefined;
      if (usesEncoder(settings.method) || settings.sectionK > 0) {
        const encoder = this.embedder.encoderInfo();
        if (!encoder) throw new Error('load an encoder before a prefilter that uses embeddings');
        // Usually stored already (the page embeds first): read them once, embed only when some are missing.
        const ids = patents.map((p) => p.id);
        let stored = await datasets.getAlignedEmbeddings(datasetId, encoder.modelId, ids);
        if (!stored || stored.ids.length !== patents.length) {
          await this.embedder.embedDataset(datasetId, inner, onProgress);
          stored = await datasets.getAlignedEmbeddings(datasetId, encoder.modelId, ids);
        }
        if (!stored || stored.ids.length !== patents.length) throw new Error(`the patents’ vectors of ${encoder.modelId} are not all stored; embed the dataset again`);
        const sectionVectors = await this.embedder.embedTexts(sections.map(sectionDocument), inner, (p) => onProgress?.({ ...p, unit: 'rows' }));
        throwIfAborted(signal);
        const k = Math.max(settings.k, settings.sectionK);
        const computed = await this.cosineTopK(stored.vectors, patents.length, sectionVectors.vectors, sections.length, stored.dim, k, input.preferGpu === true, signal, onProgress);
        dense = computed.value;
        backend = computed.backend;
      }
      const embedSeconds = (performance.now() - started) / 1000;
      const shortlisted = performance.now();
      const tracker = progressOf('similarity', 'patents', onProgress);
      const shortlist = buildShortlist({
        patentTexts: patents.map(patentText), sections, method: settings.method, k: settings.k, sectionK: settings.sectionK, dense, signal,
        onProgress: tracker,
      });
      const id = crypto.randomUUID();
      const chunks = toChunks(datasetId, id, shortlist, patents.map((p) => p.id), sections.map((s) => s.id));
      const now = Date.now();
      const job: MatchJobRecord = {
        datasetId, id, settings, status: settings.verify && chunks.length > 0 ? 'verifying' : 'done', createdAt: now, updatedAt: now,
        patents: patents.length, sections: sections.length, sectionsWithText: sections.filter((s) => s.hasText).length,
        pairs: shortlist.patent.length, chunks: chunks.length, verifiedChunks: settings.verify ? 0 : chunks.length, verifiedPairs: 0, failedPairs: 0,
        timings: { embedSeconds, prefilterSeconds: (performance.now() - shortlisted) / 1000, verifySeconds: 0 },
        ...(backend ? { prefilterBackend: backend } : {}),
      };
      throwIfAborted(signal);
      await jobs.createJob(job, sections, chunks);
      return job;
    } finally {
      signal.removeEventListener('abort', stopInner);
      this.aborts.end(task.taskId);
    }
  }

  /**
   * Stage 2, from the first chunk not yet verified to the end. The Yes/No model must be loaded
   * (MatchEngine.load). A cancel stops between chunks and keeps everything written so far.
   */
  async verify(datasetId: string, jobId: string, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<MatchJobRecord> {
    const matcher = this.matcher.matcherInfo();
    if (!matcher) throw new Error('load the Yes/No model before verifying');
    const signal = this.aborts.begin(task.taskId, task.signal);
    const innerId = task.taskId === undefined ? undefined : `${task.taskId}:verify`;
    const stopInner = (): void => { if (innerId) this.matcher.abort(innerId); };
    signal.addEventListener('abort', stopInner, { once: true });
    try {
      const { jobs, datasets } = await this.stores();
      let job = await this.requireJob(datasetId, jobId);
      if (job.status === 'done') return job;
      const sections = new Map((await jobs.getSections(datasetId, jobId)).map((s) => [s.id, s]));
      const startedAt = performance.now();
      const startPairs = pairsBefore(job.verifiedChunks, job.pairs);
      for (let c = job.verifiedChunks; c < job.chunks; c++) {
        throwIfAborted(signal);
        const chunk = await jobs.getChunk(datasetId, jobId, c);
        if (!chunk) throw new Error(`chunk ${c} of the job is missing from the store`);
        const patents = new Map((await datasets.getPatentsByIds(datasetId, [...new Set(chunk.patentIds)])).map((p) => [p.id, p]));
        const batchStarted = performance.now();
        // Pairs a server's batch output already answered keep its P(Yes).
        const open = chunk.patentIds.map((_, i) => i).filter((i) => !Number.isFinite(chunk.pYes[i]));
        const scores = await this.matcher.scorePairs(open.map((i) => pairPrompt(chunk, i, sections, patents)), { signal, taskId: innerId });
        throwIfAborted(signal); // a cancel during the batch: do not write a half-answered chunk
        open.forEach((pair, j) => {
          chunk.pYes[pair] = scores.probabilities[j];
          chunk.truncated[pair] = scores.truncated[j];
          chunk.failed[pair] = 0;
        });
        for (const failure of scores.failures) for (const j of failure.pairs) chunk.failed[open[j]] = 1;
        const missing = chunk.patentIds.filter((id) => !patents.has(id)).length;
        const seconds = (performance.now() - batchStarted) / 1000;
        job = await jobs.saveProgress(datasetId, jobId, [chunk], (current) => {
          if (current.verifiedChunks > c) return current; // another tab wrote this chunk first
          const verifiedChunks = c + 1;
          return {
            ...current, verifiedChunks, ...countersAfter(current, chunk, c), status: verifiedChunks === current.chunks ? 'done' : 'verifying', updatedAt: Date.now(),
            verifiedBy: matcher.modelId, timings: { ...current.timings, verifySeconds: current.timings.verifySeconds + seconds },
            ...(scores.failures[0] ? { lastError: scores.failures[0].reason } : missing > 0 ? { lastError: `${missing} patents of the shortlist are no longer in the dataset` } : {}),
          };
        });
        const done = pairsBefore(c + 1, job.pairs);
        const rate = (done - startPairs) / Math.max((performance.now() - startedAt) / 1000, 1e-6);
        onProgress?.({ stage: 'match', unit: 'pairs', done, total: job.pairs, rate, etaSeconds: (job.pairs - done) / Math.max(rate, 1e-9) });
      }
      return job;
    } finally {
      signal.removeEventListener('abort', stopInner);
      this.aborts.end(task.taskId);
    }
  }

  /**
   * The job's shortlist as OpenAI-style batch requests (the seed's prompt, one output token, top
   * logprobs), one JSON line per pair, for a server-size verifier (vLLM's batch runner, OpenAI's
   * Batch API). `onlyOpen`: only the pairs that have no P(Yes) yet.
   */
  async exportBatch(datasetId: string, jobId: string, model: string, onlyOpen = false): Promise<{ text: string; requests: number }> {
    const { jobs, datasets } = await this.stores();
    await this.requireJob(datasetId, jobId);
    const sections = new Map((await jobs.getSections(datasetId, jobId)).map((s) => [s.id, s]));
    const patents = new Map((await datasets.getPatents(datasetId)).map((p) => [p.id, p]));
    const lines: string[] = [];
    for (const chunk of await jobs.getChunks(datasetId, jobId)) {
      chunk.patentIds.forEach((patentId, i) => {
        if (onlyOpen && Number.isFinite(chunk.pYes[i])) return;
        lines.push(batchRequestLine({ patent: patentId, section: chunk.sectionIds[i] }, promptMessages(SEED_YES_NO_PROMPT, pairPrompt(chunk, i, sections, patents)), { model }));
      });
    }
    return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', requests: lines.length };
  }

  /** Reads a batch runner's output file back into the job (P(Yes) from the Yes/No logprobs), in one transaction. */
  async importBatch(datasetId: string, jobId: string, output: string, sourceName: string): Promise<{ job: MatchJobRecord; report: BatchMergeReport }> {
    const { jobs } = await this.stores();
    await this.requireJob(datasetId, jobId);
    const parsed = parseBatchOutput(output);
    const chunks = await jobs.getChunks(datasetId, jobId);
    const report = mergeBatchOutput(chunks, parsed);
    if (report.matched === 0) {
      throw new Error(`${sourceName} answers none of this job’s pairs (${parsed.results.length} answers${parsed.errors.length ? `, ${parsed.errors.length} unreadable lines, the first at line ${parsed.errors[0].line}: ${parsed.errors[0].reason}` : ''}); was it made from this job’s export?`);
    }
    const counters = countersOf(chunks);
    const job = await jobs.saveProgress(datasetId, jobId, chunks, (current) => ({
      ...current, ...counters, status: counters.verifiedChunks === current.chunks ? 'done' : 'verifying', updatedAt: Date.now(),
      verifiedBy: `batch output ${sourceName}`, ...(report.failedReason ? { lastError: report.failedReason } : {}),
    }));
    return { job, report };
  }

  async listJobs(datasetId: string): Promise<MatchJobRecord[]> {
    return (await this.stores()).jobs.listJobs(datasetId);
  }

  async getJob(datasetId: string, jobId: string): Promise<MatchJobRecord | null> {
    return (await (await this.stores()).jobs.getJob(datasetId, jobId)) ?? null;
  }

  /** Every pair of the job with its scores, in shortlist order (patent, then rank). */
  async pairs(datasetId: string, jobId: string): Promise<MatchPair[]> {
    return pairsOf(await (await this.stores()).jobs.getChunks(datasetId, jobId));
  }

  async sections(datasetId: string, jobId: string): Promise<JobSection[]> {
    return (await this.stores()).jobs.getSections(datasetId, jobId);
  }

  async deleteJob(datasetId: string, jobId: string): Promise<void> {
    await (await this.stores()).jobs.deleteJob(datasetId, jobId);
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  private stores(): Promise<JobStores> {
    return this.storeOpener.get();
  }

  private async requireJob(datasetId: string, jobId: string): Promise<MatchJobRecord> {
    const job = await (await this.stores()).jobs.getJob(datasetId, jobId);
    if (!job) throw new Error(`the matching job ${jobId} no longer exists`);
    return job;
  }

  async destroy(): Promise<void> {
    await this.storeOpener.close();
  }

  private async cosineTopK(
    patents: Float32Array, p: number, sections: Float32Array, s: number, dim: number, k: number, preferGpu: boolean,
    signal: AbortSignal, onProgress: ProgressCallback | undefined,
  ): Promise<{ value: CrossTopK; backend: string }> {
    const cpu = (): Promise<CrossTopK> => crossTopK(patents, p, sections, s, dim, { k, normalized: true, signal, onProgress: progressOf('similarity', 'patents', onProgress) });
    const gpuCross = this.options.gpuCrossTopK;
    if (!this.options.gpu || !gpuCross || k > 32) return { value: await cpu(), backend: preferGpu ? `cpu (${k > 32 ? 'k above 32, the GPU kernel’s limit' : 'no GPU path here'})` : 'cpu' };
    const result = await this.options.gpu.run({ label: 'prefilter top-k', gpu: (device) => gpuCross(device, patents, p, sections, s, dim, { k, signal, normalized: true, onProgress: progressOf('similarity', 'patents', onProgress) }), cpu }, { preferGpu, signal });
    return { value: result.value, backend: result.backend.kind === 'webgpu' ? 'webgpu' : `cpu (${result.backend.fallbackReason ?? 'no GPU'})` };
  }
}

/** What the Yes/No model (or a batch server) is asked about pair i of a chunk; a section or patent gone is asked by id / empty text. */
function pairPrompt(chunk: MatchPairChunk, i: number, sections: ReadonlyMap<string, JobSection>, patents: ReadonlyMap<string, Patent>): YesNoPair {
  const section = sections.get(chunk.sectionIds[i]);
  const patent = patents.get(chunk.patentIds[i]);
  return { sectionTitle: section?.title ?? chunk.sectionIds[i], technique: section?.text ?? '', patentTitle: patent?.title ?? '', patentAbstract: patent?.abstract ?? '' };
}

/** The job's pair counters once chunk `c` is written (chunks before it are verified, the rest not). */
function countersAfter(job: MatchJobRecord, chunk: MatchPairChunk, c: number): { verifiedPairs: number; failedPairs: number } {
  let failed = 0;
  for (let i = 0; i < chunk.failed.length; i++) failed += chunk.failed[i];
  const failedPairs = job.failedPairs + failed;
  return { verifiedPairs: pairsBefore(c + 1, job.pairs) - failedPairs, failedPairs };
}

function progressOf(stage: Progress['stage'], unit: Progress['unit'], onProgress: ProgressCallback | undefined): (done: number, total: number) => void {
  return (done, total) => onProgress?.({ stage, unit, done, total });
}
