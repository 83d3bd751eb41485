/**
 * Reading Patent Space files (format.ts, bundle-format.ts) line by line. `verifyLines` reads a file
 * whole once, checking every line's shape and every section's count and checksum, and writes
 * nothing: an import starts writing only after it passed. Problems are reported as the ingest
 * layer reports rows, `{ line, reason }` with the file's 1-based line numbers, all of them (up to
 * MAX_LISTED_ISSUES), so one look at the error says what is wrong where. The dataset file and the
 * whole-workspace file share all of this; a LineFormat says how they differ.
 */
import { throwIfAborted } from '../abort';
import { JsonlLines } from '../ingest/jsonl-lines';
import { MAX_LISTED_ISSUES } from '../ingest/report';
import type { RowError } from '../ingest/types';
import { SectionHashes } from './checksum';
import {
  decodeValue, isRecordKind, RECORD_KINDS, WORKSPACE_FORMAT, WORKSPACE_VERSION,
  type EncodedValue, type RecordKind, type SectionSummary, type WorkspaceManifest,
} from './format';
import { WorkspaceFileError } from './errors';
import { checkRecord } from './records';

export { WorkspaceFileError } from './errors';

/** The longest line read: an embedding chunk of 4096 × 1024 floats in base64 fits with room to spare. */
export const WORKSPACE_MAX_LINE_CHARS = 64 * 1024 * 1024;

/** A record line, decoded and checked: `value` is the store record without its dataset id. */
export interface WorkspaceRecord {
  kind: RecordKind;
  line: number;
  value: Record<string, unknown>;
  /** The line's `dataset` (its dataset's place in a workspace file's manifest); null when it has none. */
  dataset: number | null;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Bytes read so far, after each chunk of the stream. */
  onBytes?: (bytes: number) => void;
}

/** Sections the manifest vouches for, as one group: a dataset's (by its place) or the file's own (null). */
export interface SectionGroup {
  dataset: number | null;
  /** Words after "records" in a message, naming the group ("" in a dataset file). */
  label: string;
  sections: Partial<Record<RecordKind, SectionSummary>>;
}

/** How one kind of Patent Space file differs from the other. */
export interface LineFormat<M> {
  parseManifest(text: string): M | string;
  /** Why `record` has no place in a file with this manifest, or null when it has one. */
  misplaced(record: WorkspaceRecord, manifest: M): string | null;
  groups(manifest: M): SectionGroup[];
}

/** The dataset file: one dataset, whose records name none. */
export const DATASET_FILE: LineFormat<WorkspaceManifest> = {
  parseManifest: (text) => parseManifest(text),
  misplaced: (record) => (record.dataset === null ? null : `the ${record.kind} record names a dataset, as only a workspace file's records do`),
  groups: (manifest) => [{ dataset: null, label: '', sections: manifest.sections }],
};

/** Reads a dataset file's lines in order (see readLines). */
export function readWorkspaceLines(
  stream: ReadableStream<Uint8Array>, handler: LineHandler<WorkspaceManifest>, options: ReadOptions = {},
): Promise<void> {
  return readLines(stream, DATASET_FILE, handler, options);
}

/** Checks a dataset file whole (see verifyLines). */
export function verifyWorkspaceFile(stream: ReadableStream<Uint8Array>, options: ReadOptions = {}): Promise<WorkspaceManifest> {
  return verifyLines(stream, DATASET_FILE, options);
}

export interface LineHandler<M> {
  manifest(manifest: M): void;
  record(record: WorkspaceRecord, text: string): void | Promise<void>;
  error(error: RowError): void;
}

/** Reads every line in order; `onRecord` may be async (it is awaited before the next chunk is read). */
export async function readLines<M>(
  stream: ReadableStream<Uint8Array>, format: LineFormat<M>, handler: LineHandler<M>, options: ReadOptions = {},
): Promise<void> {
  let pending: { line: number; text: string }[] = [];
  let manifest: M | null = null;
  const lines = new JsonlLines({
    line: (line, text) => pending.push({ line, text }),
    tooLong: (line, maxChars) => handler.error({ line, reason: `the line is longer than ${maxChars} characters` }),
  }, WORKSPACE_MAX_LINE_CHARS);
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    for (const { line, text } of batch) {
      if (manifest === null) {
        const parsed = format.parseManifest(text);
        if (typeof parsed === 'string') {
          handler.error({ line, reason: parsed });
          throw new WorkspaceFileError([{ line, reason: parsed }]); // without a manifest nothing else can be judged
        }
        manifest = parsed;
        handler.manifest(parsed);
        continue;
      }
      const record = parseRecord(line, text);
      const problem = typeof record === 'string' ? record : format.misplaced(record, manifest);
      if (problem !== null) handler.error({ line, reason: problem });
      else await handler.record(record as WorkspaceRecord, text);
    }
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = stream.getReader();
  let bytes = 0;
  try {
    for (;;) {
      throwIfAborted(options.signal);
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      lines.push(decodeChunk(decoder, value, lines.lines + 1));
      await flush();
      options.onBytes?.(bytes);
    }
    lines.push(decodeChunk(decoder, undefined, lines.lines + 1));
    lines.end();
    await flush();
  } finally {
    reader.releaseLock();
  }
  if (manifest === null) throw new WorkspaceFileError([{ line: 1, reason: 'the file is empty' }]);
}

