import { readFileSync } from 'node:fs';
import { chunkings, readAll } from './chunking';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader, MAX_RECORD_CHARS, MAX_RECORD_LINES, type CsvBatch } from '../../../src/core/ingest/csv';
import { TabularPatentReader } from '../../../src/core/ingest/tabular';
import { LENS_PRESET, NO_TITLE_WARNING, parseYear } from '../../../src/core/ingest/presets';
import { type ColumnMapping, type PatentReader, type ReadBatch } from '../../../src/core/ingest/types';
import { mulberry32 } from '../../../src/core/random';
import { NotAPatentFileError } from '../../../src/core/errors';

const fixture = (name: string): string => readFileSync(`test/fixtures/ingest/${name}`, 'utf8');

function records(text: string, delimiter = ',', chunks: string[] = [text]): CsvBatch {
  const reader = new CsvRecordReader(delimiter);
  const all: CsvBatch = { records: [], errors: [] };
  for (const batch of [...chunks.map((chunk) => reader.push(chunk)), reader.end()]) {
    all.records.push(...batch.records);
    all.errors.push(...batch.errors);
  }
  return all;
}

const SIMPLE: ColumnMapping = { id: 'id', title: 'title', year: 'year', codes: ['ipc'] };

describe('CsvRecordReader', () => {
  it('reads quoted fields, doubled quotes, embedded newlines (record line = start line), CRLF and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",z\r\n2,"two\r\nlines",w\r\n\r\n3,,""\r\n';
    expect(records(text)).toEqual({
      records: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', 'x, "y"', 'z'] },
        { line: 3, fields: ['2', 'two\r\nlines', 'w'] },
        { line: 6, fields: ['3', '', ''] },
      ],
      errors: [],
    });
  });

  it('gives identical records for every chunking, including a "" split across chunks', () => {
    const text = 'a,b\n"q""",2\n"multi\nline ""quoted""\n",3\nlast,"no newline at end"';
    const whole = records(text);
    expect(whole.records).toHaveLength(4);
    for (const [, chunks] of chunkings(text)) expect(records(text, ',', chunks)).toEqual(whole);
  });

  it('gives identical records and errors for every chunking of 2000 random texts full of quotes and line breaks', () => {
    const alphabet = ['a', 'b', ',', '"', '""', '\n', '\r\n', ' ', '\t'];
    const rng = mulberry32(99);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = Math.floor(rng() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rng() * alphabet.length)];
      const whole = records(text);
      for (const [, chunks] of chunkings(text)) expect(records(text, ',', chunks), JSON.stringify(text)).toEqual(whole);
      const lines = text.split('\n').length;
      for (const { line } of [...whole.records, ...whole.errors]) expect(line).toBeLessThanOrEqual(lines);
    }
  });

  it('keeps a trailing empty field, and a quote inside an unquoted field literally', () => {
    expect(records('a,b,\n5" disk,x').records).toEqual([
      { line: 1, fields: ['a', 'b', ''] },
      { line: 2, fields: ['5" disk', 'x'] },
    ]);
  });

  it('reports an unclosed quote at end of file and resumes at the line after the record start', () => {
    const text = 'a,b\n1,"open\n2,fine\n3,also fine';
    for (const [, chunks] of chunkings(text)) {
      expect(records(text, ',', chunks)).toEqual({
        records: [{ line: 1, fields: ['a', 'b'] }, { line: 3, fields: ['2', 'fine'] }, { line: 4, fields: ['3', 'also fine'] }],
        errors: [{ line: 2, reason: 'unclosed quote' }],
      });
    }
  });

  it(`gives up on a quoted field after ${MAX_RECORD_LINES} lines while streaming, not only at the end`, () => {
    const rows = Array.from({ length: MAX_RECORD_LINES + 50 }, (_, i) => `${i},row ${i}`);
    const text = `a,b\nx,"runaway\n${rows.join('\n')}\n`;
    const reader = new CsvRecordReader(',');
    const chunkSize = 4096;
    let errorsBeforeEnd = 0;
    let recordCount = 0;
    for (let i = 0; i < text.length; i += chunkSize) {
      const batch = reader.push(text.slice(i, i + chunkSize));
      errorsBeforeEnd += batch.errors.length;
      recordCount += batch.records.length;
    }
    const last = reader.end();
    expect(errorsBeforeEnd).toBe(1);
    expect(last.errors).toEqual([]);
    expect(recordCount + last.records.length).toBe(1 + rows.length);
  });

  it('skips a record longer than the bound and reads the next one', () => {
    const text = `a,b\n${'x'.repeat(MAX_RECORD_CHARS + 10)}\n1,2\n`;
    for (const size of [text.length, 600_000, 65_536]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const result = records(text, ',', chunks);
      expect(result.errors).toEqual([{ line: 2, reason: `record longer than ${MAX_RECORD_CHARS} characters` }]);
      expect(result.records).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 3, fields: ['1', '2'] }]);
    }
  });

  it('judges an over-long quoted field the same whether it arrives whole or in pieces', () => {
    const text = `a,b\n1,"${'y\n'.repeat(MAX_RECORD_LINES + 1)}"\n2,ok\n`;
    for (const size of [text.length, 1000, 7]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const result = records(text, ',', chunks);
      expect(result.errors[0]).toEqual({ line: 2, reason: 'unclosed quote' });
      expect(result.records.at(-1)).toEqual({ line: MAX_RECORD_LINES + 4, fields: ['2', 'ok'] });
    }
  });

  it('reads tab-separated text, where commas are data', () => {
    expect(records('a\tb\n"x\ty"\t1, 2\n', '\t').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ty', '1, 2'] },
    ]);
  });
});

