import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createReader, detectFormat, partialObjectKeys } from '../../../src/core/ingest/detect';
import { GOOGLE_PRESET } from '../../../src/core/ingest/presets';
import { CONFIDENT_DETECTION, type DetectedFormat, type ReadBatch } from '../../../src/core/ingest/types';
import { NotAPatentFileError } from '../../../src/core/errors';

const DETECTION_BYTES = 64 * 1024;
const fixture = (name: string): string => readFileSync(`test/fixtures/ingest/${name}`, 'utf8');
const detectFixture = (name: string): DetectedFormat => detectFormat(name, fixture(name).slice(0, DETECTION_BYTES));

function readWith(detected: DetectedFormat, name: string, text: string): ReadBatch {
  const reader = createReader(detected, name);
  const all: ReadBatch = { patents: [], errors: [] };
  for (const batch of [reader.push(text), reader.end()]) {
    all.patents.push(...batch.patents);
    all.errors.push(...batch.errors);
  }
  return all;
}

describe('detectFormat on the fixtures', () => {
  it('recognises a generic CSV and maps it by known names with full confidence', () => {
    const detected = detectFixture('generic.csv');
    expect(detected).toMatchObject({
      kind: 'csv',
      confidence: 1,
      columns: ['id', 'title', 'abstract', 'publication_date', 'ipc', 'cpc'],
      mapping: { id: 'id', title: 'title', abstract: 'abstract', date: 'publication_date', codes: ['ipc', 'cpc'] },
    });
    expect(detected.explanation).toMatch(/Comma-separated/);
  });

  it('recognises a TSV whose cells contain commas', () => {
    const detected = detectFixture('generic.tsv');
    expect(detected.kind).toBe('tsv');
    expect(detected.confidence).toBe(1);
    expect(detected.mapping).toMatchObject({ id: 'patent_number', title: 'invention_title', year: 'year', codes: ['codes'] });
    const commasInCells = 'title\tyear\tipc\nA, B and C\t2001\tH04L, H04B\nD, E\t2002\tG06F\n';
    expect(detectFormat('export.txt', commasInCells).kind).toBe('tsv');
  });

  it('recognises a Lens.org export and proposes the Lens preset without the absent claims column', () => {
    const detected = detectFixture('lens.csv');
    expect(detected.kind).toBe('lens-csv');
    expect(detected.confidence).toBe(1);
    expect(detected.mapping).toEqual({
      id: 'Lens ID', title: 'Title', abstract: 'Abstract', claims: undefined, year: 'Publication Year', date: 'Publication Date',
      codes: ['IPCR Classifications', 'CPC Classifications'], codeSeparator: ';;',
    });
  });

  it('recognises JSONL and a JSON array, proposing dotted paths into nested objects', () => {
    expect(detectFixture('generic.jsonl')).toMatchObject({
      kind: 'jsonl', confidence: 1, mapping: { id: 'id', title: 'title', abstract: 'abstract', claims: 'claims', year: 'year', codes: ['ipc'] },
    });
    const array = detectFixture('generic-array.json');
    expect(array).toMatchObject({
      kind: 'json-array',
      confidence: 1,
      mapping: {
        id: 'doc_number', title: 'bibliographic.invention_title', date: 'bibliographic.publication_date', codes: ['classifications.ipcr'],
      },
    });
    expect(array.columns).not.toContain('classifications');
  });

  it('recognises Google Patents exports in both shapes', () => {
    for (const name of ['google.json', 'google.jsonl']) {
      const detected = detectFixture(name);
      expect(detected.kind).toBe('google-json');
      expect(detected.mapping).toEqual(GOOGLE_PRESET);
    }
  });

  it('recognises PatentsView tables and EPO XML, which have no mapping', () => {
    for (const table of ['g_patent', 'g_patent_abstract', 'g_ipc_at_issue', 'g_cpc_current']) {
      const detected = detectFixture(`patentsview/${table}.tsv`);
      expect(detected.kind).toBe('patentsview');
      expect(detected.mapping).toBeUndefined();
    }
    expect(detectFormat('export.tsv', 'patent_id\tpatent_title\tpatent_date\n1\tA\t2001-01-01\n')).toMatchObject({ kind: 'patentsview', confidence: 0.9 });
    // A generic CSV with a patent_id column is not PatentsView.
    expect(detectFormat('mine.csv', 'patent_id,title,year,ipc\n1,A,2001,H04L\n').kind).toBe('csv');
    for (const name of ['ep-docdb.xml', 'ep-publication.xml']) {
      const detected = detectFixture(name);
      expect(detected).toMatchObject({ kind: 'epo-xml', confidence: 1 });
      expect(detected.mapping).toBeUndefined();
    }
  });

  it('rejects binary data and text that has no title column, with one clear sentence', () => {
    const binary = readFileSync('test/fixtures/ingest/not-a-patent-file.bin');
    const decoded = new TextDecoder().decode(binary);
    expect(() => detectFormat('not-a-patent-file.bin', decoded)).toThrow(NotAPatentFileError);
    expect(() => detectFormat('not-a-patent-file.bin', decoded)).toThrow(/binary data.*expected a CSV, TSV, JSON or JSONL export/);
    expect(() => detectFixture('not-a-patent-notes.txt')).toThrow(/not-a-patent-notes\.txt does not look like a patent file: none of its columns looks like a title/);
  });
});

