/**
 * From the source files (bref.jsonl, bref_pollutants.tsv) to the bundled catalogue file. Pure: the
 * script reads the files and writes the result. Only reference facts are read; the `text` field of
 * bref.jsonl is never looked at, so no section text can reach the bundled file.
 */
import { CatalogueSourceError } from './errors';
import {
  CATALOGUE_FORMAT,
  CATALOGUE_FORMAT_VERSION,
  catalogueFingerprint,
  ROW_LAYOUT,
  SECTION_ID_SEPARATOR,
  type CompactCatalogueFile,
  type CompactSectionRow,
} from './format';
import type { CatalogueSources } from './types';

/** One line of bref.jsonl, reference fields only. */
export interface SourceSectionRow {
  line: number;
  id: string;
  bref: string;
  section: string;
  title: string;
  path: string[];
  chapter: string;
  isTechnique: boolean;
  pollutants: string[];
}

/** One row of bref_pollutants.tsv. */
export interface SourceLinkRow {
  line: number;
  sectionId: string;
  bref: string;
  sectionTitle: string;
  pollutant: string;
}

const LINK_COLUMNS = ['bref_section_id', 'bref', 'section_title', 'pollutant'];

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The sections of bref.jsonl; any line that is not a well-formed section stops the script (bad source, no guessing). */
export function parseSourceSections(jsonl: string, file = 'bref.jsonl'): SourceSectionRow[] {
  const rows: SourceSectionRow[] = [];
  const lines = jsonl.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    if (text === '') continue;
    const fail = (detail: string): never => {
      throw new CatalogueSourceError(file, i + 1, detail);
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail('not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
    const r = value as Record<string, unknown>;
    for (const key of ['id', 'bref', 'section', 'title', 'chapter'] as const) {
      if (typeof r[key] !== 'string' || r[key] === '') fail(`"${key}" must be a non-empty string`);
    }
    if (!isStringArray(r.path) || r.path.length === 0) fail('"path" must be a non-empty list of strings');
    if (typeof r.is_technique_section !== 'boolean') fail('"is_technique_section" must be true or false');
    if (r.pollutants !== undefined && !isStringArray(r.pollutants)) fail('"pollutants" must be a list of strings');
    rows.push({
      line: i + 1,
      id: r.id as string,
      bref: r.bref as string,
      section: r.section as string,
      title: r.title as string,
      path: r.path as string[],
      chapter: r.chapter as string,
      isTechnique: r.is_technique_section as boolean,
      pollutants: (r.pollutants as string[] | undefined) ?? [],
    });
  }
  return rows;
}

/** The links of bref_pollutants.tsv (header `bref_section_id bref section_title pollutant`). */
export function parseSourceLinks(tsv: string, file = 'bref_pollutants.tsv'): SourceLinkRow[] {
  const lines = tsv.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[0] !== LINK_COLUMNS.join('\t')) throw new CatalogueSourceError(file, 1, `expected the header "${LINK_COLUMNS.join('<TAB>')}"`);
  const rows: SourceLinkRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const cells = lines[i].split('\t');
    if (cells.length !== 4 || cells.some((cell) => cell === '')) throw new CatalogueSourceError(file, i + 1, 'expected 4 non-empty tab-separated cells');
    rows.push({ line: i + 1, sectionId: cells[0], bref: cells[1], sectionTitle: cells[2], pollutant: cells[3] });
  }
  return rows;
}

/** Lexicographic by UTF-16 code units: the same order on every machine and locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Builds the compact file. Every consistency the decoder relies on is checked here first, with the
 * source line: id = bref:::section, each section's parent (its number minus the last part) is an
 * earlier row, the path extends the parent's, the chapter is the path's first heading, and the
 * links file and the rows' own pollutant lists agree.
 */
