/**
 * The bundled IPC title file (public/reference/ipc-titles.json), version 1: one object `titles`
 * from code to title, keyed in the app's normalised spelling (src/core/codes.ts): section `H`,
 * class `H04`, subclass `H04L`, main group `H04L 9/00`. Scheme order, parents before children.
 * Subgroups are left out (2.7 MB more); a subgroup's title falls back to its main group's. The
 * source has no titles for the classes of sections G and H (`absentParents`): their subclasses
 * fall back to the section.
 */
import { fingerprintOf } from './format';
import type { IpcTitleLevel } from './types';

export const IPC_FORMAT = 'patent-space/ipc-titles';
export const IPC_FORMAT_VERSION = 1;

export const SHORTENING_RULE =
  'A parenthesised part of a title (nesting included) that names an IPC symbol (a class such as E21 or a subclass such as A01D, '
  + 'with or without a group) is a cross-reference and is cut, with the space before it; the words outside such parts are kept '
  + 'as they are, so the first clause is never cut short. A title that would be left empty is kept whole.';

export interface CompactIpcFile {
  format: typeof IPC_FORMAT;
  version: typeof IPC_FORMAT_VERSION;
  fingerprint: string;
  counts: Record<'sections' | 'classes' | 'subclasses' | 'mainGroups' | 'shortened', number>;
  source: string;
  shortening: string;
  /** Parents of stored codes that the source has no title for (the classes of sections G and H), in file order. */
  absentParents: string[];
  /** Codes that had a reference cut, in file order: the reader reports them, the title is the shortened one. */
  shortened: string[];
  titles: Record<string, string>;
}

const PATTERNS: readonly [IpcTitleLevel, RegExp][] = [
  ['section', /^[A-H]$/],
  ['class', /^[A-H]\d{2}$/],
  ['subclass', /^[A-H]\d{2}[A-Z]$/],
  ['main_group', /^[A-H]\d{2}[A-Z] [1-9]\d{0,3}\/00$/],
];

/** The level of a code in the file's spelling, or null when it is not one. */
export function ipcLevelOf(code: string): IpcTitleLevel | null {
  for (const [level, pattern] of PATTERNS) if (pattern.test(code)) return level;
  return null;
}

/** The code one level up (`H04L 9/00` → `H04L` → `H04` → `H`), null for a section. */
export function ipcParentOf(code: string, level: IpcTitleLevel): string | null {
  switch (level) {
    case 'section':
      return null;
    case 'class':
      return code.slice(0, 1);
    case 'subclass':
      return code.slice(0, 3);
    case 'main_group':
      return code.slice(0, 4);
  }
}

/** FNV-1a over [code, title] in file order, then the shortened codes and the absent parents. */
export function ipcFingerprint(titles: Iterable<readonly [string, string]>, shortened: readonly string[], absentParents: readonly string[]): string {
  return fingerprintOf([...titles, shortened, absentParents]);
}
