/**
 * Format detection from a file name and its first ~64 KiB of decoded text, a proposed column
 * mapping with a confidence (the UI asks the user below CONFIDENT_DETECTION), and the reader
 * factory for the tabular and JSON formats. EPO XML and PatentsView have readers of their own.
 */
import { CsvRecordReader, type CsvRecord } from './csv';
import { TabularPatentReader } from './tabular';
import { JsonPatentReader } from './json';
import { JsonArrayPatentReader, JsonArraySplitter } from './json-array';
import { JsonlPatentReader } from './jsonl';
import {
  FIELD_SYNONYMS,
  GOOGLE_PRESET,
  GUESS_KEYWORDS,
  LENS_PRESET,
  NOT_CODE_COLUMN,
  normalizeColumnName,
  type MappedField,
} from './presets';
import { type ColumnMapping, type DetectedFormat, type PatentReader } from './types';
import { NotAPatentFileError } from '../errors';

/** What every "not a patent file" message ends with, so the user knows what to bring instead. */
const EXPECTED =
  'expected a CSV, TSV, JSON or JSONL export (one patent per row with a title, a year or date and IPC/CPC codes), '
  + 'a Lens.org CSV, a Google Patents JSON, PatentsView tables or EPO XML';

/** Header rows are sampled this far to judge which delimiter gives consistent field counts. */
const SAMPLE_RECORDS = 50;
/** Longer "column names" are prose, not headers: they are never guessed as a field. */
const MAX_GUESSABLE_NAME = 40;
/** Each required field found only by a keyword guess costs this much confidence (two guesses ask). */
const GUESS_PENALTY = 0.12;
/** Confidence with one / two required fields (codes, year or date) missing. */
const ONE_MISSING = 0.5;
const TWO_MISSING = 0.3;

const PATENTSVIEW_COLUMNS = ['patent_title', 'patent_date', 'patent_type', 'patent_abstract', 'ipc_sequence',
  'cpc_sequence', 'cpc_group', 'cpc_subclass', 'ipc_class', 'claim_sequence', 'claim_text', 'summary_text'];

export function detectFormat(fileName: string, head: string): DetectedFormat {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = text.search(/\S/);
  if (first === -1) throw new NotAPatentFileError(fileName, `the file is empty; ${EXPECTED}`);
  rejectBinary(fileName, text);
  const lead = text[first];
  if (lead === '<') return detectXml(fileName, text);
  if (lead === '[' || lead === '{') return detectJson(fileName, text, lead);
  return detectTabular(fileName, text);
}

/** A reader for the tabular and JSON formats; the mapping defaults to the detected (or preset) one. */
export function createReader(detected: DetectedFormat, fileName: string, mapping?: ColumnMapping): PatentReader {
  const chosen = mapping ?? detected.mapping;
  switch (detected.kind) {
    case 'lens-csv':
      return new TabularPatentReader(',', chosen ?? LENS_PRESET, fileName);
    case 'google-json':
      return new JsonPatentReader(chosen ?? GOOGLE_PRESET, fileName);
    case 'epo-xml':
    case 'patentsview':
      throw new Error(`${detected.kind} files are read by their own reader, not by createReader (${fileName})`);
  }
  if (chosen === undefined) throw new Error(`Choose which columns hold the title, year and codes of ${fileName} before importing it`);
  switch (detected.kind) {
    case 'csv':
      return new TabularPatentReader(detected.delimiter ?? ',', chosen, fileName);
    case 'tsv':
      return new TabularPatentReader('\t', chosen, fileName);
    case 'jsonl':
      return new JsonlPatentReader(chosen, fileName);
    case 'json-array':
      return new JsonArrayPatentReader(chosen, fileName);
  }
}

