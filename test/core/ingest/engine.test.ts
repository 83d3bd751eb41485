import { describe, expect, it } from 'vitest';
import { mergePatents } from '../../../src/core/ingest/collector';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { MemorySink } from '../../../src/core/ingest/memory-sink';

function textSource(name: string, text: string, chunkBytes = 7): ImportSource {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    bytes: bytes.byteLength,
    stream: () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += chunkBytes) controller.enqueue(bytes.slice(i, i + chunkBytes));
        controller.close();
      },
    }),
  };
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function run(sources: ImportSource[], writeChunk = 2) {
  const detected = await detectSources(sources);
  const planned = detected.flatMap((d) => (d.detected ? [{ source: d.source, detected: d.detected }] : []));
  const sink = new MemorySink();
  const outcome = await importSources(planned, sink, { writeChunk });
  return { sink, ...outcome, detected };
}

describe('importSources', () => {
  const first = jsonl([
    { id: 'A', year: 2001, title: 'Battery', abstract: 'An anode.', codes: ['H01M 4/134 (2010.01)', 'H01M0010052500'] },
    { id: 'B', year: 2002, title: 'Radio', codes: ['H04B 7/04', 'not a code'] },
    { id: 'C', year: 2003, title: 'Engine', codes: ['F02M 51/06'] },
  ]);
  const second = jsonl([
    { id: 'D', year: 2004, title: 'Drone', codes: ['B64C 39/02'] },
    { id: 'A', year: 1999, title: 'Battery (family member)', abstract: '', claims: 'A cell.', codes: ['Y02E 60/10', 'h01m 4/134'] },
    { id: 'B', year: 2005, title: 'Radio again', codes: ['H04W 72/04'] },
  ]);

  it('normalises codes, merges duplicates across files and chunks deterministically, and tallies the merged patents', async () => {
    const { sink, report, codeCounts } = await run([textSource('b.jsonl', second), textSource('a.jsonl', first)]);
    // Files are read in name order whatever order they were dropped in: a.jsonl first.
    expect(sink.patents.get('A')).toEqual({
      id: 'A', year: 1999, title: 'Battery', abstract: 'An anode.', claims: 'A cell.',
      codes: ['H01M 10/0525', 'H01M 4/134', 'Y02E 60/10'],
    });
    expect(sink.patents.get('B')?.codes).toEqual(['H04B 7/04', 'H04W 72/04']);
    expect(report.patentsImported).toBe(4);
    expect(report.rowsRead).toBe(6);
    expect(report.duplicatesMerged).toBe(2);
    expect(report.patentsPerYear).toEqual({ 1999: 1, 2002: 1, 2003: 1, 2004: 1 });
    expect(report.codesPerLevel).toEqual({ subclass: 6, main_group: 7, subgroup: 7 });
    expect(codeCounts.get('H01M 4/134')).toBe(1);
    expect(report.rejectedCodes).toEqual([{ code: 'not a code', file: 'a.jsonl', lines: [2] }]);
  });

  it('gives the same patents and report whatever the write chunk size', async () => {
    const small = await run([textSource('a.jsonl', first), textSource('b.jsonl', second)], 1);
    const large = await run([textSource('a.jsonl', first), textSource('b.jsonl', second)], 1000);
    expect([...small.sink.patents.values()]).toEqual([...large.sink.patents.values()]);
    expect({ ...small.report, durationMs: 0 }).toEqual({ ...large.report, durationMs: 0 });
  });

  it('reports a file that is not a patent file and imports the others', async () => {
    const notPatents = textSource('notes.txt', 'Shopping list\nmilk\neggs\n');
    const { detected, report } = await run([notPatents, textSource('a.jsonl', first)]);
    expect(detected.find((d) => d.source.name === 'notes.txt')?.error).toMatch(/does not look like a patent file/);
    expect(report.patentsImported).toBe(3);
  });

  it('stops with an AbortError when cancelled, having written nothing more', async () => {
    const [d] = await detectSources([textSource('a.jsonl', first)]);
    const controller = new AbortController();
    controller.abort();
    await expect(importSources([{ source: d.source, detected: d.detected! }], new MemorySink(), { signal: controller.signal }))
      .rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('mergePatents', () => {
  it('keeps the earlier text when present, the earliest year and the union of codes', () => {
    expect(mergePatents(
      { id: 'X', year: 2005, title: 'T1', codes: ['B'] },
      { id: 'X', year: 2001, title: 'T2', abstract: 'A2', codes: ['A', 'B'] },
    )).toEqual({ id: 'X', year: 2001, title: 'T1', abstract: 'A2', codes: ['A', 'B'] });
  });
});
