/**
 * Reading the command-line tools' input files with the app's own code: patent files through the
 * import engine (any format the app reads), catalogue files through the catalogue text reader.
 * Bad rows are reported on stderr with their line numbers; the rest loads.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { CatalogueTextReader, type CatalogueTextRow } from '../src/core/catalogue/text-reader';
import { detectSources, importSources, type ImportSource } from '../src/core/ingest/engine';
import { MemorySink } from '../src/core/ingest/memory-sink';
import type { Catalogue } from '../src/core/catalogue/catalogue';
import { parseCatalogue } from '../src/core/catalogue/decode';
import type { SdgImpactTable } from '../src/core/dashboard/sdg';
import { parseSdgImpacts } from '../src/core/reference/sdg';
import { sdgTableForCatalogue } from '../src/core/reference/sdg-table';
import type { Patent } from '../src/core/types';

function fileSource(path: string): ImportSource {
  return { name: basename(path), bytes: statSync(path).size, stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
}

export async function readPatents(path: string): Promise<Patent[]> {
  const [detection] = await detectSources([fileSource(path)]);
  if (!detection.detected) throw new Error(detection.error ?? `${path} is not a patent file`);
  const sink = new MemorySink();
  const { report } = await importSources([{ source: detection.source, detected: detection.detected }], sink, {});
  if (report.rowErrorCount > 0) console.error(`${path}: ${report.rowErrorCount} rows rejected (first: line ${report.rowErrors[0]?.line}, ${report.rowErrors[0]?.reason})`);
  return [...sink.patents.values()];
}

export function readSections(path: string): CatalogueTextRow[] {
  const reader = new CatalogueTextReader(basename(path));
  const batches = [reader.push(readFileSync(path, 'utf8')), reader.end()];
  for (const error of batches.flatMap((b) => b.errors)) console.error(`${path}:${error.line}: ${error.reason}`);
  const rows = batches.flatMap((b) => b.rows);
  if (rows.length === 0) throw new Error(`${path} holds no catalogue section`);
  return rows;
}

/** JSON lines as objects; a line that is not JSON fails with its file and line number. */
export function readJsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').flatMap((l, i) => {
    if (!l.trim()) return [];
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
  });
}

/** `npm run match` output ({"patent","section","prefilter","pYes"?}) as the dashboard's pairs. */
export function readMatchedPairs(path: string): { patentId: string; sectionId: string; prefilter: number; pYes: number | null }[] {
  return readJsonLines(path).map((l) => ({
    patentId: String(l.patent), sectionId: String(l.section), prefilter: Number(l.prefilter ?? Number.NaN), pYes: typeof l.pYes === 'number' ? l.pYes : null,
  }));
}

/** The bundled BREF catalogue and the SDG impacts tied to it, as the app ships them. */
export function bundledReference(): { catalogue: Catalogue; sdg: SdgImpactTable } {
  const catalogue = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
  return { catalogue, sdg: sdgTableForCatalogue(parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8')), catalogue.meta.fingerprint) };
}
