/**
 * From ipc_titles.tsv (`code level depth title`) to the bundled IPC title file. Pure: the script
 * reads the file and writes the result. Codes must already be in the app's spelling and every
 * code's parent must come before it; anything else stops the script with the line.
 */
import { normalizeCode } from '../codes';
import { serializeReference } from './format';
import { IPC_FORMAT, IPC_FORMAT_VERSION, ipcFingerprint, ipcLevelOf, ipcParentOf, SHORTENING_RULE, type CompactIpcFile } from './ipc-format';
import { ReferenceSourceError, type IpcTitleLevel } from './types';

export interface SourceIpcRow {
  line: number;
  code: string;
  level: IpcTitleLevel | 'subgroup';
  title: string;
}

const COLUMNS = ['code', 'level', 'depth', 'title'];
const LEVELS: readonly string[] = ['section', 'class', 'subclass', 'main_group', 'subgroup'];

export function parseIpcSource(tsv: string, file = 'ipc_titles.tsv'): SourceIpcRow[] {
  const lines = tsv.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[0] !== COLUMNS.join('\t')) throw new ReferenceSourceError(file, 1, `expected the header "${COLUMNS.join('<TAB>')}"`);
  const rows: SourceIpcRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const fail = (detail: string): never => {
      throw new ReferenceSourceError(file, i + 1, detail);
    };
    const cells = lines[i].split('\t');
    if (cells.length !== 4 || cells.some((cell) => cell.trim() === '')) fail('expected 4 non-empty tab-separated cells');
    const [code, level, , title] = cells;
    if (!LEVELS.includes(level)) fail(`level "${level}" is not one of ${LEVELS.join(', ')}`);
    rows.push({ line: i + 1, code, level: level as SourceIpcRow['level'], title: title.trim() });
  }
  return rows;
}

/** A reference: a class (`E21`) or subclass (`A01D`) symbol as a word of its own. */
const REFERENCE = /\b[A-H]\d{2}[A-Z]?\b/;

/** The title without its parenthesised cross-references (SHORTENING_RULE). */
export function shortenTitle(title: string): string {
  let out = '';
  let group = '';
  let depth = 0;
  for (const ch of title) {
    if (ch === '(') {
      depth++;
      group += ch;
    } else if (ch === ')' && depth > 0) {
      group += ch;
      if (--depth === 0) {
        if (REFERENCE.test(group)) out = out.replace(/\s+$/, '');
        else out += group;
        group = '';
      }
    } else if (depth > 0) group += ch;
    else out += ch;
  }
  out = (out + group).replace(/\s+(?=[;,.])/g, '').replace(/\s{2,}/g, ' ').trim();
  return out === '' ? title : out;
}

/** The compact file: sections, classes, subclasses and main groups; subgroup rows are skipped. */
export function encodeIpcTitles(rows: readonly SourceIpcRow[], source: string, file = 'ipc_titles.tsv'): CompactIpcFile {
  const titles: Record<string, string> = {};
  const shortened: string[] = [];
  const counts = { sections: 0, classes: 0, subclasses: 0, mainGroups: 0, shortened: 0 };
  const key: Record<IpcTitleLevel, keyof typeof counts> = { section: 'sections', class: 'classes', subclass: 'subclasses', main_group: 'mainGroups' };
  const seen = new Set<string>();
  const absent = new Set<string>();
  for (const row of rows) {
    const fail = (detail: string): never => {
      throw new ReferenceSourceError(file, row.line, `${row.code}: ${detail}`);
    };
    if (seen.has(row.code)) fail('this code was given before');
    if (absent.has(row.code)) fail('it comes after codes below it (rows must be in scheme order)');
    seen.add(row.code);
    if (row.level === 'subgroup') {
      if (normalizeCode(row.code) !== row.code) fail('not in the app\'s spelling of a subgroup ("H04L 27/26")');
      continue;
    }
    const level = ipcLevelOf(row.code);
    if (level === null) return fail(`not a ${row.level} code in the app's spelling`);
    if (level !== row.level) fail(`the code is a ${level}, the row says ${row.level}`);
    if (level !== 'section' && level !== 'class' && normalizeCode(row.code) !== row.code) fail('not in the app\'s spelling');
    const parent = ipcParentOf(row.code, level);
    // The source lacks some parents (the classes of sections G and H): listed, and lookups skip that level.
    if (parent !== null && titles[parent] === undefined && !absent.has(parent)) absent.add(parent);
    const title = shortenTitle(row.title);
    if (title !== row.title) shortened.push(row.code);
    titles[row.code] = title;
    counts[key[level]]++;
  }
  counts.shortened = shortened.length;
  return {
    format: IPC_FORMAT,
    version: IPC_FORMAT_VERSION,
    fingerprint: ipcFingerprint(Object.entries(titles), shortened, [...absent]),
    counts,
    source,
    shortening: SHORTENING_RULE,
    absentParents: [...absent],
    shortened,
    titles,
  };
}

export function serializeIpcTitles(file: CompactIpcFile): string {
  const { titles, shortened, ...header } = file;
  return serializeReference(header, { shortened, titles });
}
