/**
 * Differential test: our streaming CSV reader against PapaParse on seeded random documents that
 * both define the same way (RFC 4180 plus a BOM, blank lines, a missing final newline and quotes
 * inside unquoted fields). PapaParse reads each document whole; ours reads it cut at random places.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader } from '../../../src/core/ingest/csv';
import { mulberry32 } from '../../../src/core/random';

const DOCUMENTS = 600;
const DELIMITERS = [',', ';', '\t'] as const;
type Delimiter = (typeof DELIMITERS)[number];

interface Generated {
  text: string;
  newline: '\n' | '\r\n';
  delimiter: Delimiter;
  rows: string[][];
  /** 1-based physical line where each row starts. */
  lines: number[];
}

function generate(rng: () => number): Generated {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const delimiter = pick(DELIMITERS);
  const newline = rng() < 0.5 ? '\n' : '\r\n';
  const others = DELIMITERS.filter((d) => d !== delimiter).join('');
  // Unquoted fields hold no quote at their start, no line break and no delimiter; a quote later
  // on is literal text to both readers.
  const unquoted = (): string => {
    let value = '';
    const length = Math.floor(rng() * 6);
    for (let i = 0; i < length; i++) value += pick([...'abz019 é€', ...others, ...(i > 0 ? ['"'] : [])]);
    return value;
  };
  const quoted = (): [string, string] => {
    let value = '';
    const length = Math.floor(rng() * 8);
    for (let i = 0; i < length; i++) value += pick(['a', 'Z', ' ', delimiter, ...others, '"', '\n', '\r', '\r\n', ',', '']);
    return [value, `"${value.replaceAll('"', '""')}"`];
  };
  const rows: string[][] = [];
  const lines: number[] = [];
  let text = rng() < 0.3 ? '\uFEFF' : '';
  let line = 1;
  const count = 1 + Math.floor(rng() * 8);
  for (let r = 0; r < count; r++) {
    while (rng() < 0.15) {
      text += newline; // a blank line, which both readers skip
      line++;
    }
    const width = 1 + Math.floor(rng() * 5);
    const fields: string[] = [];
    const written: string[] = [];
    for (let f = 0; f < width; f++) {
      const [value, raw] = rng() < 0.45 ? quoted() : ((v) => [v, v])(unquoted());
      fields.push(value);
      written.push(raw);
    }
    // A lone empty field is a blank line to both; PapaParse also drops a lone `""`, which we keep.
    if (width === 1 && fields[0] === '') {
      fields[0] = 'x';
      written[0] = 'x';
    }
    rows.push(fields);
    lines.push(line);
    const record = written.join(delimiter);
    text += record;
    line += record.split('\n').length - 1;
    if (r < count - 1 || rng() < 0.5) {
      text += newline;
      line++;
    }
  }
  return { text, newline, delimiter, rows, lines };
}

/** Our reader on `text` cut at seeded random places (pieces of 1 to 12 characters, or two halves). */
function ours(text: string, delimiter: Delimiter, rng: () => number): { rows: string[][]; lines: number[]; errors: number } {
  const reader = new CsvRecordReader(delimiter);
  const pieces: string[] = [];
  if (rng() < 0.3) {
    const cut = Math.floor(rng() * (text.length + 1));
    pieces.push(text.slice(0, cut), text.slice(cut));
  } else {
    for (let i = 0; i < text.length;) {
      const size = 1 + Math.floor(rng() * 12);
      pieces.push(text.slice(i, i + size));
      i += size;
    }
  }
  const batches = [...pieces.map((piece) => reader.push(piece)), reader.end()];
  const records = batches.flatMap((b) => b.records);
  return { rows: records.map((r) => r.fields), lines: records.map((r) => r.line), errors: batches.reduce((n, b) => n + b.errors.length, 0) };
}

describe('CsvRecordReader against PapaParse', () => {
  it(`agrees on ${DOCUMENTS} seeded random documents, whatever the chunking`, () => {
    const rng = mulberry32(2024);
    let quotedLineBreaks = 0;
    for (let d = 0; d < DOCUMENTS; d++) {
      const doc = generate(rng);
      const label = `document ${d}: ${JSON.stringify(doc.text)}`;
      const papa = Papa.parse<string[]>(doc.text, { delimiter: doc.delimiter, newline: doc.newline, skipEmptyLines: true });
      expect(papa.errors, label).toEqual([]);
      expect(papa.data, label).toEqual(doc.rows); // the generator and PapaParse agree…
      const mine = ours(doc.text, doc.delimiter, rng);
      expect(mine.errors, label).toBe(0);
      expect(mine.rows, label).toEqual(papa.data); // …and so do we
      expect(mine.lines, label).toEqual(doc.lines);
      if (doc.rows.some((row) => row.some((field) => field.includes('\n') || field.includes('\r')))) quotedLineBreaks++;
    }
    // The documents must exercise what the test is about.
    expect(quotedLineBreaks).toBeGreaterThan(DOCUMENTS / 4);
  });
});
