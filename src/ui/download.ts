/**
 * Exports, all saved through a temporary object URL (nothing leaves the machine), and all inert:
 * CSV goes through the one formula-safe writer (src/core/csv-writer.ts), so pass numbers as
 * numbers there (a text cell starting with a minus sign is written as text).
 */
import { csvText, type CsvValue } from '../core/csv-writer';

/** Fired on window instead of a download while downloads are blocked (detail: the file name). */
export const DOWNLOAD_BLOCKED_EVENT = 'download-blocked';
let blocked = false;

/** Stops every export from saving a file (a kiosk: a file dialog, or a visitor's data left on disk). */
export function blockDownloads(): void {
  blocked = true;
}

/** Saves a blob as a file. */
export function downloadBlob(filename: string, blob: Blob): void {
  if (blocked) {
    window.dispatchEvent(new CustomEvent<string>(DOWNLOAD_BLOCKED_EVENT, { detail: filename }));
    return;
  }
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

/** Saves a header and rows as a CSV file. */
export function downloadCsv(filename: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): void {
  downloadText(filename, csvText(header, rows), 'text/csv');
}

/** A number rounded to `digits` decimals for a CSV cell, kept a number (text starting with '-' is written as text). */
export function rounded(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Saves a value as indented JSON; ±Infinity and NaN (which JSON lacks) are written as null. */
export function downloadJson(filename: string, value: unknown): void {
  downloadText(filename, JSON.stringify(value, finiteNumbers, 1), 'application/json');
}

function finiteNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
