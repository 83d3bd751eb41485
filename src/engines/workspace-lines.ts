/**
 * The parts of writing and reading Patent Space files that the dataset file (workspace-engine.ts)
 * and the whole-workspace file (workspace-bundle.ts) share: record lines gathered into a Blob with
 * their section checksums, one dataset's records written out, and imported records written back
 * in bounded batches under the dataset's new id.
 */
import { throwIfAborted } from '../core/abort';
import { SectionHashes } from '../core/workspace/checksum';
import { encodeValue, RECORD_KINDS, WORKSPACE_EXTENSION, type RecordKind, type SectionSummary } from '../core/workspace/format';
import type { WorkspaceRecord } from '../core/workspace/reader';
import type { ExportedRecord, ImportBatch, WorkspaceStore } from '../store/workspace-store';

/** Records read per transaction when exporting; embedding chunks are a few MB each, so fewer of them. */
const EXPORT_BATCH = 500;
const EXPORT_EMBEDDING_BATCH = 2;
/** Records written per transaction when importing (and at most this many embedding chunks). */
const IMPORT_BATCH = 1000;
const IMPORT_EMBEDDING_BATCH = 4;
/** Lines are gathered into one Blob part per this many characters, so no huge string array is held. */
const BLOB_PART_CHARS = 8 * 1024 * 1024;

/** Record lines on their way into a file, after a manifest line written last but placed first. */
export class LineSink {
  private readonly blobs: Blob[] = [];
  private lines: string[] = [];
  private chars = 0;

  /** Adds one record line; `dataset` is its dataset's place in a workspace file (none in a dataset file). */
  async emit(hashes: SectionHashes, kind: RecordKind, value: unknown, dataset?: number): Promise<void> {
    const text = JSON.stringify(dataset === undefined ? { kind, value: encodeValue(value) } : { kind, dataset, value: encodeValue(value) });
    await hashes.add(kind, text);
    this.lines.push(text, '\n');
    this.chars += text.length + 1;
    if (this.chars >= BLOB_PART_CHARS) {
      this.blobs.push(new Blob(this.lines));
      this.lines = [];
      this.chars = 0;
    }
  }

  /** The file: the manifest line, then every line emitted. */
  blob(manifest: unknown): Blob {
    return new Blob([JSON.stringify(manifest), '\n', ...this.blobs, new Blob(this.lines)], { type: 'application/x-ndjson' });
  }
}

/**
 * Emits every record kept with one dataset, kind by kind in RECORD_KINDS order, and resolves with
 * its sections; `onPatents` gets the number of its patents written so far.
 */
export async function emitDataset(
  store: WorkspaceStore, datasetId: string, sink: LineSink, signal: AbortSignal | undefined,
  onPatents: (done: number) => void, dataset?: number,
): Promise<Record<RecordKind, SectionSummary>> {
  const hashes = new SectionHashes();
  let patentsDone = 0;
  for (const kind of RECORD_KINDS) {
    throwIfAborted(signal);
    if (kind === 'setting') {
      for (const setting of await store.settingsOf(datasetId)) await sink.emit(hashes, kind, setting, dataset);
      continue;
    }
    await store.iterate(datasetId, kind, kind === 'embedding' ? EXPORT_EMBEDDING_BATCH : EXPORT_BATCH, async (records) => {
      throwIfAborted(signal);
      for (const record of records) await sink.emit(hashes, kind, record, dataset);
      if (kind === 'patent') onPatents((patentsDone += records.length));
    });
  }
  return hashes.summary();
}

/** Gathers imported records into batches of bounded size, rewriting the old dataset id to the new one. */
export class BatchWriter {
  private batch: ImportBatch = {};
  private records = 0;
  private embeddings = 0;
  readonly settings: { key: string; value: unknown }[] = [];

  constructor(private readonly store: WorkspaceStore, readonly newId: string, private readonly oldId: string) {}

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

export function countsOf(sections: Record<RecordKind, SectionSummary>): Record<RecordKind, number> {
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
