/**
 * Benchmark, not a test: parse throughput (MB/s) and peak memory of the import engine on a
 * generated ~200 MB CSV and ~200 MB JSONL (demo-generator patents), streamed in 64 KiB chunks
 * exactly as the browser streams a File. Writes bench-results/ingest.json.
 * Set INGEST_BENCH_MB to change the size.
 */
import { createReadStream, createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { generateDemoCorpus } from '../../src/core/demo/generate';
import { detectSources, importSources, type ImportSource } from '../../src/core/ingest/engine';
import { CountingSink } from '../../src/core/ingest/memory-sink';
import type { Patent } from '../../src/core/types';

const TARGET_MB = Number(process.env.INGEST_BENCH_MB ?? 200);
const PATENTS_PER_BATCH = 10_000;
const CHUNK_BYTES = 64 * 1024;

function csvRow(p: Patent): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [p.id, quote(p.title), quote(p.abstract ?? ''), String(p.year), quote(p.codes.join('; '))].join(',') + '\n';
}

async function writeCorpus(path: string, format: 'csv' | 'jsonl'): Promise<number> {
  const out = createWriteStream(path);
  if (format === 'csv') out.write('id,title,abstract,year,ipc\n');
  let bytes = 0;
  for (let batch = 0; bytes < TARGET_MB * 1e6; batch++) {
    const { patents } = generateDemoCorpus({ patents: PATENTS_PER_BATCH, seed: 1000 + batch });
    const text = patents.map((p) => {
      const unique = { ...p, id: `${p.id}-${batch}` };
      return format === 'csv' ? csvRow(unique) : JSON.stringify(unique) + '\n';
    }).join('');
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

async function measure(path: string): Promise<Record<string, number | string>> {
  const source: ImportSource = {
    name: path.split('/').pop() ?? path,
    bytes: statSync(path).size,
    stream: () => Readable.toWeb(createReadStream(path, { highWaterMark: CHUNK_BYTES })) as ReadableStream<Uint8Array>,
  };
  const [detection] = await detectSources([source]);
  if (!detection.detected) throw new Error(detection.error);
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 50);
  const sink = new CountingSink();
  const started = performance.now();
  const { report } = await importSources([{ source, detected: detection.detected }], sink, {}, (p) => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
    void p;
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  expect(report.rowErrorCount).toBe(0);
  expect(sink.count).toBe(report.patentsImported);
  return {
    format: detection.detected.kind,
    megabytes: +(source.bytes / 1e6).toFixed(1),
    patents: report.patentsImported,
    seconds: +seconds.toFixed(2),
    megabytesPerSecond: +(source.bytes / 1e6 / seconds).toFixed(1),
    peakRssMB: +(peakRss / 1e6).toFixed(0),
    peakHeapUsedMB: +(peakHeap / 1e6).toFixed(0),
    baselineRssMB: +(baseline.rss / 1e6).toFixed(0),
  };
}

describe('ingest throughput', () => {
  it(`parses ~${TARGET_MB} MB of CSV and of JSONL with bounded memory`, async () => {
    const dir = join(tmpdir(), 'ps-ingest-bench');
    mkdirSync(dir, { recursive: true });
    const results = [];
    for (const format of ['csv', 'jsonl'] as const) {
      const path = join(dir, `patents.${format}`);
      await writeCorpus(path, format);
      results.push(await measure(path));
    }
    const output = { node: process.version, chunkBytes: CHUNK_BYTES, sink: 'CountingSink (no storage)', results, generatedAt: new Date().toISOString() };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/ingest.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 1_800_000);
});