describe('detectFormat confidence', () => {
  it('is lower when columns were guessed from similar names, and asks below the threshold', () => {
    const oneGuess = detectFormat('a.csv', 'Title (English),Publication Year,IPC\nA,2001,H04L\n');
    expect(oneGuess.mapping?.title).toBe('Title (English)');
    expect(oneGuess.confidence).toBeLessThan(1);
    expect(oneGuess.confidence).toBeGreaterThanOrEqual(CONFIDENT_DETECTION);
    const twoGuesses = detectFormat('a.csv', 'Title (English),Year of grant,IPC main\nA,2001,H04L\n');
    expect(twoGuesses.mapping).toMatchObject({ title: 'Title (English)', year: 'Year of grant', codes: ['IPC main'] });
    expect(twoGuesses.confidence).toBeLessThan(CONFIDENT_DETECTION);
    expect(twoGuesses.explanation).toMatch(/Guessed from similar names: title, codes, year/);
  });

  it('is low when codes or a year are missing', () => {
    const noCodes = detectFormat('a.csv', 'title,year\nA,2001\n');
    expect(noCodes.confidence).toBeLessThan(CONFIDENT_DETECTION);
    expect(noCodes.mapping?.codes).toEqual([]);
    expect(noCodes.explanation).toMatch(/No column found for IPC\/CPC codes: choose one/);
    const neither = detectFormat('a.csv', 'title,owner\nA,Bob\n');
    expect(neither.confidence).toBeLessThan(noCodes.confidence);
  });

  it('never takes US, FI or Locarno classification columns as IPC/CPC codes', () => {
    const detected = detectFormat('a.csv', 'Title,Year,US Classifications,CPC Classifications\nA,2001,429/332,H01M10/0567\n');
    expect(detected.mapping?.codes).toEqual(['CPC Classifications']);
  });
});

