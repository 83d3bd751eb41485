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
