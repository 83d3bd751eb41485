/**
 * Reading a dataset file (format.ts) line by line. `verifyWorkspaceFile` reads it whole once,
 * checking every line's shape and every section's count and checksum, and writes nothing: an
 * import starts writing only after it passed. Problems are reported as the ingest layer reports
 * rows, `{ line, reason }` with the file's 1-based line numbers, all of them (up to
 * MAX_LISTED_ISSUES), so one look at the error says what is wrong where.
 */
import { throwIfAborted } from '../abort';
import { JsonlLines } from '../ingest/jsonl-lines';
import { MAX_LISTED_ISSUES } from '../ingest/report';
import type { RowError } from '../ingest/types';
import { SectionHashes } from './checksum';
import {
  decodeValue, isRecordKind, RECORD_KINDS, WORKSPACE_FORMAT, WORKSPACE_VERSION,
  type EncodedValue, type RecordKind, type WorkspaceManifest,
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
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Bytes read so far, after each chunk of the stream. */
  onBytes?: (bytes: number) => void;
}

/** Reads every line in order; `onRecord` may be async (it is awaited before the next chunk is read). */
export async function readWorkspaceLines(
  stream: ReadableStream<Uint8Array>,
  handler: {
    manifest(manifest: WorkspaceManifest): void;
    record(record: WorkspaceRecord, text: string): void | Promise<void>;
    error(error: RowError): void;
  },
  options: ReadOptions = {},
): Promise<void> {
  let pending: { line: number; text: string }[] = [];
  let sawManifest = false;
  const lines = new JsonlLines({
    line: (line, text) => pending.push({ line, text }),
    tooLong: (line, maxChars) => handler.error({ line, reason: `the line is longer than ${maxChars} characters` }),
  }, WORKSPACE_MAX_LINE_CHARS);
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    for (const { line, text } of batch) {
      if (!sawManifest) {
        sawManifest = true;
        const manifest = parseManifest(text);
        if (typeof manifest === 'string') {
          handler.error({ line, reason: manifest });
          throw new WorkspaceFileError([{ line, reason: manifest }]); // without a manifest nothing else can be judged
        }
        handler.manifest(manifest);
        continue;
      }
      const record = parseRecord(line, text);
      if (typeof record === 'string') handler.error({ line, reason: record });
      else await handler.record(record, text);
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
  if (!sawManifest) throw new WorkspaceFileError([{ line: 1, reason: 'the file is empty' }]);
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
export async function verifyWorkspaceFile(stream: ReadableStream<Uint8Array>, options: ReadOptions = {}): Promise<WorkspaceManifest> {
  const errors: RowError[] = [];
  let errorCount = 0;
  let manifest: WorkspaceManifest | null = null;
  const hashes = new SectionHashes();
  await readWorkspaceLines(stream, {
    manifest: (m) => { manifest = m; },
    record: (record, text) => hashes.add(record.kind, text),
    error: (error) => {
      errorCount += 1;
      if (errors.length < MAX_LISTED_ISSUES) errors.push(error);
    },
  }, options);
  const found = manifest as WorkspaceManifest | null;
  if (!found) throw new WorkspaceFileError([{ line: 1, reason: 'the file has no manifest' }]);
  if (errorCount === 0) {
    const actual = await hashes.summary();
    for (const kind of RECORD_KINDS) {
      const expected = found.sections[kind];
      if (expected.records !== actual[kind].records) {
        errors.push({ line: 1, reason: `the manifest lists ${expected.records} ${kind} records but the file has ${actual[kind].records}` });
      } else if (expected.sha256 !== actual[kind].sha256) {
        errors.push({ line: 1, reason: `the checksum of the ${kind} records does not match the manifest (the file was changed or damaged)` });
      }
    }
    errorCount = errors.length;
  }
  if (errorCount > 0) throw new WorkspaceFileError(errors, errorCount);
  return found;
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
  if (!isObject(parsed.sections)) return 'the manifest has no sections';
  for (const kind of RECORD_KINDS) {
    const section = parsed.sections[kind];
    if (!isObject(section) || !Number.isInteger(section.records) || typeof section.sha256 !== 'string') {
      return `the manifest's ${kind} section has no record count or checksum`;
    }
  }
  return parsed as unknown as WorkspaceManifest;
}

function parseRecord(line: number, text: string): WorkspaceRecord | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the line is not valid JSON';
  }
  if (!isObject(parsed)) return 'the line is not a record';
  if (!isRecordKind(parsed.kind)) return `unknown record kind ${JSON.stringify(parsed.kind)}`;
  let value: unknown;
  try {
    value = decodeValue(parsed.value as EncodedValue);
  } catch (error) {
    return `the ${parsed.kind} record has ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!isObject(value)) return `the ${parsed.kind} record has no value`;
  const problem = checkRecord(parsed.kind, value);
  return problem ? `the ${parsed.kind} record ${problem}` : { kind: parsed.kind, line, value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
