/**
 * The bundled file (format.ts) → Catalogue, checking every field on the way: a malformed, truncated
 * or newer file fails with a CatalogueFormatError that names the field or row, never with a
 * half-built catalogue.
 */
import { Catalogue } from './catalogue';
import { CatalogueFormatError } from './errors';
import {
  CATALOGUE_FORMAT,
  CATALOGUE_FORMAT_VERSION,
  catalogueFingerprint,
  SECTION_ID_SEPARATOR,
} from './format';
import type { CatalogueCounts, CatalogueDocument, CatalogueSection, CatalogueSources, NameSource, Pollutant } from './types';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, detail: string): never {
  throw new CatalogueFormatError(where, detail);
}

function text(value: unknown, where: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) fail(where, 'expected a non-empty string');
  return value;
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(where, 'expected a whole number ≥ 0');
  return value;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'expected a list');
  return value;
}

/** Parses the file's text, then decodes it. */
export function parseCatalogue(json: string): Catalogue {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    fail('the top level', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return decodeCatalogue(value);
}

export function decodeCatalogue(file: unknown): Catalogue {
  if (!isObject(file)) fail('the top level', 'expected a JSON object');
  if (file.format !== CATALOGUE_FORMAT) fail('"format"', `expected "${CATALOGUE_FORMAT}", found ${JSON.stringify(file.format)}`);
  if (file.version !== CATALOGUE_FORMAT_VERSION) {
    fail('"version"', typeof file.version === 'number' && file.version > CATALOGUE_FORMAT_VERSION
      ? `version ${file.version} is newer than this app reads (${CATALOGUE_FORMAT_VERSION}); update the app`
      : `expected ${CATALOGUE_FORMAT_VERSION}, found ${JSON.stringify(file.version)}`);
  }
  const fingerprint = text(file.fingerprint, '"fingerprint"');
  if (!isObject(file.counts)) fail('"counts"', 'expected an object');
  const counts: CatalogueCounts = {
    documents: count(file.counts.documents, 'counts.documents'),
    sections: count(file.counts.sections, 'counts.sections'),
    techniqueSections: count(file.counts.techniqueSections, 'counts.techniqueSections'),
    pollutants: count(file.counts.pollutants, 'counts.pollutants'),
    links: count(file.counts.links, 'counts.links'),
  };
  if (!isObject(file.sources)) fail('"sources"', 'expected an object');
  const sources: CatalogueSources = {
    sections: text(file.sources.sections, 'sources.sections'),
    links: text(file.sources.links, 'sources.links'),
    documentNames: text(file.sources.documentNames, 'sources.documentNames'),
  };

  const documents = list(file.documents, '"documents"').map((value, i): CatalogueDocument => {
    const where = `documents[${i}]`;
    if (!isObject(value)) fail(where, 'expected an object');
    const nameSource = value.nameSource;
    if (nameSource !== 'data' && nameSource !== 'script') fail(`${where}.nameSource`, 'expected "data" or "script"');
    return { code: text(value.code, `${where}.code`), name: text(value.name, `${where}.name`), nameSource: nameSource as NameSource, sectionCount: 0 };
  });
  const documentsByCode = new Map<string, CatalogueDocument>();
  documents.forEach((d, i) => {
    if (documentsByCode.has(d.code)) fail(`documents[${i}].code`, `document ${d.code} is listed twice`);
    documentsByCode.set(d.code, d);
  });

  const pollutants = list(file.pollutants, '"pollutants"').map((value, i): Pollutant => ({ index: i, name: text(value, `pollutants[${i}]`) }));
  if (new Set(pollutants.map((p) => p.name)).size !== pollutants.length) fail('"pollutants"', 'a pollutant is listed twice');

  const sections: CatalogueSection[] = [];
  const ids = new Set<string>();
  let links = 0;
  let techniqueSections = 0;
  for (const [i, value] of list(file.sections, '"sections"').entries()) {
    const section = decodeRow(value, i, documents, pollutants.length, sections);
    if (ids.has(section.id)) fail(`sections[${i}]`, `section ${section.id} appears twice`);
    ids.add(section.id);
    sections.push(section);
    documentsByCode.get(section.document)!.sectionCount++;
    links += section.pollutants.length;
    if (section.isTechnique) techniqueSections++;
  }

  const found: CatalogueCounts = { documents: documents.length, sections: sections.length, techniqueSections, pollutants: pollutants.length, links };
  for (const key of Object.keys(found) as (keyof CatalogueCounts)[]) {
    if (found[key] !== counts[key]) fail(`counts.${key}`, `the file says ${counts[key]} but holds ${found[key]} (cut short or edited?)`);
  }
  const recomputed = catalogueFingerprint(documents, sections.map((s) => ({ ...s, pollutants: s.pollutants.map((p) => pollutants[p].name) })));
  if (recomputed !== fingerprint) fail('"fingerprint"', `the file says ${fingerprint} but its contents give ${recomputed} (edited by hand?)`);

  return new Catalogue({ format: CATALOGUE_FORMAT, version: CATALOGUE_FORMAT_VERSION, fingerprint, counts, sources }, documents, sections, pollutants);
}

function decodeRow(
  value: unknown,
  i: number,
  documents: readonly CatalogueDocument[],
  pollutantCount: number,
  earlier: readonly CatalogueSection[],
): CatalogueSection {
  const where = `sections[${i}]`;
  if (!Array.isArray(value) || value.length < 5 || value.length > 7) fail(where, 'expected a row of 5 to 7 values (see "rowLayout")');
  const [documentIndex, parentIndex, numberPart, title, technique, pollutantList, pathTitle] = value as unknown[];
  if (typeof documentIndex !== 'number' || !Number.isInteger(documentIndex) || documentIndex < 0 || documentIndex >= documents.length) {
    fail(`${where}[0]`, `document index must be 0…${documents.length - 1}`);
  }
  if (typeof parentIndex !== 'number' || !Number.isInteger(parentIndex) || parentIndex < -1 || parentIndex >= i) {
    fail(`${where}[1]`, 'parent must be -1 (a chapter) or an earlier row');
  }
  const part = text(numberPart, `${where}[2]`);
  if (part.includes('.')) fail(`${where}[2]`, 'the number part must not contain "."');
  const heading = text(title, `${where}[3]`, true);
  if (technique !== 0 && technique !== 1) fail(`${where}[4]`, 'technique flag must be 0 or 1');
  const indices = pollutantList === undefined ? [] : list(pollutantList, `${where}[5]`);
  indices.forEach((p, k) => {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= pollutantCount) fail(`${where}[5]`, `pollutant index must be 0…${pollutantCount - 1}`);
    if (k > 0 && p <= (indices[k - 1] as number)) fail(`${where}[5]`, 'pollutant indices must be ascending without repeats');
  });
  const lastHeading = pathTitle === undefined ? heading : text(pathTitle, `${where}[6]`, true);

  const document = documents[documentIndex].code;
  const parent = parentIndex === -1 ? null : earlier[parentIndex];
  if (parent && parent.document !== document) fail(`${where}[1]`, `its parent ${parent.id} is in another document`);
  const number = parent ? `${parent.number}.${part}` : part;
  const path = parent ? [...parent.path, lastHeading] : [lastHeading];
  return {
    id: `${document}${SECTION_ID_SEPARATOR}${number}`,
    document,
    number,
    title: heading,
    path,
    chapter: path[0],
    isTechnique: technique === 1,
    parentId: parent ? parent.id : null,
    pollutants: indices as number[],
  };
}
