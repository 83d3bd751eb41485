/**
 * The page's side of matching jobs (engine in the ML worker): gather the catalogue's sections,
 * make sure the patent vectors and the encoder are there when the prefilter needs them, start the
 * job, verify it with the Yes/No model, and read, export or delete it.
 */
import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { SectionScope } from '../core/match-job/job-sections';
import { usesEncoder } from '../core/match-job/shortlist';
import { toJobSection } from '../core/match-job/job-sections';
import type { JobSection, MatchJobRecord, MatchJobSettings, MatchPair } from '../core/match-job/types';
import type { BatchMergeReport } from '../core/match-job/batch-merge';
import type { ModelDtype } from '../ml/model-ref';
import type { DatasetRecord } from '../store/records';
import { BREF_CATALOGUE_ID, listCatalogueSummaries, loadJobSections } from './catalogue-client';
import { matchJobWorker } from './clients';
import { loadMatcher, loadTechniqueCatalogue } from './match-client';
import { ensureEmbeddings } from './pipeline';
import { runCancellable } from './worker-client';

export type { BatchMergeReport, JobSection, MatchJobRecord, MatchJobSettings, MatchPair, SectionScope };
export { demoDashboardSettings } from '../core/match-job/demo-job';
export { BREF_CATALOGUE_ID };

/** The demo's self-written techniques as a catalogue (they have texts, so the demo works offline). */
export const DEMO_CATALOGUE_ID = 'demo-techniques';

export async function catalogueSections(catalogueId: string, scope: SectionScope): Promise<JobSection[]> {
  if (catalogueId === DEMO_CATALOGUE_ID) {
    return (await loadTechniqueCatalogue()).map((t) => toJobSection(t.id, t.sectionTitle, t.description, []));
  }
  return loadJobSections(catalogueId, scope);
}

export interface RunJobSettings {
  modelRef: string;
  hubHost?: string;
  preferGpu: boolean;
  scope: SectionScope;
}

/** Stage 1: returns the stored job (verify() runs stage 2). */
export async function startJob(
  dataset: DatasetRecord, settings: MatchJobSettings, run: RunJobSettings, signal: AbortSignal, onProgress: ProgressCallback,
): Promise<MatchJobRecord> {
  const sections = await catalogueSections(settings.catalogueId, run.scope);
  if (usesEncoder(settings.method) || settings.sectionK > 0) {
    // Loads the encoder in the ML worker and stores the patents' vectors (or reuses them).
    const ready = await ensureEmbeddings(dataset, { modelRef: run.modelRef, hubHost: run.hubHost, preferGpu: run.preferGpu }, signal, onProgress);
    await ready.encoderReady;
  }
  const engine = matchJobWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.start(
    { datasetId: dataset.id, settings, sections, preferGpu: run.preferGpu }, { taskId }, Comlink.proxy(onProgress),
  ));
}

/** Stage 2, from where the job stopped: loads the job's Yes/No model first. */
export async function verifyJob(
  job: MatchJobRecord, preferGpu: boolean, hubHost: string | undefined, signal: AbortSignal, onProgress: ProgressCallback,
): Promise<MatchJobRecord> {
  await loadMatcher(job.settings.matcherRef, job.settings.matcherDtype as ModelDtype, preferGpu, hubHost, signal, onProgress);
  const engine = matchJobWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.verify(job.datasetId, job.id, { taskId }, Comlink.proxy(onProgress)));
}

export function listJobs(datasetId: string): Promise<MatchJobRecord[]> {
  return matchJobWorker.get().listJobs(datasetId);
}

export function jobPairs(job: MatchJobRecord): Promise<MatchPair[]> {
  return matchJobWorker.get().pairs(job.datasetId, job.id);
}

export function jobSections(job: MatchJobRecord): Promise<JobSection[]> {
  return matchJobWorker.get().sections(job.datasetId, job.id);
}

export function deleteJob(job: MatchJobRecord): Promise<void> {
  return matchJobWorker.get().deleteJob(job.datasetId, job.id);
}

export function exportJobBatch(job: MatchJobRecord, model: string, onlyOpen: boolean): Promise<{ text: string; requests: number }> {
  return matchJobWorker.get().exportBatch(job.datasetId, job.id, model, onlyOpen);
}

export async function importJobBatch(job: MatchJobRecord, file: File): Promise<{ job: MatchJobRecord; report: BatchMergeReport }> {
  return matchJobWorker.get().importBatch(job.datasetId, job.id, await file.text(), file.name);
}

export interface CatalogueChoice {
  id: string;
  name: string;
  /** Sections, and how many have their own text. */
  sections: number;
  texts: number;
  bundled: boolean;
}

/** The catalogues a job can match: the bundled BREF one, the user's own, and the demo techniques. */
export async function catalogueChoices(): Promise<CatalogueChoice[]> {
  const [summaries, demo] = await Promise.all([
    listCatalogueSummaries().catch(() => []),
    loadTechniqueCatalogue().catch(() => []),
  ]);
  const choices: CatalogueChoice[] = summaries.map((s) => ({ id: s.id, name: s.name, sections: s.sectionCount, texts: s.textCount, bundled: s.kind === 'bundled' }));
  if (demo.length > 0) choices.push({ id: DEMO_CATALOGUE_ID, name: 'Demo techniques (self-written)', sections: demo.length, texts: demo.length, bundled: true });
  return choices;
}

/** Both stages of a job in one call (the dashboard's one-click run); a cancel keeps what was verified. */
export async function runJob(
  dataset: DatasetRecord, settings: MatchJobSettings, run: RunJobSettings, signal: AbortSignal,
  onStep: (step: string) => void, onProgress: ProgressCallback,
): Promise<MatchJobRecord> {
  const job = await startJob(dataset, settings, run, signal, onProgress);
  if (job.status === 'done') return job;
  onStep(`Asking the Yes/No model about ${job.pairs} pairs (stage 2)`);
  return verifyJob(job, run.preferGpu, run.hubHost, signal, onProgress);
}
