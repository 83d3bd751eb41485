/**
 * What an import collects from the readers' batches: code normalisation (one normaliser for every
 * format), deterministic merging of duplicate ids, per-year and per-level tallies, and the report.
 */
import { codeAt, normalizeCode } from '../codes';
import type { CodeLevel, Patent } from '../types';
import type { PatentSink } from './engine';
import { MAX_LISTED_ISSUES, type ImportReport, type RejectedCode } from './report';
import type { RawPatent, ReadBatch, RowError } from './types';

/** Accumulates one import: normalisation, duplicate merging, counts and the report. */
export class ImportCollector {
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
