/**
 * Writes the bundled reference files (public/reference/) from the shared source data, facts only:
 * - sdg-impacts.json: impact of each pollutant on each SDG, its pollutants tied to the bundled
 *   catalogue's (public/catalogue/bref-catalogue.json, so make the catalogue first);
 * - ipc-titles.json: titles of IPC sections, classes, subclasses and main groups.
 * Deterministic: the same input gives the same bytes. Prints the counts and the reconciliation of
 * pollutant names (which SDG pollutants are no catalogue pollutant and the other way round).
 * usage: npx tsx scripts/make-reference.ts [--data ../shared/data] [--out public/reference] [--catalogue public/catalogue/bref-catalogue.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogue } from '../src/core/catalogue/decode';
import { encodeIpcTitles, parseIpcSource, serializeIpcTitles } from '../src/core/reference/ipc-encode';
import type { CompactIpcFile } from '../src/core/reference/ipc-format';
import { encodeSdgImpacts, parseSdgSource, serializeSdgImpacts } from '../src/core/reference/sdg-encode';
import type { CompactSdgFile } from '../src/core/reference/sdg-format';
import { IPC_TITLES_FILE, SDG_IMPACTS_FILE } from '../src/core/reference/types';
import { parseCli } from './cli-args';

export const DEFAULT_CATALOGUE = 'public/catalogue/bref-catalogue.json';

const SDG_SOURCE = 'sdg_pollutant_impacts.json: impact (10/30/60) of each pollutant on each Sustainable Development Goal, from the reference pollution-abatement dashboard';
const IPC_SOURCE = 'ipc_titles.tsv: code, level and title of IPC sections, classes, subclasses and main groups (IPC scheme, WIPO); subgroup rows are not read into the file';

export interface ReferenceFiles {
  sdg: CompactSdgFile;
  sdgText: string;
  ipc: CompactIpcFile;
  ipcText: string;
}

/** Both files for the source folder `dataDir` and the bundled catalogue at `cataloguePath`. */
export function makeReference(dataDir: string, cataloguePath = DEFAULT_CATALOGUE): ReferenceFiles {
  const catalogue = parseCatalogue(readFileSync(cataloguePath, 'utf8'));
  const goals = parseSdgSource(readFileSync(join(dataDir, 'sdg_pollutant_impacts.json'), 'utf8'));
  const sdg = encodeSdgImpacts(goals, { fingerprint: catalogue.meta.fingerprint, pollutants: catalogue.pollutants.map((p) => p.name) }, SDG_SOURCE);
  const ipc = encodeIpcTitles(parseIpcSource(readFileSync(join(dataDir, 'ipc_titles.tsv'), 'utf8')), IPC_SOURCE);
  return { sdg, sdgText: serializeSdgImpacts(sdg), ipc, ipcText: serializeIpcTitles(ipc) };
}

/** What the script prints: sizes, counts, and the reconciliation with every unmatched name. */
export function describeReference(files: ReferenceFiles, outDir: string): string[] {
  const { sdg, ipc } = files;
  const normalised = sdg.pollutants.filter((p) => p[2] === 'normalised');
  return [
    `wrote ${join(outDir, SDG_IMPACTS_FILE)}: ${Buffer.byteLength(files.sdgText)} bytes, ${JSON.stringify(sdg.counts)}`,
    `wrote ${join(outDir, IPC_TITLES_FILE)}: ${Buffer.byteLength(files.ipcText)} bytes, ${JSON.stringify(ipc.counts)}`,
    `IPC parents without a title in the source (their children fall back one level further): ${ipc.absentParents.join(' ') || 'none'}`,
    `SDG pollutants tied to the catalogue's ${sdg.catalogue.pollutants}: ${sdg.counts.matched} of ${sdg.counts.pollutants} `
      + `(${sdg.counts.matched - normalised.length} by exact name, ${normalised.length} by the normalised name)`,
    ...normalised.map(([name, index]) => `  normalised: "${name}" is catalogue pollutant ${index}`),
    `SDG pollutants that are no catalogue pollutant (${sdg.sdgUnmatched.length}):${sdg.sdgUnmatched.length === 0 ? ' none' : ''}`,
    ...sdg.sdgUnmatched.map((name) => `  ${name}`),
    `catalogue pollutants without SDG figures (${sdg.catalogueWithoutSdg.length}):${sdg.catalogueWithoutSdg.length === 0 ? ' none' : ''}`,
    ...sdg.catalogueWithoutSdg.map(([index, name]) => `  ${index} ${name}`),
  ];
}

function main(): void {
  const usage = 'usage: npx tsx scripts/make-reference.ts [--data ../shared/data] [--out public/reference] [--catalogue public/catalogue/bref-catalogue.json]';
  const { values } = parseCli({ data: { type: 'string' }, out: { type: 'string' }, catalogue: { type: 'string' } }, usage);
  const dataDir = values.data ?? '../shared/data';
  const outDir = values.out ?? 'public/reference';
  let files: ReferenceFiles;
  try {
    files = makeReference(dataDir, values.catalogue ?? DEFAULT_CATALOGUE);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, SDG_IMPACTS_FILE), files.sdgText);
  writeFileSync(join(outDir, IPC_TITLES_FILE), files.ipcText);
  for (const line of describeReference(files, outDir)) console.log(line);
}

// Run as a script, not when a test imports makeReference.
if (process.argv[1] && /make-reference\.ts$/.test(process.argv[1])) main();
