/**
 * What the two reference files share: the byte layout (header fields one per line, then each list
 * one item per line, so a regenerated file diffs line by line; same object in, same bytes out)
 * and the field checks of their readers, which name the field that is wrong.
 */
import { fnv1aString, FNV_OFFSET, hex8 } from '../hash';
import { ReferenceFormatError } from './types';

export type JsonObject = Record<string, unknown>;

/**
 * The file's text. `header` fields come first, one per line; each of `lists` is written one item
 * per line (arrays) or one key per line (objects), in the order given.
 */
export function serializeReference(header: JsonObject, lists: Record<string, readonly unknown[] | Readonly<Record<string, unknown>>>): string {
  const lines = Object.entries(header).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  for (const [key, value] of Object.entries(lists)) {
    if (Array.isArray(value)) {
      const items = (value as readonly unknown[]).map((item) => JSON.stringify(item));
      lines.push(items.length === 0 ? `${JSON.stringify(key)}:[]` : `${JSON.stringify(key)}:[\n${items.join(',\n')}\n]`);
    } else {
      const items = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      lines.push(items.length === 0 ? `${JSON.stringify(key)}:{}` : `${JSON.stringify(key)}:{\n${items.join(',\n')}\n}`);
    }
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** FNV-1a (hex) over facts given as JSON-able records, one per line. */
export function fingerprintOf(records: Iterable<unknown>): string {
  let hash = FNV_OFFSET;
  for (const record of records) hash = fnv1aString(`${JSON.stringify(record)}\n`, hash);
  return hex8(hash);
}

/** Lexicographic by UTF-16 code units: the same order on every machine and locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Field checks bound to one file name, each throwing ReferenceFormatError. */
export class FieldReader {
  constructor(readonly file: string) {}

  fail(where: string, detail: string): never {
    throw new ReferenceFormatError(this.file, where, detail);
  }

  parse(json: string): unknown {
    try {
      return JSON.parse(json) as unknown;
    } catch (error) {
      return this.fail('the top level', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  object(value: unknown, where: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(where, 'expected a JSON object');
    return value as JsonObject;
  }

  text(value: unknown, where: string): string {
    if (typeof value !== 'string' || value === '') this.fail(where, 'expected a non-empty string');
    return value;
  }

  count(value: unknown, where: string, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      this.fail(where, max === Number.MAX_SAFE_INTEGER ? 'expected a whole number ≥ 0' : `expected a whole number 0…${max}`);
    }
    return value;
  }

  list(value: unknown, where: string, length?: number): unknown[] {
    if (!Array.isArray(value)) this.fail(where, 'expected a list');
    if (length !== undefined && value.length !== length) this.fail(where, `expected ${length} items, found ${value.length}`);
    return value;
  }

  /** `format` and `version`: a newer file asks for a newer app, anything else is not this file. */
  header(file: JsonObject, format: string, version: number): void {
    if (file.format !== format) this.fail('"format"', `expected "${format}", found ${JSON.stringify(file.format)}`);
    if (file.version !== version) {
      this.fail('"version"', typeof file.version === 'number' && file.version > version
        ? `version ${file.version} is newer than this app reads (${version}); update the app`
        : `expected ${version}, found ${JSON.stringify(file.version)}`);
    }
  }

  /** Each declared count against what the file holds: a file cut short or edited fails here. */
  counts<K extends string>(declared: unknown, found: Record<K, number>): Record<K, number> {
    const given = this.object(declared, '"counts"');
    for (const key of Object.keys(found) as K[]) {
      const value = this.count(given[key], `counts.${key}`);
      if (value !== found[key]) this.fail(`counts.${key}`, `the file says ${value} but holds ${found[key]} (cut short or edited?)`);
    }
    return found;
  }

  fingerprint(declared: unknown, recomputed: string): string {
    const given = this.text(declared, '"fingerprint"');
    if (given !== recomputed) this.fail('"fingerprint"', `the file says ${given} but its contents give ${recomputed} (edited by hand?)`);
    return given;
  }
}
