/**
 * The one CSV writer of every export (match results, map and space selections, forecasts,
 * neighbours, import reports). Exports must be inert: a spreadsheet treats a cell that begins with
 * `=`, `+`, `-` or `@` (and, in some, a tab or carriage return) as a formula, so a patent title
 * such as `=HYPERLINK("http://evil","x")` would run when the file is opened. Such text cells get a
 * leading apostrophe (OWASP "CSV injection"); numbers are written as numbers.
 */

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-looking text neutralised, then quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header and rows as CSV text, one line per row, ending with a newline. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}
