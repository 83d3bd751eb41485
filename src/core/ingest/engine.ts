import { throwIfAborted } from '../abort';
import { codeAt, normalizeCode } from '../codes';
import { ProgressTracker, type ProgressCallback } from '../progress';
import type { CodeLevel, Patent } from '../types';
import { detectFormat, createReader } from './detect';
import { ENCODING_LABELS, sniffEncoding, StreamDecoder, type TextEncodingName } from './encoding';
import { EpoXmlPatentReader } from './epo-xml';
import { PatentsViewJoin } from './patentsview';
import { MAX_LISTED_ISSUES, type ImportReport, type RejectedCode } from './report';
import {
  NotAPatentFileError,
  type ColumnMapping,
  type DetectedFormat,
  type PatentReader,
  type RawPatent,
  type ReadBatch,
  type RowError,
} from './types';

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
/** Patents written per sink call: bounds memory and keeps IndexedDB transactions short. */
const WRITE_CHUNK = 2000;

export async function detectSources(sources: ImportSource[]): Promise<DetectedSource[]> {
  return Promise.all(sources.map(async (source) => {
    const head = await readHead(source, DETECTION_BYTES);
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

async function readHead(source: ImportSource, maxBytes: number): Promise<Uint8Array> {
  const reader = source.stream().getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const joined = new Uint8Array(Math.min(length, maxBytes));
  let offset = 0;
  for (const part of parts) {
    const take = Math.min(part.byteLength, joined.length - offset);
    joined.set(part.subarray(0, take), offset);
    offset += take;
    if (offset >= joined.length) break;
  }
  return joined;
}

/** Accumulates one import: normalisation, duplicate merging, counts and the report. */
class ImportCollector {
  rowsRead = 0;
  private readonly tally = new PatentTally();
  private pending = new Map<string, Patent>();
  private readonly written = new Set<string>();
  private duplicates = 0;
  private readonly rowErrors: ImportReport['rowErrors'] = [];
  private rowErrorCount = 0;
  private readonly warnings: RowError[] = [];
  private warningCount = 0;
  private readonly rejected = new Map<string, RejectedCode>();
  private rejectedCodeCount = 0;

  constructor(private readonly sink: PatentSink, private readonly writeChunk: number) {}

  async add(batch: ReadBatch, file: string | undefined): Promise<void> {
    for (const error of batch.errors) {
      this.rowErrorCount++;
      if (this.rowErrors.length < MAX_LISTED_ISSUES) this.rowErrors.push(file && !error.file ? { ...error, file } : error);
    }
    for (const warning of batch.warnings ?? []) this.warn(file && !warning.file ? { ...warning, file } : warning);
    for (const raw of batch.patents) {
      this.rowsRead++;
      const patent = this.normalise(raw, file);
      const earlier = this.pending.get(patent.id);
      if (earlier || this.written.has(patent.id)) this.duplicates++;
      this.pending.set(patent.id, earlier ? mergePatents(earlier, patent) : patent);
    }
    if (this.pending.size >= this.writeChunk) await this.flush();
  }

  warn(warning: RowError): void {
    this.warningCount++;
    if (this.warnings.length < MAX_LISTED_ISSUES) this.warnings.push(warning);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const chunk = this.pending;
    this.pending = new Map();
    const lateIds = [...chunk.keys()].filter((id) => this.written.has(id));
    for (const earlier of lateIds.length > 0 ? await this.sink.read(lateIds) : []) {
      // The stored record was counted when written: count the merged one instead.
      this.tally.add(earlier, -1);
      chunk.set(earlier.id, mergePatents(earlier, chunk.get(earlier.id) as Patent));
    }
    await this.sink.write([...chunk.values()]);
    for (const patent of chunk.values()) {
      this.tally.add(patent, 1);
      this.written.add(patent.id);
    }
  }

  report(fixed: Pick<ImportReport, 'files' | 'fileErrors' | 'bytes' | 'durationMs'>): ImportReport {
    return {
      ...fixed,
      rowsRead: this.rowsRead,
      patentsImported: this.written.size,
      duplicatesMerged: this.duplicates,
      rowErrors: this.rowErrors,
      rowErrorCount: this.rowErrorCount,
      warnings: this.warnings,
      warningCount: this.warningCount,
      rejectedCodes: [...this.rejected.values()],
      rejectedCodeCount: this.rejectedCodeCount,
      ...this.tally.summary(),
    };
  }

  private normalise(raw: RawPatent, file: string | undefined): Patent {
    const codes = new Set<string>();
    for (const written of raw.rawCodes) {
      if (written.trim() === '') continue;
      const canonical = normalizeCode(written);
      if (canonical) codes.add(canonical);
      else this.reject(written.trim(), raw.line, file);
    }
    const patent: Patent = { id: detachedCopy(raw.id), year: raw.year, title: raw.title, codes: [...codes].sort() };
    if (raw.abstract) patent.abstract = raw.abstract;
    if (raw.claims) patent.claims = raw.claims;
    return patent;
  }

  codeCounts(): Map<string, number> {
    return this.tally.codeCounts();
  }

  private reject(code: string, line: number, file: string | undefined): void {
    this.rejectedCodeCount++;
    const key = `${file ?? ''}\u0000${code}`;
    let entry = this.rejected.get(key);
    if (!entry) {
      if (this.rejected.size >= MAX_LISTED_ISSUES) return;
      entry = file ? { code, file, lines: [] } : { code, lines: [] };
      this.rejected.set(key, entry);
    }
    if (entry.lines.length < MAX_LISTED_ISSUES) entry.lines.push(line);
  }
}

/**
 * A copy of `text` that does not keep its source alive. Readers return fields as slices of the
 * 64 KiB chunk they came from; the set of written ids lives for the whole import, and holding
 * slices there would keep every chunk of a 1 GB file in memory. Concatenating makes V8 build a
 * new flat string, which the slice then points into instead of the chunk.
 */
function detachedCopy(text: string): string {
  return `${text} `.slice(0, -1);
}

/** Deterministic merge of two records with one id: earlier text wins when present. */
export function mergePatents(first: Patent, second: Patent): Patent {
  const merged: Patent = {
    id: first.id,
    year: Math.min(first.year, second.year),
    title: first.title || second.title,
    codes: [...new Set([...first.codes, ...second.codes])].sort(),
  };
  const abstract = first.abstract || second.abstract;
  const claims = first.claims || second.claims;
  if (abstract) merged.abstract = abstract;
  if (claims) merged.claims = claims;
  return merged;
}

/**
 * Patents per year and per code at every level, kept exact when a stored patent is replaced by
 * its merged version (add it with -1, the merged one with +1).
 */
export class PatentTally {
  private readonly perYear = new Map<number, number>();
  private readonly perCode: Record<CodeLevel, Map<string, number>> = {
    subclass: new Map(), main_group: new Map(), subgroup: new Map(),
  };
  private readonly perCanonical = new Map<string, number>();

  add(patent: Patent, sign: 1 | -1): void {
    bump(this.perYear, patent.year, sign);
    for (const code of patent.codes) {
      bump(this.perCanonical, code, sign);
    }
    for (const level of Object.keys(this.perCode) as CodeLevel[]) {
      const atLevel = new Set(patent.codes.map((code) => codeAt(level, code)).filter((c): c is string => c !== null));
      for (const code of atLevel) bump(this.perCode[level], code, sign);
    }
  }

  summary(): Pick<ImportReport, 'patentsPerYear' | 'codesPerLevel'> {
    const patentsPerYear: Record<number, number> = {};
    for (const year of [...this.perYear.keys()].sort((a, b) => a - b)) patentsPerYear[year] = this.perYear.get(year) as number;
    return {
      patentsPerYear,
      codesPerLevel: {
        subclass: this.perCode.subclass.size, main_group: this.perCode.main_group.size, subgroup: this.perCode.subgroup.size,
      },
    };
  }

  codeCounts(): Map<string, number> {
    return new Map(this.perCanonical);
  }
}

function bump<K>(counts: Map<K, number>, key: K, sign: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + sign;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}
