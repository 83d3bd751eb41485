/**
 * The technique catalogues: the bundled BREF catalogue (reference facts shipped with the app) and
 * what the user imports from catalogue text files: texts for the bundled sections, merged by id,
 * or a catalogue of its own (a company's technique list in the same JSONL shape). Plain class over
 * core and store; runs in Node tests and, later, in a worker.
 */
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import type { Catalogue } from '../core/catalogue/catalogue';
import { parseCatalogue } from '../core/catalogue/decode';
import { BREF_CATALOGUE_ID, BUNDLED_CATALOGUE_PATH } from '../core/catalogue/format';
import { CatalogueImportCollector, type CatalogueImportReport, type SectionInput } from '../core/catalogue/text-import';
import { CatalogueTextReader } from '../core/catalogue/text-reader';
import type { CatalogueCounts, CatalogueDocument, CatalogueSection } from '../core/catalogue/types';
import { sniffEncoding, StreamDecoder } from '../core/ingest/encoding';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { CatalogueStore, type CatalogueRecord } from '../store/catalogue-store';
import { browserLocks, holdImportLock, runningImports, type ImportLockManager } from '../store/import-locks';
import { bundledJobSections, ownJobSections, type SectionScope } from '../core/match-job/job-sections';
import type { JobSection } from '../core/match-job/types';

// Shared with the page's client, which must not import this module's code.
export { BREF_CATALOGUE_ID, BUNDLED_CATALOGUE_PATH };

/** Sections (rows) and text characters written per transaction. */
const WRITE_ROWS = 500;
const WRITE_CHARS = 4_000_000;

export interface CatalogueEngineOptions {
  /** IndexedDB database (tests use their own). */
  dbName?: string;
  /** The bundled file: a URL to fetch, or a function giving its text (Node tests read the file). */
  bundled?: string | URL | (() => Promise<string>);
  /** Web Locks (default navigator.locks where there is one; tests pass their own). */
  locks?: ImportLockManager | null;
}

/** A catalogue text file: a browser File, or anything with a name, a size and a byte stream. */
export interface CatalogueTextSource {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

/** What to import a file as: texts of the bundled catalogue, or a catalogue of its own. */
export type CatalogueImportTarget =
  | { kind: 'texts' }
  | { kind: 'own'; name: string; /** An own catalogue this import replaces once complete. */ replaces?: string }
  /** BAT conclusions: the file replaces the ones loaded before, once complete. */
  | { kind: 'bat' };

export interface CatalogueSummary {
  id: string;
  name: string;
  kind: 'bundled' | 'own';
  sectionCount: number;
  /** Sections that have a text. */
  textCount: number;
  /** The import the texts or sections came from; absent for the bundled catalogue without texts. */
  record?: CatalogueRecord;
}

/** The bundled catalogue as plain data for a page (the Catalogue class does not cross a worker boundary). */
export interface CatalogueOverview {
  fingerprint: string;
  counts: CatalogueCounts;
  documents: CatalogueDocument[];
  /** Pollutant names by index (sections refer to them by index). */
  pollutants: string[];
}

export interface SectionWithText {
  catalogueId: string;
  /** Bundled: the reference section; own: the fields the file gave. */
  section: CatalogueSection | SectionInput;
  text: string | null;
}

export class CatalogueEngine {
  private readonly aborts = new AbortRegistry();
  private storeOpening: Promise<CatalogueStore> | null = null;
  private bundledLoading: Promise<Catalogue> | null = null;

  constructor(private readonly options: CatalogueEngineOptions = {}) {}

  /**
   * Where to fetch the bundled file from. In a worker a relative path would resolve against the
   * worker script, so the page passes an absolute URL; the same URL again keeps what is loaded.
   */
  setBundledUrl(url: string): void {
    if (this.options.bundled === url) return;
    this.options.bundled = url;
    this.bundledLoading = null;
  }

  /** The bundled catalogue, loaded and checked once (a failed load is retried on the next call). */
  bundled(): Promise<Catalogue> {
    if (!this.bundledLoading) {
      const loading = this.readBundled().then(parseCatalogue);
      loading.catch(() => {
        if (this.bundledLoading === loading) this.bundledLoading = null;
      });
      this.bundledLoading = loading;
    }
    return this.bundledLoading;
  }

