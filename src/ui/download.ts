/** Saves text as a file through a temporary object URL (nothing leaves the machine). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Saves a header and rows as a CSV file. */
export function downloadCsv(filename: string, header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): void {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  downloadText(filename, `${lines.join('\n')}\n`, 'text/csv');
}
