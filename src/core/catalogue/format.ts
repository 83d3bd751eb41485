/**
 * The bundled catalogue file (public/catalogue/bref-catalogue.json), version 1.
 *
 * Sections are rows of a table in source order, parents before children. A row names its parent by
 * row index instead of repeating the path, and stores only the last part of its section number:
 * the number, id, path and chapter all follow from the parent chain. On the 5,432 BREF sections
 * that is 369 KB (90 KB gzipped) against 2.4 MB for the same facts as one JSON object per section.
 *
 *   [document, parent, numberPart, title, technique, pollutants?, pathTitle?]
 *
 * - document: index into `documents`; parent: row index, or -1 for a chapter (top-level section)
 * - numberPart: `3` for section `4.1.3` under `4.1`; technique: 1 or 0
 * - pollutants: ascending indices into `pollutants` (omitted when none and no pathTitle follows)
 * - pathTitle: the heading as the path spells it, only where it differs from `title` (spacing)
 */
import { fnv1aString, FNV_OFFSET, hex8 } from '../hash';
import type { CatalogueCounts, CatalogueSources, NameSource } from './types';

export const CATALOGUE_FORMAT = 'patent-space/bref-catalogue';
export const CATALOGUE_FORMAT_VERSION = 1;
/** Id of the bundled catalogue in lists and in stored text sets. */
export const BREF_CATALOGUE_ID = 'bref';
/** Where the app serves the bundled file (relative to the page; a worker must be given an absolute URL). */
export const BUNDLED_CATALOGUE_PATH = 'catalogue/bref-catalogue.json';
/** Separates document and section number in a section id. */
export const SECTION_ID_SEPARATOR = ':::';

export type CompactSectionRow =
  | [document: number, parent: number, numberPart: string, title: string, technique: 0 | 1]
  | [document: number, parent: number, numberPart: string, title: string, technique: 0 | 1, pollutants: number[]]
  | [document: number, parent: number, numberPart: string, title: string, technique: 0 | 1, pollutants: number[], pathTitle: string];

export interface CompactDocument {
  code: string;
  name: string;
  nameSource: NameSource;
}

export interface CompactCatalogueFile {
  format: typeof CATALOGUE_FORMAT;
  version: typeof CATALOGUE_FORMAT_VERSION;
  /** FNV-1a (hex) of the facts, see catalogueFingerprint: a check on decode and a key for stored texts. */
  fingerprint: string;
  counts: CatalogueCounts;
  sources: CatalogueSources;
  /** How to read `sections`, for whoever opens the file. */
  rowLayout: string;
  documents: CompactDocument[];
  pollutants: string[];
  sections: CompactSectionRow[];
}

export const ROW_LAYOUT = '[document index, parent row (-1: chapter), last part of the section number, title, technique 1/0, pollutant indices?, path heading where it differs from title?]';

/** The facts of one section as the fingerprint sees them. */
export interface SectionFacts {
  id: string;
  title: string;
  path: readonly string[];
  chapter: string;
  isTechnique: boolean;
  pollutants: readonly string[];
}

/**
 * FNV-1a over every fact the file holds, in file order: documents (code, name) then sections (id,
 * title, path, chapter, flag, pollutant names). The script computes it from the source rows and the
 * decoder from the decoded catalogue, so a file edited by hand or cut short is caught.
 */
export function catalogueFingerprint(documents: readonly { code: string; name: string }[], sections: Iterable<SectionFacts>): string {
  let hash = FNV_OFFSET;
  for (const d of documents) hash = fnv1aString(`${JSON.stringify([d.code, d.name])}\n`, hash);
  for (const s of sections) {
    hash = fnv1aString(`${JSON.stringify([s.id, s.title, s.path, s.chapter, s.isTechnique, s.pollutants])}\n`, hash);
  }
  return hex8(hash);
}

/**
 * The file's text: the header fields one per line and one section row per line, so a regenerated
 * file diffs row by row. Same object in, same bytes out.
 */
export function serializeCatalogue(file: CompactCatalogueFile): string {
  const { sections, documents, pollutants, ...header } = file;
  const lines = Object.entries(header).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)},`);
  const list = (items: readonly unknown[]): string => items.map((item) => JSON.stringify(item)).join(',\n');
  return `{\n${lines.join('\n')}\n"documents":[\n${list(documents)}\n],\n"pollutants":[\n${list(pollutants)}\n],\n"sections":[\n${list(sections)}\n]\n}\n`;
}