describe('detectFormat rejections', () => {
  it.each([
    ['empty.csv', '', /the file is empty/],
    ['blank.csv', ' \n\t\n', /the file is empty/],
    ['export.xlsx', 'PK\u0003\u0004\u0014\u0000\u0006\u0000', /ZIP archive/],
    ['paper.pdf', '%PDF-1.7\n%\uFFFD\uFFFD', /PDF/],
    ['utf16.txt', '\uFFFD\uFFFDt\u0000i\u0000t\u0000l\u0000e\u0000\t\u0000y\u0000e\u0000a\u0000r\u0000\n\u0000', /UTF-16/],
    ['page.html', '<!DOCTYPE html>\n<html><body>Hi</body></html>', /web page/],
    ['numbers.json', '[1, 2, 3]', /JSON array of number values/],
    ['object.json', '{\n  "patents": [\n    {"title": "A"}\n  ]\n}\n', /not one object per line/],
    ['one-column.csv', 'title\nA\nB\n', /no header row with several columns/],
    ['people.csv', 'name,age\nBob,42\n', /none of its columns looks like a title \(found "name", "age"\)/],
  ])('rejects %s', (name, head, message) => {
    expect(() => detectFormat(name, head)).toThrow(NotAPatentFileError);
    expect(() => detectFormat(name, head)).toThrow(message);
  });

  it('reads a semicolon-separated export (European-locale spreadsheet) as CSV with ";"', () => {
    const text = 'title;year;ipc\nBattery cell, with anode;2001;H01M 4/134, H01M 10/05\nRadio;2002;H04B 7/04\n';
    const detected = detectFormat('euro.csv', text);
    expect(detected).toMatchObject({ kind: 'csv', delimiter: ';' });
    const reader = createReader(detected, 'euro.csv');
    const patents = [...reader.push(text).patents, ...reader.end().patents];
    expect(patents.map((p) => [p.title, p.year, p.rawCodes])).toEqual([
      ['Battery cell, with anode', 2001, ['H01M 4/134', 'H01M 10/05']],
      ['Radio', 2002, ['H04B 7/04']],
    ]);
  });

  it('tolerates a few invalid UTF-8 bytes (a Latin-1 accent) in an otherwise text file', () => {
    expect(detectFormat('a.csv', 'title,year,ipc\nCaf\uFFFD machine,2001,A47J 31/00\n').kind).toBe('csv');
  });
});

describe('detectFormat with a head that cuts the first record', () => {
  it('reads the keys of a first object longer than the head', () => {
    const longObject = `[{"publication_number": "US-1-A", "title_localized": [{"text": "T", "language": "en"}], "description_localized": [{"text": "${'x'.repeat(100_000)}"}], "ipc": []}]`;
    const detected = detectFormat('g.json', longObject.slice(0, DETECTION_BYTES));
    expect(detected.kind).toBe('google-json');
    const longLine = `{"id": "1", "title": "T", "year": 2001, "ipc": ["H04L"], "claims": "${'x'.repeat(100_000)}"}\n`;
    expect(detectFormat('a.jsonl', longLine.slice(0, DETECTION_BYTES))).toMatchObject({ kind: 'jsonl', mapping: { title: 'title', year: 'year' } });
  });

  it('partialObjectKeys returns only top-level keys', () => {
    expect(partialObjectKeys('{"a": {"inner": 1}, "b\\"q": [{"c": 2}], "d": "text with \\"e\\": inside", "f": tru', 0)).toEqual(['a', 'b"q', 'd', 'f']);
  });
});

describe('createReader', () => {
  it('reads every tabular and JSON fixture with the detected mapping', () => {
    const counts: Record<string, number> = {};
    for (const name of ['generic.csv', 'generic.tsv', 'lens.csv', 'generic.jsonl', 'generic-array.json', 'google.json', 'google.jsonl']) {
      const text = fixture(name);
      const result = readWith(detectFormat(name, text), name, text);
      counts[name] = result.patents.length;
      for (const patent of result.patents) expect(patent.rawCodes.length).toBeGreaterThan(0);
    }
    expect(counts).toEqual({
      'generic.csv': 5, 'generic.tsv': 4, 'lens.csv': 4, 'generic.jsonl': 4, 'generic-array.json': 3, 'google.json': 3, 'google.jsonl': 3,
    });
  });

  it('uses the mapping the user edited over the proposed one', () => {
    const text = 'title,alt title,year,ipc\nA,B,2001,H04L\n';
    const detected = detectFormat('a.csv', text);
    const reader = createReader(detected, 'a.csv', { ...detected.mapping!, title: 'alt title' });
    expect(reader.push(text).patents[0].title).toBe('B');
  });

  it('refuses formats that have readers of their own, and tabular formats without a mapping', () => {
    const xml = detectFixture('ep-docdb.xml');
    expect(() => createReader(xml, 'ep-docdb.xml')).toThrow(/own reader/);
    const pv = detectFixture('patentsview/g_patent.tsv');
    expect(() => createReader(pv, 'g_patent.tsv')).toThrow(/own reader/);
    expect(() => createReader({ kind: 'csv', confidence: 0, columns: [], explanation: '' }, 'a.csv')).toThrow(/Choose which columns/);
  });
});