export function encodeCatalogue(
  sections: readonly SourceSectionRow[],
  links: readonly SourceLinkRow[],
  documentNames: Readonly<Record<string, string>>,
  sources: CatalogueSources,
  files = { sections: 'bref.jsonl', links: 'bref_pollutants.tsv' },
): CompactCatalogueFile {
  const sectionError = (row: SourceSectionRow, detail: string): CatalogueSourceError => new CatalogueSourceError(files.sections, row.line, `${row.id}: ${detail}`);

  // Links first: the pollutant table is sorted by name so that indices do not depend on row order.
  const rowById = new Map<string, SourceSectionRow>();
  for (const row of sections) {
    if (rowById.has(row.id)) throw sectionError(row, 'this id was given before');
    rowById.set(row.id, row);
  }
  const linked = new Map<string, Set<string>>();
  for (const link of links) {
    const row = rowById.get(link.sectionId);
    const fail = (detail: string): never => {
      throw new CatalogueSourceError(files.links, link.line, `${link.sectionId}: ${detail}`);
    };
    if (!row) fail(`no section with this id in ${files.sections}`);
    else if (row.bref !== link.bref) fail(`document ${link.bref} but the section is in ${row.bref}`);
    else if (row.title !== link.sectionTitle) fail(`title "${link.sectionTitle}" but the section's is "${row.title}"`);
    let set = linked.get(link.sectionId);
    if (!set) linked.set(link.sectionId, (set = new Set()));
    if (set.has(link.pollutant)) fail(`pollutant "${link.pollutant}" is linked twice`);
    set.add(link.pollutant);
  }
  const pollutants = [...new Set(links.map((l) => l.pollutant))].sort(byCodeUnits);
  const pollutantIndex = new Map(pollutants.map((name, i) => [name, i]));

  const documentIndex = new Map<string, number>();
  const documents: CompactCatalogueFile['documents'] = [];
  const indexById = new Map<string, number>();
  const rows: CompactSectionRow[] = [];
  let techniqueSections = 0;
  for (const row of sections) {
    if (row.id !== `${row.bref}${SECTION_ID_SEPARATOR}${row.section}`) throw sectionError(row, `id is not "${row.bref}${SECTION_ID_SEPARATOR}${row.section}"`);
    const parts = row.section.split('.');
    if (parts.some((part) => part === '')) throw sectionError(row, `section number "${row.section}" has an empty part`);
    let document = documentIndex.get(row.bref);
    if (document === undefined) {
      const name = documentNames[row.bref];
      if (name === undefined) throw sectionError(row, `no name for document ${row.bref}: add it to the script's list of document names`);
      document = documents.length;
      documentIndex.set(row.bref, document);
      documents.push({ code: row.bref, name, nameSource: 'script' });
    }
    let parent = -1;
    const parentPath: string[] = [];
    if (parts.length > 1) {
      const parentId = `${row.bref}${SECTION_ID_SEPARATOR}${parts.slice(0, -1).join('.')}`;
      const found = indexById.get(parentId);
      if (found === undefined) throw sectionError(row, `its parent ${parentId} is not an earlier row`);
      parent = found;
      parentPath.push(...(rowById.get(parentId) as SourceSectionRow).path);
    }
    if (row.path.length !== parentPath.length + 1 || !sameList(row.path.slice(0, -1), parentPath)) {
      throw sectionError(row, parent === -1 ? 'a top-level section must have a path of one heading' : "its path does not extend its parent's path by one heading");
    }
    if (row.chapter !== row.path[0]) throw sectionError(row, `chapter "${row.chapter}" is not the path's first heading`);
    const own = [...(linked.get(row.id) ?? [])].sort(byCodeUnits);
    const listed = [...new Set(row.pollutants)].sort(byCodeUnits);
    if (!sameList(own, listed)) throw sectionError(row, `its pollutants [${listed.join('; ')}] differ from ${files.links}'s [${own.join('; ')}]`);

    const compact: CompactSectionRow = [document, parent, parts[parts.length - 1], row.title, row.isTechnique ? 1 : 0];
    const indices = own.map((name) => pollutantIndex.get(name) as number);
    const pathTitle = row.path[row.path.length - 1];
    if (pathTitle !== row.title) rows.push([...compact, indices, pathTitle]);
    else rows.push(indices.length > 0 ? [...compact, indices] : compact);
    indexById.set(row.id, rows.length - 1);
    if (row.isTechnique) techniqueSections++;
  }

  const fingerprint = catalogueFingerprint(documents, sections.map((row) => ({
    id: row.id,
    title: row.title,
    path: row.path,
    chapter: row.chapter,
    isTechnique: row.isTechnique,
    pollutants: [...(linked.get(row.id) ?? [])].sort(byCodeUnits),
  })));
  return {
    format: CATALOGUE_FORMAT,
    version: CATALOGUE_FORMAT_VERSION,
    fingerprint,
    counts: { documents: documents.length, sections: rows.length, techniqueSections, pollutants: pollutants.length, links: links.length },
    sources,
    rowLayout: ROW_LAYOUT,
    documents,
    pollutants,
    sections: rows,
  };
}
