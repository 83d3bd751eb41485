/**
 * The one normaliser for IPC and CPC codes. Every reader hands codes over exactly as written;
 * the engine calls `normalizeCode` once, so all formats agree on what a code is.
 *
 * Forms accepted (case and surrounding whitespace ignored):
 *   `H04L 27/26`, `H04L27/26`, `H04L  27/26  (2006.01)`   written forms, with or without a version
 *   `H04L0027260000`                                      EPO/DOCDB 14-character form
 *   `H04J  11/00        20060101AFI20160817BHEP`          EPO ipcr text (version, level, office…)
 *   `7H 04L  27/26   A`                                   old EPO B511-B515: IPC edition, spaced subclass, position
 *   `H04L-27/26`                                          a hyphen between subclass and group
 *   `H04L`                                                subclass only
 * Canonical form: `H04L 27/26` (one space, main group without leading zeros).
 */
import type { CodeLevel } from './types';

export interface ParsedCode {
  canonical: string;
  /** `H` */
  section: string;
  /** `H04` */
  class: string;
  /** `H04L` */
  subclass: string;
  /** `H04L 27/00`; null for a subclass-only code. */
  mainGroup: string | null;
  /** `H04L 27/26`; a main-group code is its own subgroup-level code. Null for a subclass-only code. */
  subgroup: string | null;
}

/**
 * Groups: 1 section, 2 class digits, 3 subclass letter, then either 4 main group + 5 subgroup
 * (written with a slash) or 6 + 7 (DOCDB: 4-digit main group, 6-digit left-aligned subgroup),
 * then 8 whatever follows (validated by VERSION_SUFFIX). The lookahead stops `H04L 27/261234567`
 * or `H04L0027260000X` from matching a prefix. Before the section, old EPO documents write the
 * IPC edition (1-8, `7H 04L`), and one space may part section and class there.
 */
const CODE_PATTERN =
  /^(?:[1-8](?=[A-HY]))?([A-HY])\s?(\d{2})([A-Z])(?:(?:\s*|-)(\d{1,4})\s*\/\s*(\d{2,6})|(\d{4})(\d{6}))?(?=$|[\s(])(.*)$/;

/**
 * What may follow a code: nothing, a version in brackets (`(2006.01)`, `(20060101)`), an EPO
 * ipcr tail starting with an 8-digit version date, or the one-letter position of old EPO fields
 * (`A` main, `B` further…). Anything after a version is ignored (levels, office codes); anything
 * else (`H04L 27`, `H04L 27/`, free text) makes the cell not a code.
 */
const VERSION_SUFFIX = /^\s*(?:$|\(\s*\d{4}[.-]?\d{2}(?:[.-]?\d{2})?\s*\)|\d{8}(?:[A-Z\s]|$)|[A-Z]\s*$)/;

/** Subgroup digits are a decimal fraction (`/033` = `/0330`), so trailing zeros beyond two are noise. */
function trimSubgroup(digits: string): string {
  let end = digits.length;
  while (end > 2 && digits.charCodeAt(end - 1) === 48 /* '0' */) end--;
  return digits.slice(0, end);
}

export function parseCode(raw: string): ParsedCode | null {
  if (typeof raw !== 'string') return null;
  const match = CODE_PATTERN.exec(raw.trim().toUpperCase());
  if (match === null || !VERSION_SUFFIX.test(match[8])) return null;
  const [, section, classDigits, subclassLetter] = match;
  const klass = section + classDigits;
  const subclass = klass + subclassLetter;
  const mainDigits = match[4] ?? match[6];
  const subDigits = match[5] ?? match[7];
  if (mainDigits === undefined || subDigits === undefined) {
    return { canonical: subclass, section, class: klass, subclass, mainGroup: null, subgroup: null };
  }
  const main = Number.parseInt(mainDigits, 10);
  if (main === 0) return null; // groups are numbered from 1; `0000` is padding, not a group
  const mainGroup = `${subclass} ${main}/00`;
  const subgroup = `${subclass} ${main}/${trimSubgroup(subDigits)}`;
  return { canonical: subgroup, section, class: klass, subclass, mainGroup, subgroup };
}

/** Canonical form of a code (`H04L 27/26`, `H04L`), or null when `raw` is not an IPC/CPC code. */
export function normalizeCode(raw: string): string | null {
  return parseCode(raw)?.canonical ?? null;
}

/** The code at `level` (`H04L 27/26` → main_group `H04L 27/00`); null when the code is coarser. */
export function codeAt(level: CodeLevel, canonical: string): string | null {
  const parsed = parseCode(canonical);
  if (parsed === null) return null;
  switch (level) {
    case 'subclass':
      return parsed.subclass;
    case 'main_group':
      return parsed.mainGroup;
    case 'subgroup':
      return parsed.subgroup;
  }
}

/**
 * Separators tried in this order when none is given. `;;` (Lens) before `;` so a Lens cell is not
 * split into empty pieces; `,` last, and it is safe because no written code contains a comma.
 */
const DEFAULT_SEPARATORS = [';;', ';', '|', '\n', ','] as const;

/** Splits a cell holding several codes; pieces are trimmed and empty ones dropped. Not normalised. */
export function splitCodeCell(cell: string, separator?: string): string[] {
  if (cell.length === 0) return [];
  const chosen = separator !== undefined && separator !== ''
    ? separator
    : DEFAULT_SEPARATORS.find((candidate) => cell.includes(candidate));
  const pieces = chosen === undefined ? [cell] : cell.split(chosen);
  const codes: string[] = [];
  for (const piece of pieces) {
    const code = piece.trim();
    if (code.length > 0) codes.push(code);
  }
  return codes;
}

/**
 * `H`, `04` (or `4`), `L`, `27`, `26` → `H04L 27/26`. Also accepts a class or subclass column
 * that already holds the longer symbol (`H04`, `H04L`). Not validated: the engine's code
 * normaliser judges the result and reports codes it rejects.
 */
export function joinClassificationParts(section: string, cls: string, subclass: string, mainGroup: string, subgroup: string): string {
  const [s, c, sc, main, sub] = [section, cls, subclass, mainGroup, subgroup].map((part) => part.trim());
  let symbol: string;
  if (sc.length >= 4) symbol = sc;
  else if (/^[A-Za-z]/.test(c)) symbol = c + sc;
  else symbol = s + (/^\d$/.test(c) ? `0${c}` : c) + sc;
  symbol = symbol.toUpperCase();
  if (main === '') return symbol;
  return `${symbol} ${main}/${sub === '' ? '00' : sub.length === 1 ? `0${sub}` : sub}`;
}
