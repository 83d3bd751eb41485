import * as Comlink from 'comlink';
import type { CatalogueSection } from '../core/catalogue/types';
import type { SectionScope } from '../core/match-job/job-sections';
import type { JobSection } from '../core/match-job/types';
import type { SectionInput } from '../core/catalogue/text-import';
import { BREF_CATALOGUE_ID, BUNDLED_CATALOGUE_PATH } from '../core/catalogue/format';
import type { ProgressCallback } from '../core/progress';
import type { CatalogueEngine, CatalogueOverview, CatalogueSummary, SectionWithText } from '../engines/catalogue-engine';
import type { CatalogueRecord } from '../store/catalogue-records';
import { catalogueWorker } from './clients';
import { runCancellable } from './worker-client';

export { BREF_CATALOGUE_ID };
export type { CatalogueOverview, CatalogueSection, CatalogueSummary, SectionWithText };
export type { CatalogueImportReport } from '../core/catalogue/text-import';
export type { CatalogueRecord };

/** Without Web Locks, an import older than this is one a closed tab left behind (an import of a text file takes seconds). */
const STALE_IMPORT_MS = 60 * 60 * 1000;

/**
 * Runs `use` on the catalogue engine in the ingest worker, once it knows where the bundled file
 * is: the worker would resolve a relative path against its own script, so the page resolves it
 * first. Setting the same URL again is free, which also covers a worker that was restarted. The
 * remote is never returned from an async function: awaiting a Comlink remote asks the worker for
 * the object itself (its `then`), which is not what any caller wants.
 */
async function withEngine<R>(use: (remote: Comlink.Remote<CatalogueEngine>) => Promise<R>): Promise<R> {
  const remote = catalogueWorker.get();
  await remote.setBundledUrl(new URL(BUNDLED_CATALOGUE_PATH, location.href).href);
  return use(remote);
}

/** Documents, counts and pollutant names of the bundled BREF catalogue; clears imports a closed tab left unfinished. */
export async function loadCatalogueOverview(): Promise<CatalogueOverview> {
  return withEngine(async (remote) => {
    await remote.abortStaleImports(Date.now() - STALE_IMPORT_MS);
    return remote.overview();
  });
}

export function loadDocumentSections(documentCode: string): Promise<CatalogueSection[]> {
  return withEngine((remote) => remote.documentSections(documentCode));
}

export function loadSection(sectionId: string): Promise<SectionWithText | null> {
  return withEngine((remote) => remote.getSection(BREF_CATALOGUE_ID, sectionId));
}

/** The bundled catalogue's summary: how many of its sections have a text, and the import they came from. */
export async function bundledSummary(): Promise<CatalogueSummary | undefined> {
  return (await withEngine((remote) => remote.listCatalogues())).find((c) => c.id === BREF_CATALOGUE_ID);
}

/** Streams a JSONL file of `{id, text}` lines into the store as texts of the bundled catalogue. */
export function importSectionTexts(file: File, signal: AbortSignal, onProgress: ProgressCallback): Promise<CatalogueRecord> {
  return withEngine((remote) => runCancellable(remote, signal, (taskId) => remote.importFile(file, { kind: 'texts' }, { taskId }, Comlink.proxy(onProgress))));
}

/** The bundled catalogue first, then the user's own, newest first. */
export function listCatalogueSummaries(): Promise<CatalogueSummary[]> {
  return withEngine((remote) => remote.listCatalogues());
}

/** The sections a matching job takes from a catalogue, each with its text or its headings. */
export function loadJobSections(catalogueId: string, scope: SectionScope): Promise<JobSection[]> {
  return withEngine((remote) => remote.jobSections(catalogueId, scope));
}

/** Streams a BAT conclusions file (`{id, bref, bat_id, title, text}` lines) into the store; it replaces the ones loaded before. */
export function importBatConclusions(file: File, signal: AbortSignal, onProgress: ProgressCallback): Promise<CatalogueRecord> {
  return withEngine((remote) => runCancellable(remote, signal, (taskId) => remote.importFile(file, { kind: 'bat' }, { taskId }, Comlink.proxy(onProgress))));
}

/** The loaded BAT conclusions of a BREF document ([] when none were loaded). */
export function loadBatConclusions(documentCode: string): Promise<SectionInput[]> {
  return withEngine((remote) => remote.batConclusions(documentCode));
}
