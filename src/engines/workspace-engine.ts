/**
 * Dataset files (core/workspace/format.ts): one dataset with everything kept with it, out of
 * IndexedDB into one file and back in, in the ingest worker.
 *
 * Import never replaces anything: the file is read whole first (verifyWorkspaceFile: every line's
 * shape, every section's count and checksum) and only then written, under a new dataset id,
 * through the store's importing → ready lifecycle (workspace-store.ts) while holding the import
 * lock, so a reload mid-way leaves an abandoned import that the start-up clean-up removes. A name
 * already used by a dataset is refused with DatasetNameClashError until the caller (the UI, after
 * asking) passes the name to use. The whole workspace as one file is workspace-bundle.ts, under
 * the same rules.
 */
import { version as APP_VERSION } from '../../package.json';
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { BUNDLE_FORMAT, isWorkspaceSettingKey, PAGE_SETTING_PREFIX, type WorkspaceSetting } from '../core/workspace/bundle-format';
import {
  decodeValue, encodeValue, WORKSPACE_FORMAT, WORKSPACE_VERSION, type RecordKind, type WorkspaceManifest,
} from '../core/workspace/format';
import { readFileFormat, readWorkspaceLines, verifyWorkspaceFile, WorkspaceFileError } from '../core/workspace/reader';
import { DatasetNotFoundError } from '../core/errors';
import { DatasetNameClashError } from '../core/workspace/errors';
import { holdImportLock } from '../store/import-locks';
import type { DatasetRecord } from '../store/records';
import { WorkspaceStore } from '../store/workspace-store';
import { exportBundle, importBundle, type BundleContext, type BundleExport, type BundleImport } from './workspace-bundle';
import { BatchWriter, countsOf, emitDataset, fileNameFor, freeName, LineSink } from './workspace-lines';

export { DatasetNameClashError, DatasetNameClashesError } from '../core/workspace/errors';
export { fileNameFor, freeName } from './workspace-lines';
export type { BundleExport, BundleImport, SettingChange } from './workspace-bundle';

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

export interface BundleOptions extends TaskOptions {
  /** The page's own settings (private mode) as they are now: written to the file, or compared with the file's. */
  pageSettings?: WorkspaceSetting[];
}

export interface BundleImportOptions extends BundleOptions {
  /** Per dataset of the file that clashed (by its place in the file): the name to use, or null to skip it. */
  choices?: Record<number, string | null>;
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
      const tracker = new ProgressTracker('load', 'patents', dataset.patentCount, onProgress);
      const sink = new LineSink();
      const sections = await emitDataset(store, datasetId, sink, signal, (done) => tracker.report(done));
      const manifest: WorkspaceManifest = {
        format: WORKSPACE_FORMAT,
        version: WORKSPACE_VERSION,
        appVersion: this.appVersion,
        exportedAt: Date.now(),
        dataset: encodeValue(dataset),
        sections,
      };
      const blob = sink.blob(manifest);
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

  /** Which kind of Patent Space file this is, from its first line: a workspace file, or (anything else) a dataset file. */
  async fileKind(file: Blob): Promise<'workspace' | 'dataset'> {
    return (await readFileFormat(file.stream())) === BUNDLE_FORMAT ? 'workspace' : 'dataset';
  }

  /** Writes every ready dataset and the workspace's settings into one file (workspace-bundle.ts). */
  async exportWorkspace(options: BundleOptions = {}, onProgress?: ProgressCallback): Promise<BundleExport> {
    return this.withBundle(options, onProgress, (context) => exportBundle(context, this.appVersion));
  }

  /** Checks a workspace file whole, then stores its datasets under new ids; settings are returned, not written. */
  async importWorkspace(file: Blob, options: BundleImportOptions = {}, onProgress?: ProgressCallback): Promise<BundleImport> {
    return this.withBundle(options, onProgress, (context) => importBundle(context, file, options.choices));
  }

  /** Stores the workspace settings the user chose to take from a file (page settings are the page's to apply). */
  async applySettings(settings: WorkspaceSetting[]): Promise<void> {
    const stored = settings.filter(({ key }) => isWorkspaceSettingKey(key) && !key.startsWith(PAGE_SETTING_PREFIX));
    await (await this.store()).putSettings(stored);
  }

  private async withBundle<T>(options: BundleOptions, onProgress: ProgressCallback | undefined, body: (context: BundleContext) => Promise<T>): Promise<T> {
    const store = await this.store();
    const signal = this.aborts.begin(options.taskId, options.signal);
    try {
      return await body({ store, signal, onProgress, pageSettings: options.pageSettings ?? [] });
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