  /**
   * Streams a catalogue text file into the store. Malformed lines are reported with their line
   * numbers and the rest loads; nothing becomes visible until the whole file is stored, and a
   * cancel or failure leaves nothing behind. Texts for the bundled catalogue replace the earlier
   * texts only when complete.
   */
  async importFile(
    file: CatalogueTextSource,
    target: CatalogueImportTarget,
    options: TaskOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<CatalogueRecord> {
    const started = Date.now();
    const signal = this.aborts.begin(options.taskId, options.signal);
    let releaseLock = (): void => {};
    try {
      const catalogue = target.kind === 'texts' ? await this.bundled() : null;
      const store = await this.store();
      throwIfAborted(signal);
      // The lock says "this import is alive" to every tab until this run ends (or its tab goes),
      // so a start-up clean-up never removes an import another tab is still writing.
      const id = crypto.randomUUID();
      releaseLock = await holdImportLock(id, this.locks());
      const record = await store.createImport({
        id,
        name: target.kind === 'texts' ? `Texts for the BREF catalogue (${file.name})` : target.kind === 'bat' ? `BAT conclusions (${file.name})` : target.name,
        kind: target.kind,
        ...(catalogue ? { textsFor: BREF_CATALOGUE_ID, baseFingerprint: catalogue.meta.fingerprint } : {}),
        sourceFile: { name: file.name, bytes: file.size },
      });
      try {
        const collector = new CatalogueImportCollector(catalogue, file.name, target.kind === 'bat' ? 'bat' : 'own');
        const encoding = await this.stream(file, collector, record.id, store, signal, onProgress);
        const report = collector.finish({ name: file.name, bytes: file.size, encoding }, Date.now() - started);
        checkUseful(report, file.name);
        throwIfAborted(signal);
        return await store.finishImport(record.id, report, target.kind === 'own' && target.replaces ? [target.replaces] : []);
      } catch (error) {
        await store.abortImport(record.id);
        throw error;
      }
    } finally {
      releaseLock();
      this.aborts.end(options.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  private locks(): ImportLockManager | null {
    return this.options.locks === undefined ? browserLocks() : this.options.locks;
  }

  /** The bundled catalogue first, then the user's own catalogues, newest first. */
  async listCatalogues(): Promise<CatalogueSummary[]> {
    const [catalogue, records] = await Promise.all([this.bundled(), this.store().then((s) => s.listCatalogues())]);
    const texts = records.find((r) => r.kind === 'texts' && r.textsFor === BREF_CATALOGUE_ID);
    const bundled: CatalogueSummary = {
      id: BREF_CATALOGUE_ID,
      name: 'EU BREF techniques',
      kind: 'bundled',
      sectionCount: catalogue.sections.length,
      textCount: texts?.sectionCount ?? 0,
      ...(texts ? { record: texts } : {}),
    };
    const own = records.filter((r) => r.kind === 'own').map((r): CatalogueSummary => ({
      id: r.id, name: r.name, kind: 'own', sectionCount: r.sectionCount, textCount: r.report?.textsStored ?? 0, record: r,
    }));
    return [bundled, ...own];
  }

  /** Documents, counts and pollutant names of the bundled catalogue, without its sections. */
  async overview(): Promise<CatalogueOverview> {
    const catalogue = await this.bundled();
    return {
      fingerprint: catalogue.meta.fingerprint,
      counts: { ...catalogue.meta.counts },
      documents: catalogue.documents.map((d) => ({ ...d })),
      pollutants: catalogue.pollutants.map((p) => p.name),
    };
  }

  /** The sections of one bundled document in file order ([] for an unknown code). */
  async documentSections(documentCode: string): Promise<CatalogueSection[]> {
    return (await this.bundled()).sectionsOf(documentCode).map((s) => ({ ...s, path: [...s.path], pollutants: [...s.pollutants] }));
  }

  /** A section with its text (null when none was loaded); null when the catalogue has no such section. */
  async getSection(catalogueId: string, sectionId: string): Promise<SectionWithText | null> {
    const store = await this.store();
    if (catalogueId === BREF_CATALOGUE_ID) {
      const section = (await this.bundled()).section(sectionId);
      if (!section) return null;
      const texts = await store.textsFor(BREF_CATALOGUE_ID);
      const stored = texts ? await store.getSection(texts.id, sectionId) : undefined;
      return { catalogueId, section, text: stored?.text ?? null };
    }
    const stored = await store.getSection(catalogueId, sectionId);
    return stored ? { catalogueId, section: stored, text: stored.text ?? null } : null;
  }

  /**
   * The sections a matching job takes from a catalogue, each with its text or its headings:
   * for the bundled one the `scope` chooses technique sections, those with a loaded text, or all.
   */
  async jobSections(catalogueId: string, scope: SectionScope = 'techniques'): Promise<JobSection[]> {
    const store = await this.store();
    if (catalogueId !== BREF_CATALOGUE_ID) return ownJobSections(await store.getSections(catalogueId));
    const [catalogue, record] = await Promise.all([this.bundled(), store.textsFor(BREF_CATALOGUE_ID)]);
    const texts = new Map<string, string>();
    for (const row of record ? await store.getSections(record.id) : []) if (row.text) texts.set(row.id, row.text);
    return bundledJobSections(catalogue.sections, texts, scope);
  }

  /**
   * The loaded BAT conclusions of one BREF document (its code, e.g. `ENE`), ordered by id; all of
   * them without a code; [] when none were loaded.
   */
  async batConclusions(documentCode?: string): Promise<SectionInput[]> {
    const store = await this.store();
    const record = (await store.listCatalogues()).find((c) => c.kind === 'bat');
    const rows = record ? await store.getSections(record.id) : [];
    return documentCode === undefined ? rows : rows.filter((r) => r.document === documentCode);
  }

  /** Every section of an own catalogue, ordered by id. */
  async getOwnSections(catalogueId: string): Promise<SectionInput[]> {
    return (await this.store()).getSections(catalogueId);
  }

  async deleteCatalogue(catalogueId: string): Promise<void> {
    if (catalogueId === BREF_CATALOGUE_ID) throw new Error('The bundled catalogue ships with the app and cannot be deleted; delete its texts instead.');
    await (await this.store()).deleteCatalogue(catalogueId);
  }

  /**
   * Removes imports a closed tab left unfinished; call at start-up. With Web Locks an import is
   * abandoned when nobody holds its lock, whatever its age; without them, when it started before
   * `createdBefore`.
   */
  async abortStaleImports(createdBefore = Date.now()): Promise<string[]> {
    return (await this.store()).abortStaleImports(createdBefore, () => runningImports(this.locks()));
  }

  async destroy(): Promise<void> {
    const opening = this.storeOpening;
    this.storeOpening = null;
    (await opening?.catch(() => null))?.close();
  }

  private async stream(
    file: CatalogueTextSource,
    collector: CatalogueImportCollector,
    catalogueId: string,
    store: CatalogueStore,
    signal: AbortSignal,
    onProgress: ProgressCallback | undefined,
  ): Promise<StreamDecoder['encoding']> {
    const reader = new CatalogueTextReader(file.name);
    const tracker = new ProgressTracker('parse', 'bytes', Math.max(1, file.size), onProgress);
    const bytesReader = file.stream().getReader();
    let decoder: StreamDecoder | null = null;
    let bytes = 0;
    const flush = async (all: boolean): Promise<void> => {
      const chunk = collector.take(WRITE_ROWS, WRITE_CHARS, all);
      if (chunk) await store.putSections(catalogueId, chunk);
    };
    try {
      for (;;) {
        throwIfAborted(signal);
        const { done, value } = await bytesReader.read();
        if (done) break;
        decoder ??= new StreamDecoder(sniffEncoding(value));
        bytes += value.byteLength;
        collector.add(reader.push(decoder.decode(value)));
        await flush(false);
        tracker.report(bytes, collector.rowsRead);
      }
      const tail = decoder?.end() ?? '';
      if (tail) collector.add(reader.push(tail));
      collector.add(reader.end());
      throwIfAborted(signal);
      await flush(true);
      tracker.finish(collector.rowsRead);
      return decoder?.encoding ?? 'utf-8';
    } finally {
      await bytesReader.cancel().catch(() => undefined);
    }
  }

  private async readBundled(): Promise<string> {
    const source = this.options.bundled ?? BUNDLED_CATALOGUE_PATH;
    if (typeof source === 'function') return source();
    const response = await fetch(source);
    if (!response.ok) throw new Error(`Could not load the bundled catalogue: GET ${String(source)} answered ${response.status}.`);
    return response.text();
  }

  private store(): Promise<CatalogueStore> {
    if (!this.storeOpening) {
      const opening = CatalogueStore.open(this.options.dbName ? { name: this.options.dbName } : {});
      opening.catch(() => {
        if (this.storeOpening === opening) this.storeOpening = null;
      });
      this.storeOpening = opening;
    }
    return this.storeOpening;
  }
}

/** An import that would store nothing useful fails with the reason instead of leaving an empty catalogue. */
function checkUseful(report: CatalogueImportReport, fileName: string): void {
  if (report.rowsRead === 0) {
    const first = report.rowErrors[0];
    throw new Error(`No row of ${fileName} could be read (${report.rowErrorCount} rejected${first ? `; first: line ${first.line}, ${first.reason}` : ''}).`);
  }
  if (report.kind === 'texts' && report.matched === 0) {
    throw new Error(`None of the ${report.rowsRead} ids in ${fileName} is a section of the bundled BREF catalogue (first: "${report.unknownIds[0]?.id}"). `
      + 'If it is a technique list of its own, import it as a new catalogue.');
  }
}