function rejectBinary(fileName: string, text: string): void {
  if (text.startsWith('PK\u0003\u0004')) {
    throw new NotAPatentFileError(fileName, `it is a ZIP archive (an .xlsx workbook is one too): unzip it or save the sheet as CSV; ${EXPECTED}`);
  }
  if (text.startsWith('%PDF')) throw new NotAPatentFileError(fileName, `it is a PDF document; ${EXPECTED}`);
  const sample = text.slice(0, 8192);
  let nul = 0;
  let oddNul = 0;
  let unreadable = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) {
      nul++;
      if (i % 2 === 1) oddNul++;
    }
    // Control characters other than tab, LF, FF, CR, and U+FFFD (bytes that were not valid UTF-8).
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0x7f || c === 0xfffd) unreadable++;
  }
  // UTF-16 text read as UTF-8 has a NUL after every ASCII character.
  if (nul > sample.length / 4 && (oddNul > nul * 0.9 || oddNul < nul * 0.1)) {
    throw new NotAPatentFileError(fileName, `it looks like UTF-16 text ("Unicode text" in Excel): save it as CSV UTF-8; ${EXPECTED}`);
  }
  if (nul > 0 || unreadable > sample.length * 0.1) {
    throw new NotAPatentFileError(fileName, `it contains binary data (compressed or a program file?); ${EXPECTED}`);
  }
}

function detectXml(fileName: string, text: string): DetectedFormat {
  if (/^\s*<(?:!doctype\s+html|html)/i.test(text)) throw new NotAPatentFileError(fileName, `it is a web page (HTML); ${EXPECTED}`);
  const epo = /<(?:!DOCTYPE\s+)?(?:ep-patent-document|(?:\w+:)?exchange-documents?)\b/.test(text);
  return {
    kind: 'epo-xml',
    confidence: epo ? 1 : 0.5,
    columns: [],
    explanation: epo
      ? 'XML with EPO patent documents (publication server or DOCDB exchange format).'
      : 'XML, but no EPO patent document element in the first part of the file: it may not import.',
  };
}

function detectJson(fileName: string, text: string, lead: '[' | '{'): DetectedFormat {
  const isArray = lead === '[';
  const columns = isArray ? arrayColumns(fileName, text) : lineColumns(fileName, text);
  const shape = isArray ? 'A JSON array of objects' : 'One JSON object per line';
  if (columns.includes('publication_number') && (columns.includes('title_localized') || columns.includes('abstract_localized'))) {
    const mapping: ColumnMapping = { ...GOOGLE_PRESET, codes: [...GOOGLE_PRESET.codes] };
    // Exports limited to a few columns may lack publication_date; fall back to another date.
    const date = ['publication_date', 'grant_date', 'priority_date', 'filing_date'].find((key) => columns.includes(key));
    if (date !== undefined) mapping.date = date;
    return { kind: 'google-json', confidence: 1, columns, mapping, explanation: `${shape} in the Google Patents public-data schema.` };
  }
  // Nested keys are matched by their last segment (`biblio.invention_title` → title).
  const names = columns.map((column) => normalizeColumnName(column.slice(column.lastIndexOf('.') + 1)));
  return proposeMapping(fileName, isArray ? 'json-array' : 'jsonl', columns, names, `${shape}`);
}

/**
 * Keys of the array's objects in the head, in order of first appearance (nested objects add dotted
 * paths): records often omit empty fields, so the first object alone can miss the abstract column.
 */
function arrayColumns(fileName: string, text: string): string[] {
  const { elements } = new JsonArraySplitter(fileName).push(text);
  const columns = new Set<string>();
  for (const element of elements) {
    const value = parseOrUndefined(element.text);
    if (isPlainObject(value)) objectColumns(value).forEach((c) => columns.add(c));
    else if (value !== undefined && columns.size === 0) {
      throw new NotAPatentFileError(fileName, `it is a JSON array of ${typeof value} values, not of patent objects; ${EXPECTED}`);
    }
  }
  if (columns.size > 0) return [...columns];
  // The first object is longer than the head (long claims or descriptions): read its keys so far.
  const brace = text.indexOf('{');
  if (brace === -1) throw new NotAPatentFileError(fileName, `its JSON array holds no objects; ${EXPECTED}`);
  return partialObjectKeys(text, brace);
}

