/**
 * The held-out check of the defects report: a Lens.org CSV export of 1,500 good rows (10 of them
 * without a title, as a real export had) and 1 broken row imports all 1,500, warns about the 10,
 * and names the broken row's line. Built from the columns of the Lens fixture, rows generated here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { MemorySink } from '../../../src/core/ingest/memory-sink';
import { NO_TITLE_WARNING } from '../../../src/core/ingest/presets';

const HEADER = readFileSync('test/fixtures/ingest/lens.csv', 'utf8').split('\n')[0];
const COLUMNS = HEADER.split(',');
const CODES = ['H01M10/0567;;H01M10/0525', 'H04W72/04;;H04L5/00', 'B01D53/86;;F01N3/20', 'C02F1/44;;B01D61/02'];

function row(i: number, title: string): string {
  const values: Record<string, string> = {
    '#': String(i + 1), Jurisdiction: 'EP', Kind: 'B1', 'Display Key': `EP ${3_000_000 + i} B1`, 'Lens ID': `000-000-${String(i).padStart(3, '0')}-${i}`,
    'Publication Date': `${2000 + (i % 20)}-01-15`, 'Publication Year': String(2000 + (i % 20)), Title: title,
    Abstract: title ? `An abstract, with a comma, for patent ${i}.` : '', 'IPCR Classifications': CODES[i % CODES.length], 'CPC Classifications': CODES[i % CODES.length],
  };
  return COLUMNS.map((c) => { const v = values[c] ?? ''; return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v; }).join(',');
}

describe('held-out Lens export', () => {
  it('1,500 good rows (10 untitled) and 1 broken row: 1,500 imported, 10 warnings, the broken line named', async () => {
    const untitled = new Set([3, 150, 300, 451, 600, 777, 901, 1000, 1234, 1499]);
    const lines = Array.from({ length: 1500 }, (_, i) => row(i, untitled.has(i) ? '' : `Patent number ${i} on an electrode`));
    // The broken row: neither a title nor a code (what a cut-off line of an export looks like).
    const brokenAt = 812;
    lines.splice(brokenAt, 0, '9999,EP,B1,EP 9 B1,999-999-999-9,2010-01-01,2010');
    const text = `${HEADER}\n${lines.join('\n')}\n`;
    const bytes = new TextEncoder().encode(text);
    const source: ImportSource = { name: 'lens-export.csv', bytes: bytes.length, stream: () => new Blob([bytes]).stream() };
    const [detection] = await detectSources([source]);
    expect(detection.detected?.kind).toBe('lens-csv');
    const sink = new MemorySink();
    const { report } = await importSources([{ source, detected: detection.detected! }], sink, {});
    expect(report.patentsImported).toBe(1500);
    expect(sink.patents.size).toBe(1500);
    expect(report.rowErrorCount).toBe(1);
    // Line 1 is the header, so the row spliced in at index `brokenAt` is line brokenAt + 2.
    expect(report.rowErrors.map((e) => e.line)).toEqual([brokenAt + 2]);
    expect(report.warnings?.filter((w) => w.reason === NO_TITLE_WARNING)).toHaveLength(10);
    expect([...sink.patents.values()].filter((p) => p.title === '')).toHaveLength(10);
  });
});