function decodeChunk(decoder: TextDecoder, bytes: Uint8Array | undefined, line: number): string {
  try {
    return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch {
    throw new WorkspaceFileError([{ line, reason: 'the text is not UTF-8 (the file was changed or is not a Patent Space file)' }]);
  }
}

/**
 * Reads the whole file, checking every line and every section against the manifest. Resolves with
 * the manifest when all is well; throws WorkspaceFileError listing the problems otherwise.
 */
export async function verifyLines<M>(stream: ReadableStream<Uint8Array>, format: LineFormat<M>, options: ReadOptions = {}): Promise<M> {
  const errors: RowError[] = [];
  let errorCount = 0;
  let manifest: M | null = null;
  const hashes = new Map<number | null, SectionHashes>();
  await readLines(stream, format, {
    manifest: (m) => { manifest = m; },
    record: (record, text) => {
      if (!hashes.has(record.dataset)) hashes.set(record.dataset, new SectionHashes());
      return (hashes.get(record.dataset) as SectionHashes).add(record.kind, text);
    },
    error: (error) => {
      errorCount += 1;
      if (errors.length < MAX_LISTED_ISSUES) errors.push(error);
    },
  }, options);
  const found = manifest as M | null;
  if (found === null) throw new WorkspaceFileError([{ line: 1, reason: 'the file has no manifest' }]);
  if (errorCount === 0) {
    for (const group of format.groups(found)) {
      const actual = await (hashes.get(group.dataset) ?? new SectionHashes()).summary();
      for (const kind of RECORD_KINDS) {
        const expected = group.sections[kind];
        if (!expected) continue; // misplaced() refused any record of a kind the group has no section for
        const what = `${kind} records${group.label}`;
        if (expected.records !== actual[kind].records) {
          errors.push({ line: 1, reason: `the manifest lists ${expected.records} ${what} but the file has ${actual[kind].records}` });
        } else if (expected.sha256 !== actual[kind].sha256) {
          errors.push({ line: 1, reason: `the checksum of the ${what} does not match the manifest (the file was changed or damaged)` });
        }
      }
    }
    errorCount = errors.length;
  }
  if (errorCount > 0) throw new WorkspaceFileError(errors, errorCount);
  return found;
}

/** The `format` named on the first line, or null when it is not a JSON object naming one; reads no further. */
export async function readFileFormat(stream: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let first: string | null = null;
  const lines = new JsonlLines({ line: (_line, text) => { first ??= text; }, tooLong: () => { first ??= ''; } }, WORKSPACE_MAX_LINE_CHARS);
  try {
    while (first === null) {
      const { done, value } = await reader.read();
      if (done) {
        lines.push(decoder.decode());
        lines.end();
        break;
      }
      lines.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  try {
    const parsed: unknown = JSON.parse(first ?? '');
    return isObject(parsed) && typeof parsed.format === 'string' ? parsed.format : null;
  } catch {
    return null;
  }
}

/** The manifest, or why line 1 is not one. */
export function parseManifest(text: string): WorkspaceManifest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the first line is not JSON, so this is not a Patent Space dataset file';
  }
  if (!isObject(parsed) || parsed.format !== WORKSPACE_FORMAT) return 'the first line is not a Patent Space manifest';
  if (parsed.version !== WORKSPACE_VERSION) {
    return `the file is format version ${String(parsed.version)}; this app reads version ${WORKSPACE_VERSION}`;
  }
  if (!isObject(parsed.dataset) || typeof parsed.dataset.id !== 'string' || typeof parsed.dataset.name !== 'string') {
    return 'the manifest has no dataset record';
  }
  const problem = sectionsProblem(parsed.sections, RECORD_KINDS, "the manifest's");
  return problem ?? (parsed as unknown as WorkspaceManifest);
}

/** Why `sections` does not have a count and checksum for each of `kinds` (`owner` starts the message), or null. */
export function sectionsProblem(sections: unknown, kinds: readonly RecordKind[], owner: string): string | null {
  if (!isObject(sections)) return `${owner} sections are missing`;
  for (const kind of kinds) {
    const section = sections[kind];
    if (!isObject(section) || !Number.isInteger(section.records) || typeof section.sha256 !== 'string') {
      return `${owner} ${kind} section has no record count or checksum`;
    }
  }
  return null;
}

function parseRecord(line: number, text: string): WorkspaceRecord | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the line is not valid JSON';
  }
  if (!isObject(parsed)) return 'the line is not a record';
  const dataset = parsed.dataset ?? null;
  if (dataset !== null && !(Number.isInteger(dataset) && (dataset as number) >= 0)) return 'the line\'s dataset is not a dataset number';
  if (!isRecordKind(parsed.kind)) return `unknown record kind ${JSON.stringify(parsed.kind)}`;
  let value: unknown;
  try {
    value = decodeValue(parsed.value as EncodedValue);
  } catch (error) {
    return `the ${parsed.kind} record has ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!isObject(value)) return `the ${parsed.kind} record has no value`;
  const problem = checkRecord(parsed.kind, value);
  return problem ? `the ${parsed.kind} record ${problem}` : { kind: parsed.kind, line, value, dataset: dataset as number | null };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