/** Keys of the complete object lines in the head, in order of first appearance (see arrayColumns). */
function lineColumns(fileName: string, text: string): string[] {
  const lines = text.split('\n');
  const complete = lines.slice(0, -1).filter((line) => line.trim() !== '');
  const notLines = `it is JSON but not one object per line or an array of objects; ${EXPECTED}`;
  // A lone `{` opens a pretty-printed document (`{"patents": [...]}`), whose inner lines may parse.
  if (complete[0]?.trim() === '{') throw new NotAPatentFileError(fileName, notLines);
  const columns = new Set<string>();
  for (const [index, line] of complete.entries()) {
    const value = parseOrUndefined(line);
    if (isPlainObject(value)) objectColumns(value).forEach((c) => columns.add(c));
    // Five broken lines before any object: this is not JSON lines.
    else if (columns.size === 0 && index >= 4) break;
  }
  if (columns.size > 0) return [...columns];
  if (complete.length === 0) return partialObjectKeys(text, text.indexOf('{')); // one long first line
  throw new NotAPatentFileError(fileName, notLines);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keys, plus `parent.child` paths into nested objects. A nested object's own key is kept only when
 * the value readers understand it whole (`{text}` or `{code}`), so `classifications: {ipcr: …}`
 * proposes `classifications.ipcr`, not `classifications`.
 */
function objectColumns(value: Record<string, unknown>): string[] {
  const columns: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (!isPlainObject(child)) {
      columns.push(key);
      continue;
    }
    if ('text' in child || 'code' in child) columns.push(key);
    for (const inner of Object.keys(child)) columns.push(`${key}.${inner}`);
  }
  return columns;
}

/** Top-level keys of an object whose text may be cut off, starting at its `{`. */
export function partialObjectKeys(text: string, brace: number): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = Math.max(brace, 0); i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) break;
      if (depth === 1 && /^\s*:/.test(text.slice(end + 1, end + 40))) {
        const key = parseOrUndefined(text.slice(i, end + 1));
        if (typeof key === 'string') keys.push(key);
      }
      i = end;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      break;
    }
  }
  return keys;
}

function detectTabular(fileName: string, text: string): DetectedFormat {
  const sampled = (delimiter: string): CsvRecord[] => {
    const reader = new CsvRecordReader(delimiter);
    const records = reader.push(text).records.slice(0, SAMPLE_RECORDS + 1);
    return records.length >= 2 ? records : [...records, ...reader.end().records];
  };
  const score = (records: CsvRecord[]): number => {
    const width = records[0]?.fields.length ?? 0;
    if (width < 2) return 0;
    const rows = records.slice(1);
    const consistent = rows.length === 0 ? 1 : rows.filter((row) => row.fields.length === width).length / rows.length;
    return consistent + width / 1e4; // ties go to the delimiter that splits the header into more columns
  };
  const comma = sampled(',');
  const tab = sampled('\t');
  const tabHint = /\.(?:tsv|tab)$/i.test(fileName) ? 0.01 : 0;
  const semicolon = sampled(';');
  let [delimiter, records]: [',' | '\t' | ';', CsvRecord[]] = score(tab) + tabHint > score(comma) ? ['\t', tab] : [',', comma];
  // European-locale spreadsheets separate columns with ";": chosen only when clearly more consistent.
  if (score(semicolon) > Math.max(score(records), 0.5)) [delimiter, records] = [';', semicolon];
  const best = score(records);
  if (best === 0) throw new NotAPatentFileError(fileName, `it has no header row with several columns; ${EXPECTED}`);
  const columns = records[0].fields.map((name) => name.trim());
  const kind = delimiter === '\t' ? 'tsv' : 'csv';
  const shape = delimiter === '\t' ? 'Tab-separated with a header row'
    : delimiter === ';' ? 'Semicolon-separated with a header row (European-locale spreadsheet)' : 'Comma-separated with a header row';

  const patentsView = detectPatentsView(fileName, columns);
  if (patentsView !== null) return patentsView;
  if (columns.includes('Lens ID') && (columns.includes('IPCR Classifications') || columns.includes('CPC Classifications'))) {
    const present = (column: string | undefined): string | undefined => (column !== undefined && columns.includes(column) ? column : undefined);
    const mapping: ColumnMapping = {
      id: LENS_PRESET.id,
      title: LENS_PRESET.title,
      abstract: present(LENS_PRESET.abstract),
      claims: present(LENS_PRESET.claims),
      year: present(LENS_PRESET.year),
      date: present(LENS_PRESET.date),
      codes: LENS_PRESET.codes.filter((column) => columns.includes(column)),
      codeSeparator: LENS_PRESET.codeSeparator,
    };
    return { kind: 'lens-csv', confidence: 1, columns, mapping, explanation: 'A Lens.org patent CSV export.' };
  }
  const proposed = proposeMapping(fileName, kind, columns, columns.map(normalizeColumnName), shape);
  return delimiter === ';' ? { ...proposed, delimiter } : proposed;
}