describe('parseYear', () => {
  it.each([
    ['2001', 2001], ['2001.0', 2001], ['2001-05-17', 2001], ['20010517', 2001], ['17.05.2001', 2001],
    ['2001/05/17', 2001], ['2001-05-17T10:20:00Z', 2001], ['2001-05-17 10:20:00', 2001], ['05/17/2001', 2001],
    [' 1790 ', 1790], ['2100', 2100],
  ])('reads %j as %d', (text, year) => expect(parseYear(text)).toBe(year));

  it.each(['', 'soon', '1789', '2101', '0', '19x9', '2001-13-01', '20011301', '32.05.2001', '01', '2001-05'])(
    'rejects %j', (text) => expect(parseYear(text)).toBeNull(),
  );
});

describe('TabularPatentReader', () => {
  it('maps the generic CSV fixture the same way for every chunking', () => {
    const text = fixture('generic.csv');
    const mapping: ColumnMapping = { id: 'id', title: 'title', abstract: 'abstract', date: 'publication_date', codes: ['ipc', 'cpc'] };
    const whole = readAll(new TabularPatentReader(',', mapping, 'generic.csv'), [text]);
    expect(whole.errors).toEqual([]);
    expect(whole.patents.map((p) => [p.line, p.id, p.year])).toEqual([
      [2, 'EP1000001', 2012], [3, 'EP1000002', 2013], [5, 'EP1000003', 2014], [6, 'EP1000004', 2019], [7, 'EP1000005', 2020],
    ]);
    expect(whole.patents[1]).toEqual({
      line: 3,
      id: 'EP1000002',
      year: 2013,
      title: 'Channel estimation for OFDM, using scattered pilots',
      abstract: 'Pilots are spread over the time-frequency grid.\nA filter interpolates the channel between them.',
      rawCodes: ['H04L 27/26 (2006.01)', 'H04L27/2601', 'H04L25/0224'],
    });
    expect(whole.patents[3].title).toBe('Pruning a "deep" neural network');
    expect(whole.patents[4].abstract).toBeUndefined();
    for (const [, chunks] of chunkings(text)) expect(readAll(new TabularPatentReader(',', mapping, 'generic.csv'), chunks)).toEqual(whole);
  });

  it('reads the TSV fixture with | separated codes', () => {
    const text = fixture('generic.tsv');
    const mapping: ColumnMapping = { id: 'patent_number', title: 'invention_title', year: 'year', codes: ['codes'] };
    const whole = readAll(new TabularPatentReader('\t', mapping, 'generic.tsv'), [text]);
    expect(whole.errors).toEqual([]);
    expect(whole.patents.map((p) => p.rawCodes)).toEqual([
      ['H01M 10/0562', 'H01M 4/13'], ['H04B 7/06', 'H04B 7/0456'], ['G01S 7/481', 'G01S 17/931', 'B81B 3/00'], ['B01J 23/46', 'C01C 1/04'],
    ]);
    expect(whole.patents[1].title).toBe('Beamforming with "hybrid" analogue and digital stages');
    for (const [, chunks] of chunkings(text)) expect(readAll(new TabularPatentReader('\t', mapping, 'generic.tsv'), chunks)).toEqual(whole);
  });

  it('reads a Lens.org export with the Lens preset (no claims column, ;; separators)', () => {
    const text = fixture('lens.csv');
    const whole = readAll(new TabularPatentReader(',', LENS_PRESET, 'lens.csv'), [text]);
    expect(whole.errors).toEqual([]);
    expect(whole.patents.map((p) => [p.id, p.year])).toEqual([
      ['010-203-304-405-50X', 2016], ['020-304-405-506-61Y', 2018], ['030-405-506-607-72Z', 2019], ['040-506-607-708-83A', 2019],
    ]);
    expect(whole.patents[1].title).toBe('Scheduling uplink transmissions, with grant-free access');
    expect(whole.patents[0].rawCodes).toEqual(['H01M10/0567', 'H01M10/0525', 'H01M10/0567', 'H01M10/0525', 'Y02E60/10']);
    expect(whole.patents[2].abstract).toBeUndefined();
    expect(whole.patents[0].claims).toBeUndefined();
    for (const [, chunks] of chunkings(text)) expect(readAll(new TabularPatentReader(',', LENS_PRESET, 'lens.csv'), chunks)).toEqual(whole);
  });

  it('keeps every good row of a broken file and reports each bad one with its start line', () => {
    const text = fixture('broken.csv');
    const whole = readAll(new TabularPatentReader(',', SIMPLE, 'broken.csv'), [text]);
    // B7 has a year and a code but no title: kept for co-occurrence, with a warning.
    expect(whole.patents.map((p) => [p.line, p.id])).toEqual([[2, 'B1'], [3, 'B2'], [6, 'B4'], [7, 'B5'], [9, 'B7'], [12, 'B10']]);
    expect(whole.patents[1].title).toBe('Title with an\nembedded newline');
    expect(whole.errors).toEqual([
      { line: 5, reason: 'unclosed quote', file: 'broken.csv' },
      { line: 8, reason: 'bad year "19x9"', file: 'broken.csv' },
      { line: 10, reason: 'expected 4 fields as in the header, found 6', file: 'broken.csv' },
      { line: 11, reason: 'bad year "1700"', file: 'broken.csv' },
    ]);
    expect(whole.warnings).toEqual([{ line: 9, reason: NO_TITLE_WARNING, file: 'broken.csv' }]);
    for (const [, chunks] of chunkings(text)) expect(readAll(new TabularPatentReader(',', SIMPLE, 'broken.csv'), chunks)).toEqual(whole);
  });

  it('reports fewer fields, skips empty spreadsheet rows, tolerates empty extra fields and falls back to row-<line> ids', () => {
    const text = 'title,year,ipc\nShort row,2001\n,,\nTrailing comma,2002,H04L,\n"Multi\nline",2003,H04B\nNo year,,H04W\n';
    const result = readAll(new TabularPatentReader(',', { title: 'title', year: 'year', codes: ['ipc'] }, 'f.csv'), [text]);
    expect(result.patents.map((p) => [p.id, p.title])).toEqual([['row-4', 'Trailing comma'], ['row-5', 'Multi\nline']]);
    expect(result.errors).toEqual([
      { line: 2, reason: 'expected 3 fields as in the header, found 2', file: 'f.csv' },
      { line: 7, reason: 'no year', file: 'f.csv' },
    ]);
  });

  it('uses the date column when the year column is blank or bad', () => {
    const text = 'title,year,date,ipc\nA,,2004-02-03,H04L\nB,n/a,20050607,H04L\nC,n/a,never,H04L\n';
    const result = readAll(new TabularPatentReader(',', { title: 'title', year: 'year', date: 'date', codes: ['ipc'] }, 'f.csv'), [text]);
    expect(result.patents.map((p) => p.year)).toEqual([2004, 2005]);
    expect(result.errors).toEqual([{ line: 4, reason: 'bad year "n/a"', file: 'f.csv' }]);
  });

  it('matches mapped columns case-insensitively and ignores absent code columns', () => {
    const text = 'Title,YEAR,IPC\nA,2001,H04L 27/26\n';
    const result = readAll(new TabularPatentReader(',', { title: 'title', year: 'year', codes: ['ipc', 'cpc'] }, 'f.csv'), [text]);
    expect(result.patents).toEqual([{ line: 2, id: 'row-2', year: 2001, title: 'A', rawCodes: ['H04L 27/26'] }]);
  });

  it('throws NotAPatentFileError for a file without the mapped title or year column, or an empty file', () => {
    const read = (text: string) => readAll(new TabularPatentReader(',', SIMPLE, 'x.csv'), [text]);
    expect(() => read('name,age\nBob,42\n')).toThrow(NotAPatentFileError);
    expect(() => read('name,age\nBob,42\n')).toThrow(/x\.csv does not look like a patent file: it has no "title" title column/);
    expect(() => read('title,ipc\nA,H04L\n')).toThrow(/no year or date column/);
    expect(() => read('')).toThrow(/the file is empty/);
    expect(() => read('\n\n')).toThrow(NotAPatentFileError);
  });
});
