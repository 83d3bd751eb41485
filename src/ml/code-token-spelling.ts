import { parseCode } from '../core/codes';
import type { CodeLevel } from '../core/types';

/**
 * How a vocabulary writes a technology code as one token. Models differ: the project's recipes
 * write `[H04L]` and `[H04L12/00]`, the skeleton model `H04L`, a hub model may use `<H04L>`,
 * `ipc_H04L`, `[h04l]` or `H04L_12_00`. The spelling is read from the vocabulary (readSpellings),
 * never assumed, so any of these loads.
 */
export interface CodeTokenSpelling {
  /** `subclass`: the token holds a subclass only; `group`: subclass, main group and subgroup; `main`: subclass and main group, no subgroup. */
  form: 'subclass' | 'group' | 'main';
  /** Text before the code (`[`, `<`, `ipc_`, ``), as written. */
  prefix: string;
  /** Text after the code (`]`, `>`, ``), as written. */
  suffix: string;
  /** The code part in lower case (`[h04l]`). */
  lowerCase: boolean;
  /** Between subclass and main group (`` in `H04L12/00`, ` ` in `H04L 12/00`, `_`…). */
  groupJoiner: string;
  /** Between main group and subgroup (`/`, `_`, `-`…); empty for the `main` form. */
  subgroupSeparator: string;
  /** Main-group digits zero-padded to this width (`H04L0012`), 0 when not padded. */
  mainGroupWidth: number;
  /** How many vocabulary tokens have this spelling. */
  tokens: number;
}

/**
 * A token that holds one code with something (or nothing) around it. The prefix is lazy so the
 * code is the first one in the token; the group part is optional (subclass tokens) and its
 * subgroup too (`H04L12`). Case-insensitive: case is checked separately, per token.
 */
const TOKEN_PATTERN = /^(.*?)([A-HY]\d\d[A-Z])(?:([ _\-:.]?)(\d{1,4})(?:([/_\-:.])(\d{2,6}))?)?(.*)$/i;

/** Only the most common spellings are tried: a large vocabulary may hold a few code-like words. */
const MAX_SPELLINGS = 24;

/** The spellings of code tokens a vocabulary uses, most frequent first. */
export function readSpellings(vocabulary: Iterable<string>): CodeTokenSpelling[] {
  const found = new Map<string, CodeTokenSpelling>();
  for (const token of vocabulary) {
    const spelling = spellingOf(token);
    if (!spelling) continue;
    const key = JSON.stringify({ ...spelling, tokens: 0 });
    const seen = found.get(key);
    if (seen) seen.tokens++;
    else found.set(key, spelling);
  }
  return [...found.values()].sort((a, b) => b.tokens - a.tokens).slice(0, MAX_SPELLINGS);
}

function spellingOf(token: string): CodeTokenSpelling | null {
  const m = TOKEN_PATTERN.exec(token);
  if (!m) return null;
  const [, prefix, subclass, joiner = '', main, separator, sub, suffix] = m;
  const code = token.slice(prefix.length, token.length - suffix.length);
  const lowerCase = code === code.toLowerCase();
  // Mixed case (`H04l`) is an ordinary word, not a code token.
  if (!lowerCase && code !== code.toUpperCase()) return null;
  if (!parseCode(subclass)) return null;
  const base = { prefix, suffix, lowerCase, tokens: 1 };
  if (main === undefined) return { ...base, form: 'subclass', groupJoiner: '', subgroupSeparator: '', mainGroupWidth: 0 };
  if (Number.parseInt(main, 10) === 0) return null;
  const mainGroupWidth = main.length > 1 && main.startsWith('0') ? main.length : 0;
  if (sub === undefined) return { ...base, form: 'main', groupJoiner: joiner, subgroupSeparator: '', mainGroupWidth };
  return { ...base, form: 'group', groupJoiner: joiner, subgroupSeparator: separator ?? '', mainGroupWidth };
}

/** Whether tokens of this spelling can stand for codes at `level`. */
export function spellsLevel(spelling: CodeTokenSpelling, level: CodeLevel): boolean {
  if (level === 'subclass') return spelling.form === 'subclass';
  if (level === 'main_group') return spelling.form === 'group' || spelling.form === 'main';
  return spelling.form === 'group';
}

/** The token for a canonical code at a level this spelling can write (`H04L 12/00` → `[H04L12/00]`). */
export function spellCode(code: string, spelling: CodeTokenSpelling): string {
  const parsed = parseCode(code);
  if (!parsed) throw new Error(`${code} is not an IPC/CPC code`);
  let text = parsed.subclass;
  if (spelling.form !== 'subclass') {
    if (!parsed.subgroup) throw new Error(`${code} has no group for a ${spelling.form} token`);
    const [main, sub] = parsed.subgroup.slice(parsed.subclass.length + 1).split('/');
    text += spelling.groupJoiner + main.padStart(spelling.mainGroupWidth, '0');
    if (spelling.form === 'group') text += spelling.subgroupSeparator + sub;
  }
  return spelling.prefix + (spelling.lowerCase ? text.toLowerCase() : text) + spelling.suffix;
}
