/**
 * Column-mapping presets (data) and the one place where a mapped record becomes a RawPatent, so
 * CSV, TSV and JSON readers agree on years, blank titles and fallback ids.
 */
import { normalizeCode } from '../codes';
import type { ColumnMapping, RawPatent } from './types';

/** Lens.org CSV export. Lens has no claims column by default; readers skip absent optional columns. */
export const LENS_PRESET: Readonly<ColumnMapping> = Object.freeze({
  id: 'Lens ID',
  title: 'Title',
  abstract: 'Abstract',
  claims: 'Claims',
  year: 'Publication Year',
  date: 'Publication Date',
  codes: ['IPCR Classifications', 'CPC Classifications'],
  codeSeparator: ';;',
});

/**
 * Google Patents public data (BigQuery `patents.publications` exported as JSON or JSONL). The
 * `*_localized` arrays of `{text, language}` and `ipc`/`cpc` arrays of `{code}` are understood by
 * the JSON value extractor, so this preset is plain data like the others.
 */
export const GOOGLE_PRESET: Readonly<ColumnMapping> = Object.freeze({
  id: 'publication_number',
  title: 'title_localized',
  abstract: 'abstract_localized',
  claims: 'claims_localized',
  date: 'publication_date',
  codes: ['ipc', 'cpc'],
});

export type MappedField = 'id' | 'title' | 'abstract' | 'claims' | 'year' | 'date' | 'codes';

/**
 * Known column names per field, compared after `normalizeColumnName`, best first (the first one
 * present wins). A match here counts as exact; detection falls back to GUESS_KEYWORDS.
 */
export const FIELD_SYNONYMS: Readonly<Record<MappedField, readonly string[]>> = {
  id: ['lens id', 'publication number', 'patent id', 'patent number', 'publication id', 'doc number',
    'document number', 'docdb id', 'pub number', 'id'],
  title: ['title', 'invention title', 'title of invention', 'patent title', 'title localized',
    'title en', 'english title'],
  abstract: ['abstract', 'abstract text', 'patent abstract', 'abstract localized', 'abstract en'],
  claims: ['claims', 'claims text', 'claim', 'claims localized', 'first claim', 'independent claims'],
  year: ['publication year', 'pub year', 'year', 'priority year', 'filing year', 'application year'],
  date: ['publication date', 'pub date', 'date', 'grant date', 'priority date',
    'earliest priority date', 'filing date', 'application date'],
  codes: ['ipc', 'ipcr', 'cpc', 'codes', 'classifications', 'ipcr classifications',
    'cpc classifications', 'ipc classifications', 'ipc codes', 'cpc codes', 'ipc classes',
    'classification', 'ipc classification', 'cpc classification', 'classification codes'],
};

/** Substrings that make a column a plausible (guessed) match when no known name is present. */
export const GUESS_KEYWORDS: Readonly<Partial<Record<MappedField, readonly string[]>>> = {
  title: ['title'],
  abstract: ['abstract'],
  claims: ['claim'],
  year: ['year'],
  date: ['date'],
  codes: ['ipc', 'cpc', 'classif'],
};

/** US (USPC), Japanese (FI/F-term) and design (Locarno) schemes look like codes columns but are not IPC/CPC. */
export const NOT_CODE_COLUMN = /\b(?:us|uspc|fi|f term|locarno)\b/;

/** `Publication_Date`, ` publication-date ` and `publicationDate` all become `publication date`. */
export function normalizeColumnName(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_.\-/:()#]+/g, ' ')
    .trim();
}

/** Years accepted as publication years; outside this range a year is a typo or a placeholder. */
export const MIN_YEAR = 1790;
export const MAX_YEAR = 2100;

const YEAR_ONLY = /^(\d{4})(?:\.0+)?$/; // `2001`, or `2001.0` from spreadsheets and pandas
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/; // 2001-05-17, 2001/05/17, ISO with time
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/; // 20010517 (Google, DOCDB)
const YEAR_LAST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|\s)/; // 17.05.2001, 05/17/2001: day/month order irrelevant

/** The year of a year or date value, or null when it is not a date in MIN_YEAR..MAX_YEAR. */
export function parseYear(text: string): number | null {
  const value = text.trim();
  let year: number;
  let match = YEAR_ONLY.exec(value);
  if (match !== null) {
    year = Number(match[1]);
  } else if ((match = YEAR_FIRST.exec(value) ?? COMPACT.exec(value)) !== null) {
    if (!plausibleMonthDay(Number(match[2]), Number(match[3]))) return null;
    year = Number(match[1]);
  } else if ((match = YEAR_LAST.exec(value)) !== null) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    if (!plausibleMonthDay(b, a) && !plausibleMonthDay(a, b)) return null;
    year = Number(match[3]);
  } else {
    return null;
  }
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : null;
}

function plausibleMonthDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** A record's mapped fields as text, before validation. Readers fill this from columns or keys. */
export interface MappedRecord {
  id?: string;
  title?: string;
  abstract?: string;
  claims?: string;
  year?: string;
  date?: string;
  /** Code strings as written, already split out of their cells. */
  codes: string[];
}

/**
 * Said of a patent that has codes but no title: it still links its codes, but nothing describes it
 * to the text model. Stores and engines see `title: ''`.
 */
export const NO_TITLE_WARNING = 'no title: counted in co-occurrence, no text embedding';

/**
 * A RawPatent, or the RowError reason that keeps the record out. A record without a title is kept
 * when it has a year and a valid code (its title is then '', which callers report with
 * NO_TITLE_WARNING); without either it is of no use.
 */
export function toRawPatent(record: MappedRecord, line: number): RawPatent | string {
  const title = record.title?.trim() ?? '';
  if (title === '' && !hasValidCode(record.codes)) return 'no title';
  const year = resolveYear(record);
  if (typeof year === 'string') return year;
  const id = record.id?.trim();
  const patent: RawPatent = {
    line,
    id: id !== undefined && id !== '' ? id : `row-${line}`,
    year,
    title,
    rawCodes: record.codes,
  };
  const abstract = record.abstract?.trim();
  if (abstract) patent.abstract = abstract;
  const claims = record.claims?.trim();
  if (claims) patent.claims = claims;
  return patent;
}

/** Whether any of the codes as written is an IPC/CPC code the engine will keep. */
export function hasValidCode(codes: readonly string[]): boolean {
  return codes.some((code) => normalizeCode(code) !== null);
}

/** Year column first, then date column; the reason names the first non-blank value that failed. */
function resolveYear(record: MappedRecord): number | string {
  let firstBad: string | undefined;
  for (const text of [record.year, record.date]) {
    if (text === undefined || text.trim() === '') continue;
    const year = parseYear(text);
    if (year !== null) return year;
    firstBad ??= text.trim();
  }
  return firstBad === undefined ? 'no year' : `bad year ${JSON.stringify(firstBad)}`;
}