function detectPatentsView(fileName: string, columns: string[]): DetectedFormat | null {
  if (!columns.includes('patent_id')) return null;
  const table = fileName.replace(/^.*[\\/]/, '').replace(/\..*$/, '');
  const namedLikeTable = /^g_[a-z0-9_]+$/.test(table);
  const hasTableColumns = PATENTSVIEW_COLUMNS.some((column) => columns.includes(column));
  if (!namedLikeTable && !hasTableColumns) return null;
  return {
    kind: 'patentsview',
    confidence: namedLikeTable && hasTableColumns ? 1 : 0.9,
    columns,
    explanation: `A PatentsView bulk table${namedLikeTable ? ` (${table})` : ''}, joined with the others on patent_id.`,
  };
}

interface FieldMatch {
  column: string;
  exact: boolean;
}

/** The column for one field: a known name first (in FIELD_SYNONYMS order), else a keyword guess. */
function matchField(field: MappedField, columns: string[], names: string[]): FieldMatch | undefined {
  for (const synonym of FIELD_SYNONYMS[field]) {
    const index = names.indexOf(synonym);
    if (index !== -1) return { column: columns[index], exact: true };
  }
  for (const keyword of GUESS_KEYWORDS[field] ?? []) {
    const index = names.findIndex((name) => name.length <= MAX_GUESSABLE_NAME && name.includes(keyword));
    if (index !== -1) return { column: columns[index], exact: false };
  }
  return undefined;
}

/** Every codes column: all known names, else all keyword guesses; never US, FI or Locarno schemes. */
function matchCodes(columns: string[], names: string[]): { columns: string[]; exact: boolean } {
  const usable = (index: number): boolean => !NOT_CODE_COLUMN.test(names[index]);
  const exact = columns.filter((_, i) => usable(i) && FIELD_SYNONYMS.codes.includes(names[i]));
  if (exact.length > 0) return { columns: exact, exact: true };
  const keywords = GUESS_KEYWORDS.codes ?? [];
  const guessed = columns.filter((_, i) => usable(i) && names[i].length <= MAX_GUESSABLE_NAME && keywords.some((k) => names[i].includes(k)));
  return { columns: guessed, exact: false };
}

function proposeMapping(
  fileName: string,
  kind: DetectedFormat['kind'],
  columns: string[],
  names: string[],
  shape: string,
): DetectedFormat {
  const title = matchField('title', columns, names);
  const listed = columns.slice(0, 12).map((column) => JSON.stringify(column)).join(', ');
  if (title === undefined) {
    throw new NotAPatentFileError(fileName, `none of its columns looks like a title (found ${listed || 'none'}); ${EXPECTED}`);
  }
  const year = matchField('year', columns, names);
  const date = matchField('date', columns, names);
  const codes = matchCodes(columns, names);
  const mapping: ColumnMapping = {
    id: matchField('id', columns, names)?.column,
    title: title.column,
    abstract: matchField('abstract', columns, names)?.column,
    claims: matchField('claims', columns, names)?.column,
    year: year?.column,
    date: date?.column,
    codes: codes.columns,
  };
  const guessed: string[] = [];
  const missing: string[] = [];
  if (!title.exact) guessed.push('title');
  if (codes.columns.length === 0) missing.push('IPC/CPC codes');
  else if (!codes.exact) guessed.push('codes');
  if (year === undefined && date === undefined) missing.push('year or date');
  else if (!(year?.exact || date?.exact)) guessed.push('year');
  const confidence = missing.length === 2 ? TWO_MISSING : missing.length === 1 ? ONE_MISSING : 1 - GUESS_PENALTY * guessed.length;
  const parts = [`${shape}. Title from "${title.column}"`];
  if (mapping.year !== undefined || mapping.date !== undefined) parts.push(`year from "${mapping.year ?? mapping.date}"`);
  if (codes.columns.length > 0) parts.push(`codes from ${codes.columns.map((column) => `"${column}"`).join(', ')}`);
  let explanation = `${parts.join(', ')}.`;
  if (guessed.length > 0) explanation += ` Guessed from similar names: ${guessed.join(', ')}.`;
  if (missing.length > 0) explanation += ` No column found for ${missing.join(' and ')}: choose one before importing.`;
  return { kind, confidence, columns, mapping, explanation };
}
