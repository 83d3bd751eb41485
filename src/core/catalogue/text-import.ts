/**
 * What an import of a catalogue text file keeps, and its report. Three kinds:
 * - texts for the bundled catalogue: merged by id; ids the catalogue lacks are listed, not stored;
 * - a catalogue of its own (a company's technique list): every row is one of its sections;
 * - BAT conclusions ("BAT n" statements, `{id, bref, bat_id, title, text}`): kept like an own
 *   catalogue's rows (`bref` is the document), shown beside a document's sections, never matched.
 * Duplicate ids: the first row with a text wins (as duplicate patents keep their first text),
 * later rows are counted and listed.
 */
import { MAX_LISTED_ISSUES } from '../ingest/report';
import type { TextEncodingName } from '../ingest/encoding';
import type { RowError } from '../ingest/types';
import type { Catalogue } from './catalogue';
import type { CatalogueTextRow, TextReadBatch } from './text-reader';

export type CatalogueImportKind = 'texts' | 'own' | 'bat';

/** A section as stored: for texts only `id` and `text`, for an own catalogue whatever the row gave. */
export type SectionInput = Omit<CatalogueTextRow, 'line'>;

export interface CatalogueImportReport {
  kind: CatalogueImportKind;
  file: { name: string; bytes: number; encoding: TextEncodingName };
  /** For texts: the bundled catalogue's fingerprint the ids were matched against. */
  catalogueFingerprint?: string;
  /** Lines read as rows (malformed lines are in rowErrors instead). */
  rowsRead: number;
  /** Distinct ids found in the bundled catalogue (texts) or sections stored (own). */
  matched: number;
  /** Rows whose id the bundled catalogue does not have (always 0 for an own catalogue). */
  unknown: number;
  /** The first MAX_LISTED_ISSUES of them. */
  unknownIds: { id: string; line: number }[];
  /** Rows without a text (null, missing or blank). */
  noText: number;
  textsStored: number;
  /** For texts: bundled sections still without a text after this import. */
  sectionsWithoutText?: number;
  duplicates: number;
  duplicateRows: RowError[];
  rowErrors: RowError[];
  rowErrorCount: number;
  warnings: RowError[];
  warningCount: number;
  durationMs: number;
}

export class CatalogueImportCollector {
  private pending: SectionInput[] = [];
  private pendingChars = 0;
  /** Ids seen, and whether a text was already kept for them. */
  private readonly seen = new Map<string, boolean>();
  private readonly report: Omit<CatalogueImportReport, 'file' | 'durationMs' | 'kind'> = {
    rowsRead: 0, matched: 0, unknown: 0, unknownIds: [], noText: 0, textsStored: 0,
    duplicates: 0, duplicateRows: [], rowErrors: [], rowErrorCount: 0, warnings: [], warningCount: 0,
  };

  /** `catalogue`: the bundled catalogue the texts belong to; null for a catalogue of its own. */
  constructor(private readonly catalogue: Catalogue | null, private readonly fileName: string, private readonly rowsKind: 'own' | 'bat' = 'own') {}

  get kind(): CatalogueImportKind {
    return this.catalogue ? 'texts' : this.rowsKind;
  }

  get rowsRead(): number {
    return this.report.rowsRead;
  }

  add(batch: TextReadBatch): void {
    this.report.rowErrorCount += batch.errors.length;
    listUpTo(this.report.rowErrors, batch.errors);
    this.report.warningCount += batch.warnings.length;
    listUpTo(this.report.warnings, batch.warnings);
    for (const row of batch.rows) this.addRow(row);
  }

  /** Sections collected since the last take, once there are `rows` of them or `chars` of text (or `all`). */
  take(rows: number, chars: number, all = false): SectionInput[] | null {
    if (this.pending.length === 0 || (!all && this.pending.length < rows && this.pendingChars < chars)) return null;
    const chunk = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    return chunk;
  }

  finish(file: CatalogueImportReport['file'], durationMs: number): CatalogueImportReport {
    const r = this.report;
    const extra = this.catalogue
      ? { catalogueFingerprint: this.catalogue.meta.fingerprint, sectionsWithoutText: this.catalogue.sections.length - r.textsStored }
      : {};
    return { kind: this.kind, file, ...extra, ...r, durationMs };
  }

  private addRow(row: CatalogueTextRow): void {
    const r = this.report;
    r.rowsRead++;
    if (row.text === undefined) r.noText++;
    if (this.catalogue && !this.catalogue.has(row.id)) {
      r.unknown++;
      if (r.unknownIds.length < MAX_LISTED_ISSUES) r.unknownIds.push({ id: row.id, line: row.line });
      return;
    }
    const keptText = this.seen.get(row.id);
    if (keptText !== undefined) {
      r.duplicates++;
      if (r.duplicateRows.length < MAX_LISTED_ISSUES) {
        const kept = keptText || row.text === undefined ? 'the first one is kept' : 'its text is kept (the first had none)';
        r.duplicateRows.push({ line: row.line, reason: `id "${row.id}" given before: ${kept}`, file: this.fileName });
      }
      // A text for a section whose first row had none is still taken: the first text wins.
      if (keptText || row.text === undefined) return;
    } else if (this.catalogue) {
      r.matched++;
    }
    this.seen.set(row.id, row.text !== undefined);
    const { line: _line, ...fields } = row;
    if (this.catalogue) {
      if (row.text === undefined) return; // nothing to store: the bundled file has the reference facts
      this.push({ id: row.id, text: row.text });
    } else {
      if (keptText === undefined) r.matched++;
      this.push(fields);
    }
    if (row.text !== undefined) r.textsStored++;
  }

  private push(section: SectionInput): void {
    this.pending.push(section);
    this.pendingChars += section.text?.length ?? 0;
  }
}

function listUpTo(list: RowError[], items: readonly RowError[]): void {
  for (const item of items) {
    if (list.length >= MAX_LISTED_ISSUES) return;
    list.push(item);
  }
}
