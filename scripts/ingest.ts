/**
 * Imports patent files with the app's own core code and prints the import report.
 * usage: npm run ingest -- FILE [FILE …] [--json]
 * Same detection, readers, code normalisation and duplicate merging as the browser import.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { detectSources, importSources, type ImportSource } from '../src/core/ingest/engine';
import { MemorySink } from '../src/core/ingest/memory-sink';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error('usage: npm run ingest -- FILE [FILE …] [--json]');
  process.exit(2);
}

const sources: ImportSource[] = files.map((path) => ({
  name: basename(path),
  bytes: statSync(path).size,
  stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
}));
const detected = await detectSources(sources);
for (const d of detected) {
  if (!d.detected) console.error(`${d.source.name}: ${d.error}`);
  else console.error(`${d.source.name}: ${d.detected.kind} (confidence ${d.detected.confidence.toFixed(2)}) ${d.detected.explanation}`);
}
const planned = detected.flatMap((d) => (d.detected ? [{ source: d.source, detected: d.detected }] : []));
if (planned.length === 0) process.exit(1);
const sink = new MemorySink();
const { report } = await importSources(planned, sink, {});

if (asJson) {
  console.log(JSON.stringify(report, null, 1));
} else {
  console.log(`files: ${report.files.map((f) => `${f.name} (${f.format}, ${(f.bytes / 1e6).toFixed(1)} MB)`).join(', ')}`);
  console.log(`rows read ${report.rowsRead} · patents imported ${report.patentsImported} · duplicates merged ${report.duplicatesMerged}`);
  console.log(`rejected rows ${report.rowErrorCount} · rejected codes ${report.rejectedCodeCount} (${report.rejectedCodes.length} distinct)`);
  console.log(`codes per level: subclass ${report.codesPerLevel.subclass} · main group ${report.codesPerLevel.main_group} · subgroup ${report.codesPerLevel.subgroup}`);
  for (const error of report.rowErrors.slice(0, 20)) console.log(`  row error ${error.file ?? ''}:${error.line} ${error.reason}`);
  for (const code of report.rejectedCodes.slice(0, 30)) console.log(`  rejected code "${code.code}" on lines ${code.lines.slice(0, 5).join(', ')}${code.lines.length > 5 ? ' …' : ''}`);
  console.log('patents per year:');
  const years = Object.entries(report.patentsPerYear);
  for (let i = 0; i < years.length; i += 8) console.log('  ' + years.slice(i, i + 8).map(([y, n]) => `${y}: ${n}`).join('  '));
  console.log(`${(report.bytes / 1e6).toFixed(1)} MB in ${report.durationMs} ms`);
}
