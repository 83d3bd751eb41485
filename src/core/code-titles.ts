import { normalizeCode } from './codes';

export interface CodeTitleError {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface CodeTitles {
  /** Normalised code (`H04L`, `H04L 27/00`) → title. */
  titles: Record<string, string>;
  /** Rows that were not read, with why; the good rows are kept. */
  errors: CodeTitleError[];
}

/**
 * Reads a code-title table: one `code<TAB>title` per line, codes as IPC/CPC codes in any written
 * form (normalised with normalizeCode, so `h04l0027260000` and `H04L 27/26` are one code). Empty
 * lines and lines starting with `#` are skipped, as is a first line `code<TAB>title` (a header).
 * A row without a tab, with something that is not a code, with an empty title, or repeating a code
 * with another title is reported by line number and left out.
 */
export function parseCodeTitles(text: string): CodeTitles {
  const titles: Record<string, string> = {};
  const errors: CodeTitleError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const tab = raw.indexOf('\t');
    if (tab < 0) {
      errors.push({ line, message: `no tab between code and title in "${clip(raw)}"` });
      return;
    }
    const rawCode = raw.slice(0, tab).trim();
    const title = raw.slice(tab + 1).trim();
    if (line === 1 && rawCode.toLowerCase() === 'code') return;
    const code = normalizeCode(rawCode);
    if (code === null) {
      errors.push({ line, message: `"${clip(rawCode)}" is not an IPC/CPC code` });
      return;
    }
    if (title === '') {
      errors.push({ line, message: `${code} has an empty title` });
      return;
    }
    const earlier = titles[code];
    if (earlier !== undefined && earlier !== title) {
      errors.push({ line, message: `${code} appears again with another title ("${clip(title)}" after "${clip(earlier)}")` });
      return;
    }
    titles[code] = title;
  });
  return { titles, errors };
}

function clip(text: string, length = 40): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
