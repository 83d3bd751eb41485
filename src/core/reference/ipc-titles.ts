/**
 * The bundled IPC title file (ipc-format.ts) → IpcTitles, checked on the way (a malformed,
 * truncated or newer file fails with a ReferenceFormatError naming the field), and the lookup the
 * views use: a code in any spelling the app accepts, answered with its own title or the nearest
 * ancestor's, saying which.
 */
import { parseCode } from '../codes';
import { FieldReader } from './format';
import { IPC_FORMAT, IPC_FORMAT_VERSION, ipcFingerprint, ipcLevelOf, ipcParentOf } from './ipc-format';
import { IPC_TITLES_FILE, type IpcCounts, type IpcTitleHit, type IpcTitleLevel } from './types';

interface Entry {
  title: string;
  level: IpcTitleLevel;
}

const SECTION_OR_CLASS = /^([A-HY])(\d{2})?$/;

/**
 * The codes to try for `code`, finest first: `H04L 27/26` → `H04L 27/26`, `H04L 27/00`, `H04L`,
 * `H04`, `H`. Sections and classes (`H`, `h04`) are read here, finer codes by codes.ts. Empty when
 * `code` is not a code.
 */
export function ipcLineage(code: string): string[] {
  const trimmed = code.trim().toUpperCase();
  const short = SECTION_OR_CLASS.exec(trimmed);
  if (short !== null) return short[2] === undefined ? [short[1]] : [trimmed, short[1]];
  const parsed = parseCode(trimmed);
  if (parsed === null) return [];
  const chain = [parsed.subgroup, parsed.mainGroup, parsed.subclass, parsed.class, parsed.section];
  return chain.filter((c, i): c is string => c !== null && chain.indexOf(c) === i);
}

/** IPC titles of sections, classes, subclasses and main groups. */
export class IpcTitles {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly fingerprint: string,
    readonly counts: IpcCounts,
    titles: Iterable<readonly [string, string, IpcTitleLevel]>,
    private readonly shortenedCodes: ReadonlySet<string>,
    /** Parents of stored codes without a title of their own in the source (`G01`): lookups pass over them. */
    readonly absentParents: readonly string[],
  ) {
    for (const [code, title, level] of titles) this.entries.set(code, { title, level });
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The title of `code` (any spelling codes.ts accepts, or a section `H` / class `H04`), else of
   * its nearest ancestor with one (main group → subclass → class → section); null when `code` is
   * not a code or nothing above it has a title.
   */
  title(code: string): IpcTitleHit | null {
    const lineage = ipcLineage(code);
    for (const candidate of lineage) {
      const entry = this.entries.get(candidate);
      if (entry !== undefined) return { code: candidate, title: entry.title, level: entry.level, exact: candidate === lineage[0] };
    }
    return null;
  }

  /** The code's own title only (normalised spelling expected), no fallback. */
  exactTitle(code: string): string | null {
    return this.entries.get(code)?.title ?? null;
  }

  /** Whether the stored title had parenthesised cross-references cut (see SHORTENING_RULE). */
  isShortened(code: string): boolean {
    return this.shortenedCodes.has(code);
  }

  /** Code → title of every stored code, e.g. as the default table of src/core/code-titles.ts. */
  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [code, entry] of this.entries) record[code] = entry.title;
    return record;
  }
}

export function parseIpcTitles(json: string): IpcTitles {
  return decodeIpcTitles(new FieldReader(IPC_TITLES_FILE).parse(json));
}

export function decodeIpcTitles(value: unknown): IpcTitles {
  const r: FieldReader = new FieldReader(IPC_TITLES_FILE);
  const file = r.object(value, 'the top level');
  r.header(file, IPC_FORMAT, IPC_FORMAT_VERSION);
  const titles = r.object(file.titles, '"titles"');
  const absent = new Set(r.list(file.absentParents, '"absentParents"').map((code, i) => {
    const text = r.text(code, `absentParents[${i}]`);
    if (ipcLevelOf(text) === null) r.fail(`absentParents[${i}]`, `${JSON.stringify(text)} is not a code in the app's spelling`);
    if (Object.hasOwn(titles, text)) r.fail(`absentParents[${i}]`, `${text} does have a title`);
    return text;
  }));
  const rows: [string, string, IpcTitleLevel][] = [];
  const found: IpcCounts = { sections: 0, classes: 0, subclasses: 0, mainGroups: 0, shortened: 0 };
  const key: Record<IpcTitleLevel, keyof IpcCounts> = { section: 'sections', class: 'classes', subclass: 'subclasses', main_group: 'mainGroups' };
  const seen = new Set<string>();
  for (const [code, title] of Object.entries(titles)) {
    const where = `titles[${JSON.stringify(code)}]`;
    const level = ipcLevelOf(code);
    if (level === null) r.fail(where, 'the key is not a section, class, subclass or main group in the app\'s spelling ("H", "H04", "H04L", "H04L 9/00")');
    const parent = ipcParentOf(code, level);
    if (parent !== null && !seen.has(parent) && !absent.has(parent)) r.fail(where, `its parent ${parent} is neither an earlier key nor in "absentParents"`);
    seen.add(code);
    rows.push([code, r.text(title, where), level]);
    found[key[level]]++;
  }
  const shortened = r.list(file.shortened, '"shortened"').map((code, i) => {
    const text = r.text(code, `shortened[${i}]`);
    if (!seen.has(text)) r.fail(`shortened[${i}]`, `${text} has no title in the file`);
    return text;
  });
  found.shortened = new Set(shortened).size;
  if (found.shortened !== shortened.length) r.fail('"shortened"', 'a code is listed twice');
  const counts = r.counts<keyof IpcCounts>(file.counts, { ...found });
  const fingerprint = r.fingerprint(file.fingerprint, ipcFingerprint(rows.map(([code, title]) => [code, title] as const), shortened, [...absent]));
  return new IpcTitles(fingerprint, counts, rows, new Set(shortened), [...absent]);
}
