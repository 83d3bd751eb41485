/**
 * Dataset files (core/workspace/format.ts): one dataset with everything kept with it, out of
 * IndexedDB into one file and back in, in the ingest worker.
 *
 * Import never replaces anything: the file is read whole first (verifyWorkspaceFile: every line's
 * shape, every section's count and checksum) and only then written, under a new dataset id,
 * through the store's importing → ready lifecycle (workspace-store.ts) while holding the import
 * lock, so a reload mid-way leaves an abandoned import that the start-up clean-up removes. A name
 * already used by a dataset is refused with DatasetNameClashError until the caller (the UI, after
 * asking) passes the name to use.
 */
import { version as APP_VERSION } from '../../package.json';
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { SectionHashes } from '../core/workspace/checksum';
import {
  decodeValue, encodeValue, RECORD_KINDS, WORKSPACE_EXTENSION, WORKSPACE_FORMAT, WORKSPACE_VERSION,
  type RecordKind, type WorkspaceManifest,
} from '../core/workspace/format';
import { readWorkspaceLines, verifyWorkspaceFile, WorkspaceFileError, type WorkspaceRecord } from '../core/workspace/reader';
import { DatasetNotFoundError } from '../core/errors';
import { DatasetNameClashError } from '../core/workspace/errors';

export { DatasetNameClashError } from '../core/workspace/errors';
import { holdImportLock } from '../store/import-locks';
import type { DatasetRecord } from '../store/records';
import { WorkspaceStore, type ExportedRecord, type ImportBatch } from '../store/workspace-store';

/** Records read per transaction when exporting; embedding chunks are a few MB each, so fewer of them. */
const EXPORT_BATCH = 500;
const EXPORT_EMBEDDING_BATCH = 2;
/** Records written per transaction when importing (and at most this many embedding chunks). */
const IMPORT_BATCH = 1000;
const IMPORT_EMBEDDING_BATCH = 4;
/** Lines are gathered into one Blob part per this many characters, so no huge string array is held. */
const BLOB_PART_CHARS = 8 * 1024 * 1024;

export interface WorkspaceExport {
  blob: Blob;
  fileName: string;
  counts: Record<RecordKind, number>;
}

export interface WorkspaceImportOptions extends TaskOptions {
  /** The name to give the imported dataset; without it a name already in use is refused. */
  name?: string;
}

export interface WorkspaceImport {
  dataset: DatasetRecord;
  counts: Record<RecordKind, number>;
}

export class WorkspaceEngine {
  private readonly aborts = new AbortRegistry();
  private storePromise: Promise<WorkspaceStore> | null = null;

