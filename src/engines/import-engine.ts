import { AbortRegistry, type TaskOptions } from '../core/abort';
import { detectSources, importSources, type ImportSource, type PatentSink } from '../core/ingest/engine';
import type { ColumnMapping, DetectedFormat } from '../core/ingest/types';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Patent } from '../core/types';
import { DatasetStore } from '../store/dataset-store';
import { holdImportLock } from '../store/import-locks';
import type { DatasetRecord } from '../store/records';

export interface FileDetection {
  name: string;
  bytes: number;
  detected: DetectedFormat | null;
  /** Why the file is not a patent file, when it is not. */
  error?: string;
}

export interface FileChoice {
  name: string;
  detected: DetectedFormat;
  mapping?: ColumnMapping;
}

export interface DatasetSettings {
  datasetName: string;
  level: CodeLevel;
}

/**
 * File(s) → readers → IndexedDB, in the ingest worker. An import writes into a new dataset that
 * only becomes visible when complete; a failure or cancel removes it, so nothing already stored
 * is touched and nothing half-imported remains.
 */
export class ImportEngine {
  private readonly aborts = new AbortRegistry();
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  async detect(files: File[]): Promise<FileDetection[]> {
    const detections = await detectSources(files.map(fileSource));
    return detections.map((d) => ({ name: d.source.name, bytes: d.source.bytes, detected: d.detected, error: d.error }));
  }

  async importFiles(
    files: File[],
    choices: FileChoice[],
    settings: DatasetSettings,
    options: TaskOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<DatasetRecord> {
    const byName = new Map(choices.map((c) => [c.name, c]));
    const planned = files.flatMap((file) => {
      const choice = byName.get(file.name);
      return choice ? [{ source: fileSource(file), detected: choice.detected, mapping: choice.mapping }] : [];
    });
    if (planned.length === 0) throw new Error('None of the files is a patent file that can be imported.');
    return this.run(planned, settings, options, onProgress);
  }

  /**
   * A file served by the app, e.g. the bundled demo corpus. Only the app's own origin: the
   * worker's policy still lets it reach the model hosts, and private mode must not depend on that.
   */
  async importUrl(url: string, settings: DatasetSettings, options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<DatasetRecord> {
    const own = globalThis.location?.origin;
    const origin = own ? new URL(url, globalThis.location.href).origin : null;
    if (own && origin !== own) {
      throw new Error(`Only files served by Patent Space itself are imported from a URL; ${origin} is another host.`);
    }
    const head = await fetch(url);
    if (!head.ok) throw new Error(`GET ${url} answered ${head.status}`);
    const blob = await head.blob();
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? 'data');
    const file = new File([blob], name);
    const [detection] = await this.detect([file]);
    if (!detection.detected) throw new Error(detection.error ?? `${name} is not a patent file`);
    return this.run([{ source: fileSource(file), detected: detection.detected }], settings, options, onProgress);
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  private async run(
    planned: Parameters<typeof importSources>[0],
    settings: DatasetSettings,
    options: TaskOptions,
    onProgress?: ProgressCallback,
  ): Promise<DatasetRecord> {
    const store = await this.store();
    const signal = this.aborts.begin(options.taskId, options.signal);
    void store.requestPersistence();
    // The lock says "this import is alive" to every tab until this run ends (or its tab goes):
    // a start-up clean-up removes only unfinished imports whose lock nobody holds.
    const id = crypto.randomUUID();
    const releaseLock = await holdImportLock(id);
    const dataset = await store.createDataset({
      id,
      name: settings.datasetName,
      level: settings.level,
      sourceFiles: planned.map((p) => ({ name: p.source.name, bytes: p.source.bytes })),
    });
    try {
      const sink: PatentSink = {
        write: (patents: Patent[]) => store.putPatents(dataset.id, patents),
        read: (ids: string[]) => store.getPatentsByIds(dataset.id, ids),
      };
      const { report, codeCounts } = await importSources(planned, sink, { signal }, onProgress);
      if (report.patentsImported === 0) {
        throw new Error(report.fileErrors[0]?.message
          ?? `No patent could be read (${report.rowErrorCount} rows rejected; first: line ${report.rowErrors[0]?.line} ${report.rowErrors[0]?.reason ?? ''}).`);
      }
      return await store.finishImport(dataset.id, report, codeCounts);
    } catch (error) {
      await store.abortImport(dataset.id);
      throw error;
    } finally {
      releaseLock();
      this.aborts.end(options.taskId);
    }
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}

function fileSource(file: File): ImportSource {
  return { name: file.name, bytes: file.size, stream: () => file.stream() };
}
