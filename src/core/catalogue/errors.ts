/** Errors of the catalogue: a malformed bundled file, a source the script cannot turn into one, a text file that is not one. */

/** The bundled catalogue file is not one this app can read; `where` names the field or row. */
export class CatalogueFormatError extends Error {
  override name = 'CatalogueFormatError';
  constructor(readonly where: string, detail: string) {
    super(`The technique catalogue file is malformed at ${where}: ${detail}. Rebuild it with scripts/make-catalogue.ts or reinstall the app.`);
  }
}

/** The source rows (bref.jsonl, bref_pollutants.tsv) disagree with themselves; `line` is 1-based where known. */
export class CatalogueSourceError extends Error {
  override name = 'CatalogueSourceError';
  constructor(readonly file: string, readonly line: number | null, detail: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}`);
  }
}

/** A file the user chose as catalogue texts that is not JSON lines at all (one message, nothing stored). */
export class NotACatalogueFileError extends Error {
  override name = 'NotACatalogueFileError';
  constructor(fileName: string, detail: string) {
    super(`${fileName} does not look like a catalogue file: ${detail}. Expected one JSON object per line with at least "id" and "text".`);
  }
}

/** Thrown when a write names a catalogue import that is not (or no longer) in progress. */
export class CatalogueImportGoneError extends Error {
  override name = 'CatalogueImportGoneError';
  constructor(catalogueId: string) {
    super(`Catalogue import ${catalogueId} is not in progress: it was cancelled or has finished.`);
  }
}
