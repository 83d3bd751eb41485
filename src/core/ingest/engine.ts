import { throwIfAborted } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';
import type { Patent } from '../types';
import { ImportCollector } from './collector';
import { MAX_HEADER_CHARS } from './csv';
import { detectFormat, createReader } from './detect';
import { ENCODING_LABELS, sniffEncoding, StreamDecoder, type TextEncodingName } from './encoding';
import { EpoXmlPatentReader } from './epo-xml';
import { PatentsViewJoin } from './patentsview';
import type { ImportReport } from './report';
import { type ColumnMapping, type DetectedFormat, type PatentReader, type ReadBatch, type RowError } from './types';
import { NotAPatentFileError } from '../errors';

/** A file to import: browsers wrap a File, Node wraps a read stream. */
export interface ImportSource {
  name: string;
  bytes: number;
  stream(): ReadableStream<Uint8Array>;
}

/** Where imported patents go (IndexedDB in the app, memory in the CLI and tests). */
export interface PatentSink {
  /** Writes patents; a patent whose id was written before replaces it (merged duplicates). */
  write(patents: Patent[]): Promise<void>;
  /** Patents written earlier with these ids, to merge a late duplicate into. */
  read(ids: string[]): Promise<Patent[]>;
}

export interface PlannedSource {
  source: ImportSource;
  detected: DetectedFormat;
  /** The user's mapping when they edited the proposed one. */
  mapping?: ColumnMapping;
}

export interface DetectedSource {
  source: ImportSource;
  detected: DetectedFormat | null;
  /** Why the file is not a patent file, when it is not. */
  error?: string;
}

export interface ImportOutcome {
  report: ImportReport;
  /** Patents per canonical code, as stored. */
  codeCounts: Map<string, number>;
}

/** Enough of the file to recognise its format and header. */
const DETECTION_BYTES = 64 * 1024;
/**
 * A table whose header line is longer than DETECTION_BYTES (200,000 columns, one per code) is read
 * on to the end of its header and DETECTION_BYTES of rows after it, up to this many bytes (as many
 * characters for the ASCII names such headers have): detection must see the header the import
 * will read, or the two disagree on columns and delimiter.
 */
const MAX_HEAD_BYTES = MAX_HEADER_CHARS + DETECTION_BYTES;
/** Patents written per sink call: bounds memory and keeps IndexedDB transactions short. */
const WRITE_CHUNK = 2000;

export async function detectSources(sources: ImportSource[]): Promise<DetectedSource[]> {
  return Promise.all(sources.map(async (source) => {
    const head = await readHead(source);
    const encoding = sniffEncoding(head);
    // A decoder in stream mode drops a character cut at the end instead of inventing U+FFFD.
    const text = new StreamDecoder(encoding).decode(head);
    try {
      return { source, detected: withEncoding(detectFormat(source.name, text), encoding) };
    } catch (error) {
      if (error instanceof NotAPatentFileError) return { source, detected: null, error: error.message };
      throw error;
    }
  }));
}

function withEncoding(detected: DetectedFormat, encoding: TextEncodingName): DetectedFormat {
  if (encoding === 'utf-8') return detected;
  const why = encoding === 'windows-1252' ? 'the file is not UTF-8' : 'byte-order mark';
  return { ...detected, encoding, explanation: `${detected.explanation} Read as ${ENCODING_LABELS[encoding]} (${why}).` };
}

/** The warning that tells the user a file was not read as UTF-8, on the line where that showed. */
function encodingWarning(file: string, encoding: TextEncodingName, line: number): RowError {
  const reason = encoding === 'windows-1252'
    ? `not UTF-8: read as ${ENCODING_LABELS[encoding]}, as Excel saves CSV on Western-European Windows; check accents and € signs`
    : `read as ${ENCODING_LABELS[encoding]} (byte-order mark)`;
  return { line, file, reason };
}

/**
 * Streams every planned file through its reader, normalises codes, merges duplicate ids
 * deterministically (files in name order; first non-empty text wins, earliest year, union of
 * codes) and writes patents to the sink in chunks. Files are never held whole in memory.
 */
