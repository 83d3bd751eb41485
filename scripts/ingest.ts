/**
 * Imports patent files with the app's own core code and prints the import report.
 * usage: npm run ingest -- FILE [FILE …] [--json]
 * Same detection, readers, code normalisation and duplicate merging as the browser import.
 * Exit status: 0 when every file imported, 1 when any file could not be read or is not a patent
 * file (the others are still imported and reported), 2 on a usage error.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { detectSources, importSources, type ImportSource, type PlannedSource } from '../src/core/ingest/engine';
import { MemorySink } from '../src/core/ingest/memory-sink';
import type { ImportReport } from '../src/core/ingest/report';

const USAGE = 'usage: npm run ingest -- FILE [FILE …] [--json]';
const OPTIONS = new Set(['--json']);

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Runs the command on `args` (without node and the script); resolves to the exit status. */
export async function main(args: string[], out: Output = console): Promise<number> {
  const unknown = args.filter((arg) => arg.startsWith('-') && !OPTIONS.has(arg));
  const paths = args.filter((arg) => !arg.startsWith('-'));
  if (unknown.length > 0 || paths.length === 0) {
    if (unknown.length > 0) out.error(`unknown option ${unknown.join(', ')}`);
    out.error(USAGE);
    return 2;
  }
  let failed = false;
  const sources: ImportSource[] = [];
  for (const path of paths) {
    try {
      const bytes = statSync(path).size;
      sources.push({ name: basename(path), bytes, stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> });
    } catch (error) {
      out.error(`${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
      failed = true;
    }
  }
  const planned: PlannedSource[] = [];
  for (const d of await detectSources(sources)) {
    if (!d.detected) {
      out.error(`${d.source.name}: ${d.error}`);
      failed = true;
      continue;
    }
    out.error(`${d.source.name}: ${d.detected.kind} (confidence ${d.detected.confidence.toFixed(2)}) ${d.detected.explanation}`);
    planned.push({ source: d.source, detected: d.detected });
  }
  if (planned.length === 0) return 1;
  const { report } = await importSources(planned, new MemorySink(), {});
  for (const fileError of report.fileErrors) out.error(`${fileError.file}: ${fileError.message}`);
  if (args.includes('--json')) out.log(JSON.stringify(report, null, 1));
  else printReport(report, out);
  return failed || report.fileErrors.length > 0 ? 1 : 0;
}

function printReport(report: ImportReport, out: Output): void {
  out.log(`files: ${report.files.map((f) => `${f.name} (${f.format}, ${f.encoding ?? 'utf-8'}, ${(f.bytes / 1e6).toFixed(1)} MB)`).join(', ')}`);
  out.log(`rows read ${report.rowsRead} · patents imported ${report.patentsImported} · duplicates merged ${report.duplicatesMerged}`);
  out.log(`rejected rows ${report.rowErrorCount} · rejected codes ${report.rejectedCodeCount} (${report.rejectedCodes.length} distinct) · warnings ${report.warningCount ?? 0}`);
  out.log(`codes per level: subclass ${report.codesPerLevel.subclass} · main group ${report.codesPerLevel.main_group} · subgroup ${report.codesPerLevel.subgroup}`);
  for (const error of report.rowErrors.slice(0, 20)) out.log(`  row error ${error.file ?? ''}:${error.line} ${error.reason}`);
  for (const warning of (report.warnings ?? []).slice(0, 20)) out.log(`  warning ${warning.file ?? ''}:${warning.line} ${warning.reason}`);
  for (const code of report.rejectedCodes.slice(0, 30)) out.log(`  rejected code "${code.code}" on lines ${code.lines.slice(0, 5).join(', ')}${code.lines.length > 5 ? ' …' : ''}`);
  out.log('patents per year:');
  const years = Object.entries(report.patentsPerYear);
  for (let i = 0; i < years.length; i += 8) out.log('  ' + years.slice(i, i + 8).map(([y, n]) => `${y}: ${n}`).join('  '));
  out.log(`${(report.bytes / 1e6).toFixed(1)} MB in ${report.durationMs} ms`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
