/**
 * From JSON records to RawPatents, for the JSONL and JSON-array readers. Mapping keys may be dotted
 * paths (`biblio.title`); values are read by `jsonText`/`jsonCodes`, which understand Google's
 * `[{text, language}]` and `[{code}]` shapes, so Google Patents is a preset like any other.
 */
import { splitCodeCell } from '../codes';
import { firstRepeatedKey } from './json-keys';
import { NO_TITLE_WARNING, toRawPatent } from './presets';
import type { ColumnMapping, RawPatent, ReadBatch } from './types';

/**
 * An element (or JSONL line) this long is taken as an object that was never closed. Google records
 * with full descriptions reach a few MiB; the bound only stops one missing brace or newline from
 * swallowing the file.
 */
export const MAX_ELEMENT_CHARS = 32 * 1024 * 1024;

/** Prefer English text in Google's `*_localized` arrays (the map is language-agnostic otherwise). */
const PREFERRED_LANGUAGE = 'en';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Value at a key or dotted path; a path through an array collects from each element. */
export function jsonLookup(record: unknown, path: string): unknown {
  if (!isObject(record)) return undefined;
  if (path in record) return record[path]; // keys may themselves contain dots
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  const head = record[path.slice(0, dot)];
  const rest = path.slice(dot + 1);
  if (Array.isArray(head)) return head.map((item) => jsonLookup(item, rest)).filter((item) => item !== undefined);
  return jsonLookup(head, rest);
}

/** Text of a value: strings and numbers as they are, `{text}` objects, and localized arrays (English first). */
export function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value)) return jsonText(value.text);
  if (!Array.isArray(value)) return undefined;
  const english = value.find((item) => isObject(item) && item.language === PREFERRED_LANGUAGE && jsonText(item.text));
  if (english !== undefined) return jsonText(english);
  for (const item of value) {
    const text = jsonText(item);
    if (text !== undefined && text.trim() !== '') return text;
  }
  return undefined;
}

/** Code strings of a value: a cell of several codes, a list of strings, or a list of `{code}` objects. */
export function jsonCodes(value: unknown, separator?: string): string[] {
  if (typeof value === 'string') return splitCodeCell(value, separator);
  if (isObject(value)) return jsonCodes(value.code, separator);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => jsonCodes(item, separator));
}

/** A RawPatent from one parsed record (title '' when it has none but has codes), or the RowError reason. */
export function jsonToPatent(record: unknown, mapping: ColumnMapping, line: number): RawPatent | string {
  if (!isObject(record)) return 'not a JSON object';
  const text = (path: string | undefined): string | undefined => (path === undefined ? undefined : jsonText(jsonLookup(record, path)));
  return toRawPatent(
    {
      id: text(mapping.id),
      title: text(mapping.title),
      abstract: text(mapping.abstract),
      claims: text(mapping.claims),
      year: text(mapping.year),
      date: text(mapping.date),
      codes: mapping.codes.flatMap((path) => jsonCodes(jsonLookup(record, path), mapping.codeSeparator)),
    },
    line,
  );
}

/** One JSON record as text (an array element or a JSONL line), with the line where it starts. */
export interface JsonElement {
  line: number;
  text: string;
}

/**
 * Parses one element's text and maps it, adding the patent or the error to `out`. Returns whether
 * the text was a JSON object, which tells broken rows apart from a file that is not JSON at all.
 */
export function addElement(out: ReadBatch, element: JsonElement, mapping: ColumnMapping, fileName: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch {
    out.errors.push({ line: element.line, reason: 'not valid JSON', file: fileName });
    return false;
  }
  const result = jsonToPatent(value, mapping, element.line);
  if (typeof result === 'string') {
    out.errors.push({ line: element.line, reason: result, file: fileName });
  } else {
    out.patents.push(result);
    if (result.title === '') (out.warnings ??= []).push({ line: element.line, reason: NO_TITLE_WARNING, file: fileName });
    // JSON.parse keeps the last of two values for one key, as most JSON tools do; say so.
    const repeated = firstRepeatedKey(element.text);
    if (repeated !== null) {
      (out.warnings ??= []).push({ line: element.line, reason: `key "${repeated}" appears more than once: the last value is used`, file: fileName });
    }
  }
  return isObject(value);
}