export async function importSources(
  planned: PlannedSource[],
  sink: PatentSink,
  options: { signal?: AbortSignal; writeChunk?: number },
  onProgress?: ProgressCallback,
): Promise<ImportOutcome> {
  const started = Date.now();
  const ordered = [...planned].sort((a, b) => a.source.name.localeCompare(b.source.name));
  const totalBytes = ordered.reduce((sum, p) => sum + p.source.bytes, 0);
  const tracker = new ProgressTracker('parse', 'bytes', Math.max(1, totalBytes), onProgress);
  const collector = new ImportCollector(sink, options.writeChunk ?? WRITE_CHUNK);
  const fileErrors: ImportReport['fileErrors'] = [];
  const encodings = new Map<string, TextEncodingName>();
  let bytesBefore = 0;

  const patentsView = ordered.filter((p) => p.detected.kind === 'patentsview');
  const join = patentsView.length > 0 ? new PatentsViewJoin() : null;
  for (const plan of ordered) {
    const reader: PatentReader = join && plan.detected.kind === 'patentsview'
      ? join.table(plan.source.name)
      : plan.detected.kind === 'epo-xml'
        ? new EpoXmlPatentReader(plan.source.name)
        : createReader(plan.detected, plan.source.name, plan.mapping);
    const decoder = new StreamDecoder(plan.detected.encoding ?? 'utf-8');
    try {
      await streamInto(plan.source, decoder, reader, options.signal, async (batch, bytes) => {
        await collector.add(batch, plan.source.name);
        tracker.report(bytesBefore + bytes, collector.rowsRead);
      });
      encodings.set(plan.source.name, decoder.encoding);
      if (decoder.encoding !== 'utf-8') {
        collector.warn(encodingWarning(plan.source.name, decoder.encoding, decoder.switchedAtLine ?? 1));
      }
    } catch (error) {
      if (!(error instanceof NotAPatentFileError)) throw error;
      fileErrors.push({ file: plan.source.name, message: error.message });
    }
    bytesBefore += plan.source.bytes;
  }
  if (join) await collector.add(join.finish(), undefined);
  await collector.flush();
  tracker.finish(collector.rowsRead);

  return {
    report: collector.report({
      files: ordered.map((p) => ({
        name: p.source.name, bytes: p.source.bytes, format: p.detected.kind, encoding: encodings.get(p.source.name) ?? p.detected.encoding ?? 'utf-8',
      })),
      fileErrors,
      bytes: totalBytes,
      durationMs: Date.now() - started,
    }),
    codeCounts: collector.codeCounts(),
  };
}

async function streamInto(
  source: ImportSource,
  decoder: StreamDecoder,
  reader: PatentReader,
  signal: AbortSignal | undefined,
  onBatch: (batch: ReadBatch, bytesRead: number) => Promise<void>,
): Promise<void> {
  const byteReader = source.stream().getReader();
  let bytes = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await byteReader.read();
      if (done) break;
      bytes += value.byteLength;
      await onBatch(reader.push(decoder.decode(value)), bytes);
    }
    const tail = decoder.end();
    await onBatch(tail ? reader.push(tail) : { patents: [], errors: [] }, bytes);
    await onBatch(reader.end(), bytes);
  } finally {
    await byteReader.cancel().catch(() => undefined);
  }
}

async function readHead(source: ImportSource): Promise<Uint8Array> {
  const reader = source.stream().getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  let limit = DETECTION_BYTES;
  let lookingForLineEnd = false;
  try {
    while (length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.byteLength;
      if (lookingForLineEnd) {
        const lf = value.indexOf(LF);
        if (lf !== -1) {
          lookingForLineEnd = false;
          limit = Math.min(MAX_HEAD_BYTES, length - value.byteLength + lf + 1 + DETECTION_BYTES);
        }
      } else if (limit === DETECTION_BYTES && length >= limit && startsLongTableHeader(join(parts, length))) {
        lookingForLineEnd = true;
        limit = MAX_HEAD_BYTES;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return join(parts, Math.min(length, limit));
}

const LF = 10;

/** No line end in the head, and not XML or JSON (whose first record may be long): a wide table header. */
function startsLongTableHeader(head: Uint8Array): boolean {
  if (head.indexOf(LF) !== -1) return false;
  for (const byte of head) {
    // Skip byte-order marks, the zero bytes of UTF-16 and leading blanks.
    if (byte === 0 || byte === 0xef || byte === 0xbb || byte === 0xbf || byte === 0xfe || byte === 0xff || byte === 32 || byte === 9 || byte === 13) continue;
    return byte !== 0x3c && byte !== 0x5b && byte !== 0x7b; // '<', '[', '{'
  }
  return false;
}

function join(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    const take = Math.min(part.byteLength, length - offset);
    joined.set(part.subarray(0, take), offset);
    offset += take;
    if (offset >= length) break;
  }
  return joined;
}
