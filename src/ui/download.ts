/**
 * Exports, all saved through a temporary object URL (nothing leaves the machine), and all inert:
 * CSV text cells that a spreadsheet would read as a formula are written with a leading
 * apostrophe, so a patent title such as `=HYPERLINK(…)` stays text.
 */

/** Saves a blob as a file. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves text as a file. */
export function downloadText(filename: string, text: string, type: string): void {
  downloadBlob(filename, new Blob([text], { type }));
}

/** Cells starting like this are formulas to a spreadsheet (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number, which is data even when it starts with a minus sign. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); formulas defused. */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export type CsvRow = readonly (string | number | null | undefined)[];

/** A header and rows as CSV text, one line per row, ending with a line break. */
export function csvText(header: readonly string[], rows: readonly CsvRow[]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** Saves a header and rows as a CSV file. */
export function downloadCsv(filename: string, header: readonly string[], rows: readonly CsvRow[]): void {
  downloadText(filename, csvText(header, rows), 'text/csv');
}

/** Saves a value as indented JSON; ±Infinity and NaN (which JSON lacks) are written as null. */
export function downloadJson(filename: string, value: unknown): void {
  downloadText(filename, JSON.stringify(value, finiteNumbers, 1), 'application/json');
}

function finiteNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
