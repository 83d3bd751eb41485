/**
 * Writes the bundled BREF catalogue (public/catalogue/bref-catalogue.json) from the shared source
 * data: documents, sections and section → pollutant links, reference facts only. Section texts are
 * third-party documents and never enter the project: the `text` field of bref.jsonl is not read
 * (src/core/catalogue/encode.ts), the app loads texts from the user's own file.
 * Deterministic: the same input gives the same bytes.
 * usage: npx tsx scripts/make-catalogue.ts [--data ../shared/data] [--out public/catalogue]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCatalogue, parseSourceLinks, parseSourceSections } from '../src/core/catalogue/encode';
import { serializeCatalogue } from '../src/core/catalogue/format';
import { parseCli } from './cli-args';

export const CATALOGUE_FILE = 'bref-catalogue.json';

/**
 * Official titles of the BREF documents (EU Best Available Techniques reference documents, as
 * published by the European IPPC Bureau of the JRC): the source data has only the acronyms.
 */
export const DOCUMENT_NAMES: Readonly<Record<string, string>> = {
  CAK: 'Production of Chlor-alkali',
  CER: 'Ceramic Manufacturing Industry',
  CLM: 'Production of Cement, Lime and Magnesium Oxide',
  CWW: 'Common Waste Water and Waste Gas Treatment/Management Systems in the Chemical Sector',
  EFS: 'Emissions from Storage',
  ENE: 'Energy Efficiency',
  FDM: 'Food, Drink and Milk Industries',
  FMP: 'Ferrous Metals Processing Industry',
  GLS: 'Manufacture of Glass',
  ICS: 'Industrial Cooling Systems',
  IRPP: 'Intensive Rearing of Poultry or Pigs',
  IS: 'Iron and Steel Production',
  LCP: 'Large Combustion Plants',
  'LVIC-AAF': 'Manufacture of Large Volume Inorganic Chemicals – Ammonia, Acids and Fertilisers',
  'LVIC-S': 'Large Volume Inorganic Chemicals – Solids and Others Industry',
  LVOC: 'Production of Large Volume Organic Chemicals',
  NFM: 'Non-ferrous Metals Industries',
  OFC: 'Manufacture of Organic Fine Chemicals',
  POL: 'Production of Polymers',
  PP: 'Production of Pulp, Paper and Board',
  REF: 'Refining of Mineral Oil and Gas',
  SA: 'Slaughterhouses and Animal By-products Industries',
  SF: 'Smitheries and Foundries Industry',
  SIC: 'Production of Speciality Inorganic Chemicals',
  STM: 'Surface Treatment of Metals and Plastics',
  STS: 'Surface Treatment Using Organic Solvents including Preservation of Wood and Wood Products with Chemicals',
  TAN: 'Tanning of Hides and Skins',
  TXT: 'Textiles Industry',
  WBP: 'Production of Wood-based Panels',
  WGC: 'Common Waste Gas Management and Treatment Systems in the Chemical Sector',
  WI: 'Waste Incineration',
  WT: 'Waste Treatment',
};

const SOURCES = {
  sections: 'bref.jsonl: id, bref, section, title, path, chapter, is_technique_section (the text field is not read)',
  links: 'bref_pollutants.tsv: bref_section_id, pollutant (E-PRTR pollutant names)',
  documentNames: 'scripts/make-catalogue.ts DOCUMENT_NAMES: official BREF titles (European IPPC Bureau, JRC); the source data has only the acronyms',
};

/** The file's text for the source folder `dataDir`. */
export function makeCatalogue(dataDir: string): string {
  const sections = parseSourceSections(readFileSync(join(dataDir, 'bref.jsonl'), 'utf8'));
  const links = parseSourceLinks(readFileSync(join(dataDir, 'bref_pollutants.tsv'), 'utf8'));
  return serializeCatalogue(encodeCatalogue(sections, links, DOCUMENT_NAMES, SOURCES));
}

function main(): void {
  const usage = 'usage: npx tsx scripts/make-catalogue.ts [--data ../shared/data] [--out public/catalogue]';
  const { values } = parseCli({ data: { type: 'string' }, out: { type: 'string' } }, usage);
  const dataDir = values.data ?? '../shared/data';
  const outDir = values.out ?? 'public/catalogue';
  let text: string;
  try {
    text = makeCatalogue(dataDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, CATALOGUE_FILE), text);
  const counts = (JSON.parse(text) as { counts: Record<string, number> }).counts;
  console.log(`wrote ${join(outDir, CATALOGUE_FILE)}: ${Buffer.byteLength(text)} bytes, ${JSON.stringify(counts)}`);
}

// Run as a script, not when a test imports makeCatalogue.
if (process.argv[1] && /make-catalogue\.ts$/.test(process.argv[1])) main();
