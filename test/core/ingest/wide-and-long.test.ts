/**
 * Files at the size limits: a header of 200,000 columns (detection reads far more than its usual
 * 64 KiB head to see all of it) and a 50 MB quoted field (reported as too long, with its line).
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from '../../../src/core/ingest/csv';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { MemorySink } from '../../../src/core/ingest/memory-sink';

const CHUNK = 64 * 1024;

/** A source whose text is produced piece by piece as it is read, so tests need not hold it. */
function generatedSource(name: string, pieces: () => Iterable<string>): ImportSource {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const piece of pieces()) bytes += encoder.encode(piece).length;
  return {
    name,
    bytes,
    stream: () => {
      const iterator = pieces()[Symbol.iterator]();
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
      });
    },
  };
}

async function run(source: ImportSource) {
  const [detection] = await detectSources([source]);
  if (!detection.detected) throw new Error(detection.error);
  const sink = new MemorySink();
  const { report } = await importSources([{ source, detected: detection.detected }], sink, {});
  return { detected: detection.detected, report, sink };
}

describe('a header of 200,000 columns', () => {
  const extra = Array.from({ length: 200_000 }, (_, i) => `x,${i}`); // names with commas: only ";" splits them right
  const header = ['title', 'year', 'ipc', ...extra].join(';');
  const row = (n: number) => `Patent ${n};${2000 + n};H04L 27/26${';'.repeat(extra.length)}`;
  function* pieces(): Iterable<string> {
    for (let i = 0; i < header.length; i += CHUNK) yield header.slice(i, i + CHUNK);
    yield '\n';
    for (let n = 0; n < 5; n++) yield `${row(n)}\n`;
  }

  it('is detected with the header and delimiter the import then uses', async () => {
    expect(header.length).toBeGreaterThan(MAX_RECORD_CHARS);
    const { detected, report, sink } = await run(generatedSource('wide.csv', pieces));
    expect(detected).toMatchObject({ kind: 'csv', delimiter: ';', mapping: { title: 'title', year: 'year', codes: ['ipc'] } });
    expect(detected.columns).toHaveLength(200_003);
    expect(detected.columns.at(-1)).toBe('x,199999');
    expect(report.fileErrors).toEqual([]);
    expect(report.rowErrors).toEqual([]);
    expect([...sink.patents.values()].map((p) => p.title)).toEqual(['Patent 0', 'Patent 1', 'Patent 2', 'Patent 3', 'Patent 4']);
  });
});

describe('a 50 MB quoted field', () => {
  const FIELD_MB = 50;
  function* pieces(): Iterable<string> {
    yield 'id,title,abstract,year,ipc\nP1,First,short,2001,H04L 27/26\nP2,Second,"';
    const paragraph = `${'All work and no play makes a long abstract. '.repeat(11)}\n`;
    const block = paragraph.repeat(Math.ceil(CHUNK / paragraph.length));
    for (let sent = 0; sent < FIELD_MB * 1e6; sent += block.length) yield block;
    yield '",2002,H04B 7/04\nP3,Third,fine,2003,G06N 3/08\n';
  }

  it('is reported as a record over the size limit, on the line where it starts, and the next rows load', async () => {
    const { report, sink } = await run(generatedSource('long.csv', pieces));
    expect(report.rowErrors[0]).toEqual({ line: 3, reason: `record longer than ${MAX_RECORD_CHARS} characters`, file: 'long.csv' });
    expect(sink.patents.has('P1')).toBe(true);
    expect(sink.patents.get('P3')?.title).toBe('Third');
  }, 120_000);
});