  constructor(private readonly dbName?: string, private readonly appVersion: string = APP_VERSION) {}

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  /** Writes the dataset and everything kept with it into one file (a Blob the caller saves). */
  async exportDataset(datasetId: string, options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<WorkspaceExport> {
    const store = await this.store();
    const signal = this.aborts.begin(options.taskId, options.signal);
    try {
      const dataset = await store.getDataset(datasetId);
      if (!dataset || dataset.status !== 'ready') throw new DatasetNotFoundError(datasetId);
      const hashes = new SectionHashes();
      const blobs: Blob[] = [];
      let lines: string[] = [];
      let chars = 0;
      const emit = async (kind: RecordKind, value: unknown): Promise<void> => {
        const text = JSON.stringify({ kind, value: encodeValue(value) });
        await hashes.add(kind, text);
        lines.push(text, '\n');
        chars += text.length + 1;
        if (chars >= BLOB_PART_CHARS) {
          blobs.push(new Blob(lines));
          lines = [];
          chars = 0;
        }
      };
      const tracker = new ProgressTracker('load', 'patents', dataset.patentCount, onProgress);
      let patentsDone = 0;
      for (const kind of RECORD_KINDS) {
        throwIfAborted(signal);
        if (kind === 'setting') {
          for (const setting of await store.settingsOf(datasetId)) await emit(kind, setting);
          continue;
        }
        await store.iterate(datasetId, kind, kind === 'embedding' ? EXPORT_EMBEDDING_BATCH : EXPORT_BATCH, async (records) => {
          throwIfAborted(signal);
          for (const record of records) await emit(kind, record);
          if (kind === 'patent') tracker.report((patentsDone += records.length));
        });
      }
      blobs.push(new Blob(lines));
      const sections = await hashes.summary();
      const manifest: WorkspaceManifest = {
        format: WORKSPACE_FORMAT,
        version: WORKSPACE_VERSION,
        appVersion: this.appVersion,
        exportedAt: Date.now(),
        dataset: encodeValue(dataset),
        sections,
      };
      const blob = new Blob([JSON.stringify(manifest), '\n', ...blobs], { type: 'application/x-ndjson' });
      return { blob, fileName: fileNameFor(dataset.name), counts: countsOf(sections) };
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  /** Checks the file whole, then stores its dataset under a new id; nothing is written when the check fails. */
  async importFile(file: Blob, options: WorkspaceImportOptions = {}, onProgress?: ProgressCallback): Promise<WorkspaceImport> {
    const store = await this.store();
    const signal = this.aborts.begin(options.taskId, options.signal);
    // Two passes over the file, so `done` runs to twice its size.
    const tracker = new ProgressTracker('load', 'bytes', file.size * 2, onProgress);
    try {
      const manifest = await verifyWorkspaceFile(file.stream(), { signal, onBytes: (bytes) => tracker.report(bytes) });
      const original = decodeValue(manifest.dataset) as DatasetRecord;
      const name = options.name?.trim() || original.name;
      if (options.name === undefined) {
        const taken = new Set((await store.allDatasets()).filter((d) => d.deletedAt === undefined).map((d) => d.name));
        if (taken.has(name)) throw new DatasetNameClashError(name, freeName(name, taken));
      }
      const id = crypto.randomUUID();
      const release = await holdImportLock(id);
      try {
        const { deletedAt: _deletedAt, ...kept } = original;
        await store.beginImport({ ...kept, id, name, createdAt: Date.now(), status: 'importing' });
        const writer = new BatchWriter(store, id, original.id);
        await readWorkspaceLines(file.stream(), {
          manifest: () => undefined,
          record: (record) => writer.add(record),
          // The file passed the check a moment ago: it changed on disk meanwhile.
          error: (error) => { throw new WorkspaceFileError([error]); },
        }, { signal, onBytes: (bytes) => tracker.report(file.size + bytes) });
        await writer.flush();
        throwIfAborted(signal);
        const dataset = await store.finishImport(id, writer.settings);
        return { dataset, counts: countsOf(manifest.sections) };
      } catch (error) {
        await store.abortImport(id);
        throw error;
      } finally {
        release();
      }
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  async close(): Promise<void> {
    const opening = this.storePromise;
    this.storePromise = null;
    (await opening?.catch(() => null))?.close();
  }

  private store(): Promise<WorkspaceStore> {
    if (!this.storePromise) {
      const opening = WorkspaceStore.open(this.dbName ? { name: this.dbName } : {});
      opening.catch(() => { if (this.storePromise === opening) this.storePromise = null; });
      this.storePromise = opening;
    }
    return this.storePromise;
  }
}

/** Gathers imported records into batches of bounded size, rewriting the old dataset id to the new one. */
class BatchWriter {
  private batch: ImportBatch = {};
  private records = 0;
  private embeddings = 0;
  readonly settings: { key: string; value: unknown }[] = [];

  constructor(private readonly store: WorkspaceStore, private readonly newId: string, private readonly oldId: string) {}

  async add({ kind, value }: WorkspaceRecord): Promise<void> {
    if (kind === 'setting') {
      // Settings go in with the last transaction (see workspace-store.ts).
      this.settings.push({ key: (value.key as string).replaceAll(this.oldId, this.newId), value: this.renamed(value.value) });
      return;
    }
    // Patents, codes and vectors never hold a dataset id; walking them would only cost time.
    const record = kind === 'patent' || kind === 'code' || kind === 'embedding' ? value : (this.renamed(value) as ExportedRecord);
    if (kind === 'result') record.id = `${this.newId}:${String(record.id)}`; // results are keyed by id alone
    (this.batch[kind] ??= []).push(record);
    this.records += 1;
    if (kind === 'embedding') this.embeddings += 1;
    if (this.records >= IMPORT_BATCH || this.embeddings >= IMPORT_EMBEDDING_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = {};
    this.records = 0;
    this.embeddings = 0;
    await this.store.putBatch(this.newId, batch);
  }

  /** `value` with every string equal to the old dataset id replaced by the new one. */
  private renamed(value: unknown): unknown {
    if (value === this.oldId) return this.newId;
    if (Array.isArray(value)) return value.map((item) => this.renamed(item));
    if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.renamed(item)]));
    }
    return value;
  }
}

function countsOf(sections: WorkspaceManifest['sections']): Record<RecordKind, number> {
  return Object.fromEntries(RECORD_KINDS.map((kind) => [kind, sections[kind].records])) as Record<RecordKind, number>;
}

/** "Name (2)", "Name (3)", … : the first not in `taken`. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`;
}

/** A file name from the dataset's name, keeping letters, digits, dashes and dots. */
export function fileNameFor(name: string): string {
  const safe = name.normalize('NFKD').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${safe || 'dataset'}${WORKSPACE_EXTENSION}`;
}
