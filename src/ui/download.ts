import { csvText, type CsvValue } from '../core/csv-writer';

/** Saves text as a file through a temporary object URL (nothing leaves the machine). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves a header and rows as a CSV file (formula-safe: see core/csv-writer.ts). */
export function downloadCsv(filename: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): void {
  downloadText(filename, csvText(header, rows), 'text/csv');
}
