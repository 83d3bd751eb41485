import { readFileSync } from 'node:fs';
import { chunkings, readAll } from './chunking';
import { describe, expect, it } from 'vitest';
import { JsonPatentReader } from '../../../src/core/ingest/json';
import { JsonArrayPatentReader, JsonArraySplitter } from '../../../src/core/ingest/json-array';
import { jsonCodes, jsonLookup, jsonText } from '../../../src/core/ingest/json-values';
import { JsonlPatentReader } from '../../../src/core/ingest/jsonl';
import { GOOGLE_PRESET } from '../../../src/core/ingest/presets';
import { type ColumnMapping, type PatentReader, type ReadBatch } from '../../../src/core/ingest/types';
import { mulberry32 } from '../../../src/core/random';
import { NotAPatentFileError } from '../../../src/core/errors';

const fixture = (name: string): string => readFileSync(`test/fixtures/ingest/${name}`, 'utf8');

/** Reads `text` in every chunking, checks they agree, and returns the result. */
function readEveryWay(make: () => PatentReader, text: string): ReadBatch {
  const whole = readAll(make(), [text]);
  for (const [, chunks] of chunkings(text)) expect(readAll(make(), chunks)).toEqual(whole);
  return whole;
}

const SIMPLE: ColumnMapping = { id: 'id', title: 'title', abstract: 'abstract', claims: 'claims', year: 'year', codes: ['ipc'] };

describe('JSON value extraction', () => {
  it('follows dotted paths, including through arrays, and prefers a key that contains the dot', () => {
    const record = { a: { b: { c: 1 } }, 'x.y': 2, list: [{ code: 'H04L' }, { code: 'H04B' }] };
    expect(jsonLookup(record, 'a.b.c')).toBe(1);
    expect(jsonLookup(record, 'x.y')).toBe(2);
    expect(jsonLookup(record, 'list.code')).toEqual(['H04L', 'H04B']);
    expect(jsonLookup(record, 'a.missing.c')).toBeUndefined();
  });

  it('reads localized text (English first, else the first non-empty), numbers and {text} objects', () => {
    expect(jsonText([{ text: 'Verfahren', language: 'de' }, { text: 'Method', language: 'en' }])).toBe('Method');
    expect(jsonText([{ text: '', language: 'en' }, { text: 'Verfahren', language: 'de' }])).toBe('Verfahren');
    expect(jsonText({ text: 'Plain' })).toBe('Plain');
    expect(jsonText(20150507)).toBe('20150507');
    expect(jsonText(null)).toBeUndefined();
    expect(jsonText([])).toBeUndefined();
  });

  it('reads codes from cells, string lists and {code} lists', () => {
    expect(jsonCodes('H04L 27/26; H04B 7/04')).toEqual(['H04L 27/26', 'H04B 7/04']);
    expect(jsonCodes(['H04L 27/26', 'H04B 7/04'])).toEqual(['H04L 27/26', 'H04B 7/04']);
    expect(jsonCodes([{ code: 'H04L27/26', inventive: true }, { code: 'H04B7/04' }])).toEqual(['H04L27/26', 'H04B7/04']);
    expect(jsonCodes(42)).toEqual([]);
  });
});

describe('JsonlPatentReader', () => {
  it('reads the generic JSONL fixture identically for every chunking', () => {
    const result = readEveryWay(() => new JsonlPatentReader(SIMPLE, 'generic.jsonl'), fixture('generic.jsonl'));
    expect(result.errors).toEqual([]);
    expect(result.patents.map((p) => [p.line, p.id, p.year, p.rawCodes])).toEqual([
      [1, 'WO2015000001', 2015, ['F17C 11/00', 'C01B 3/00']],
      [2, 'WO2015000002', 2015, ['H04N 19/82', 'H04N 19/117']],
      [4, 'WO2016000003', 2016, ['C07K 16/28', 'A61P 35/00']],
      [5, 'WO2016000004', 2016, ['B25J 15/12']],
    ]);
    expect(result.patents[0].claims).toBe('1. A hydrogen store comprising a magnesium-nickel alloy.');
  });

  it('reports bad lines with their line numbers and keeps the rest', () => {
    const text = [
      '\uFEFF{"id":"1","year":2001,"title":"Battery","ipc":["H01M"]}',
      '{"id":"2","year":2001,"title":"Broken"',
      '',
      '{"id":"3","year":"soon","title":"Late","ipc":[]}',
      '{"id":"4","year":2003,"title":"","ipc":[]}',
      '[1,2]',
      '{"id":5,"year":2004,"title":"Radio","abstract":"A receiver.","ipc":"H04B 1/06"}',
    ].join('\r\n');
    const result = readEveryWay(() => new JsonlPatentReader(SIMPLE, 'f.jsonl'), text);
    expect(result.patents.map((p) => [p.line, p.id, p.abstract])).toEqual([[1, '1', undefined], [7, '5', 'A receiver.']]);
    expect(result.errors).toEqual([
      { line: 2, reason: 'not valid JSON', file: 'f.jsonl' },
      { line: 4, reason: 'bad year "soon"', file: 'f.jsonl' },
      { line: 5, reason: 'no title', file: 'f.jsonl' },
      { line: 6, reason: 'not a JSON object', file: 'f.jsonl' },
    ]);
  });

  it('throws NotAPatentFileError when the first lines are not JSON objects, or the file is empty', () => {
    const csv = 'id,title,year\n1,A,2001\n2,B,2002\n3,C,2003\n4,D,2004\n5,E,2005\n';
    expect(() => readAll(new JsonlPatentReader(SIMPLE, 'x.jsonl'), [csv])).toThrow(NotAPatentFileError);
    expect(() => readAll(new JsonlPatentReader(SIMPLE, 'x.jsonl'), ['just one line'])).toThrow(/not JSON objects/);
    expect(() => readAll(new JsonlPatentReader(SIMPLE, 'x.jsonl'), ['\n \n'])).toThrow(/empty/);
  });
});

describe('JsonArraySplitter', () => {
  it('hands out each element once complete, with its start line, whatever the chunking', () => {
    const text = '[\n  {"a": "}{ \\" ]"},\n  {"b": [1, {"c": 2}]},\n  3,\n  "x"\n]\n';
    const split = (chunks: string[]) => {
      const splitter = new JsonArraySplitter('f.json');
      return [...chunks.map((chunk) => splitter.push(chunk)), splitter.end()].flatMap((batch) => batch.elements);
    };
    const whole = split([text]);
    expect(whole.map((e) => [e.line, JSON.parse(e.text)])).toEqual([[2, { a: '}{ " ]' }], [3, { b: [1, { c: 2 }] }], [4, 3], [5, 'x']]);
    for (const [, chunks] of chunkings(text)) expect(split(chunks)).toEqual(whole);
  });

  it('gives identical elements and errors for every chunking of 2000 random arrays full of brackets and quotes', () => {
    const alphabet = ['{', '}', '[', ']', '"', '\\', ',', ':', '\n', 'a', '1', ' ', '{"k": "v"}', '"s"'];
    const rng = mulberry32(99);
    const split = (chunks: string[]) => {
      const splitter = new JsonArraySplitter('f.json');
      return [...chunks.map((chunk) => splitter.push(chunk)), splitter.end()].reduce(
        (all, batch) => ({ elements: [...all.elements, ...batch.elements], errors: [...all.errors, ...batch.errors] }),
      );
    };
    for (let round = 0; round < 2000; round++) {
      let text = '[';
      const length = Math.floor(rng() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rng() * alphabet.length)];
      const whole = split([text]);
      for (const [, chunks] of chunkings(text)) expect(split(chunks), JSON.stringify(text)).toEqual(whole);
    }
  });

  it('throws NotAPatentFileError when the top-level value is not an array', () => {
    expect(() => new JsonArraySplitter('f.json').push('{"title": "x"}')).toThrow(NotAPatentFileError);
    expect(() => new JsonArraySplitter('f.json').push('  "text"')).toThrow(/expected a JSON array of patent objects/);
    expect(() => new JsonArraySplitter('f.json').end()).toThrow(/empty/);
  });
});

describe('JsonArrayPatentReader', () => {
  it('reads the pretty-printed fixture with dotted paths identically for every chunking', () => {
    const mapping: ColumnMapping = {
      id: 'doc_number', title: 'bibliographic.invention_title', abstract: 'abstract', date: 'bibliographic.publication_date',
      codes: ['classifications.ipcr'],
    };
    const result = readEveryWay(() => new JsonArrayPatentReader(mapping, 'generic-array.json'), fixture('generic-array.json'));
    expect(result.errors).toEqual([]);
    expect(result.patents.map((p) => [p.line, p.id, p.year, p.rawCodes])).toEqual([
      [2, 'JP2018000001', 2018, ['H10K 30/40', 'H01L 31/0224']],
      [11, 'JP2018000002', 2018, ['H01M 10/48', 'G01R 31/367']],
      [20, 'JP2019000003', 2019, ['F23R 3/34']],
    ]);
    expect(result.patents[1].title).toBe('Battery management with {state} estimation "online"');
  });

  it('reports malformed objects at their start line and keeps the others', () => {
    const text = [
      '[',
      '  {"id": "1", "title": "Good", "year": 2001, "ipc": ["H04L 27/26"]},',
      '  {"id": "2", "title": "Missing comma" "year": 2002},',
      '  {"id": "3", "title": "Unterminated string, "year": 2003},',
      '  {"id": "4", "title": "Recovered", "year": 2004, "ipc": []},',
      '  {"id": "5", "title": "Lost its brace", "year": 2005,',
      '  {"id": "6", "title": "After the lost brace", "year": 2006},',
      '  42,',
      '  {"id": "7", "title": "Bad year", "year": 1492}',
      ']',
    ].join('\n');
    const result = readEveryWay(() => new JsonArrayPatentReader(SIMPLE, 'f.json'), text);
    expect(result.patents.map((p) => [p.line, p.id])).toEqual([[2, '1'], [5, '4'], [7, '6']]);
    expect(result.errors).toEqual([
      { line: 3, reason: 'not valid JSON', file: 'f.json' },
      { line: 4, reason: 'unterminated string', file: 'f.json' },
      { line: 6, reason: 'object not closed', file: 'f.json' },
      { line: 8, reason: 'not a JSON object', file: 'f.json' },
      { line: 9, reason: 'bad year "1492"', file: 'f.json' },
    ]);
  });

  it('reports an object cut off by the end of the file, and text after the array', () => {
    const cut = readAll(new JsonArrayPatentReader(SIMPLE, 'f.json'), ['[{"id":"1","title":"A","year":2001},\n{"id":"2","ti']);
    expect(cut.patents).toHaveLength(1);
    expect(cut.errors).toEqual([{ line: 2, reason: 'object not closed at the end of the file', file: 'f.json' }]);
    const trailing = readAll(new JsonArrayPatentReader(SIMPLE, 'f.json'), ['[{"id":"1","title":"A","year":2001}]\n\noops']);
    expect(trailing.errors).toEqual([{ line: 3, reason: 'text after the closing ] of the array', file: 'f.json' }]);
  });
});

describe('duplicate keys in a record', () => {
  it('warns with the line and keeps the last value (as JSON.parse does), in JSONL and arrays alike', () => {
    const lines = [
      '{"id": "1", "title": "First", "year": 2001, "title": "Second", "ipc": []}',
      '{"id": "2", "title": "Fine", "year": 2002, "biblio": {"a": 1, "a": 2}, "ipc": ["H04L"]}',
      '{"id": "3", "ti\\u0074le": "Escaped", "title": "Plain", "year": 2003, "ipc": []}',
    ];
    const warnings = (file: string, first: number) => [
      { line: first, reason: 'key "title" appears more than once: the last value is used', file },
      { line: first + 1, reason: 'key "biblio.a" appears more than once: the last value is used', file },
      { line: first + 2, reason: 'key "title" appears more than once: the last value is used', file },
    ];
    const jsonl = readEveryWay(() => new JsonlPatentReader(SIMPLE, 'd.jsonl'), lines.join('\n'));
    expect(jsonl.patents.map((p) => p.title)).toEqual(['Second', 'Fine', 'Plain']);
    expect(jsonl.warnings).toEqual(warnings('d.jsonl', 1));
    const array = readEveryWay(() => new JsonArrayPatentReader(SIMPLE, 'd.json'), `[\n${lines.join(',\n')}\n]`);
    expect(array.patents.map((p) => p.title)).toEqual(['Second', 'Fine', 'Plain']);
    expect(array.warnings).toEqual(warnings('d.json', 2));
  });

  it('does not mistake the same key in sibling objects, or a key-like string value, for a repeat', () => {
    const text = '{"id": "1", "title": "A \\"title\\": x", "year": 2001, "ipc": [{"code": "H04L"}, {"code": "H04B"}], "x": {"title": 1}}';
    expect(readAll(new JsonlPatentReader(SIMPLE, 'f.jsonl'), [text]).warnings).toBeUndefined();
  });
});

describe('Google Patents public data', () => {
  const expectGoogle = (result: ReadBatch, file: string) => {
    expect(result.patents.map((p) => [p.id, p.year, p.title])).toEqual([
      ['US-2015123456-A1', 2015, 'Method for channel estimation'],
      ['DE-102016000002-A1', 2016, 'Kuehlkreislauf fuer Batteriemodule'],
      ['EP-3100003-B1', 2017, 'Optical fibre amplifier with "pump" sharing'],
    ]);
    expect(result.patents[0].rawCodes).toEqual(['H04L27/26', 'H04L25/02', 'H04L27/2601', 'H04L25/0224']);
    expect(result.patents[0].claims).toBe('1. A method comprising receiving pilot symbols.');
    expect(result.patents[1].abstract).toBeUndefined();
    expect(result.errors).toEqual([{ line: 4, reason: 'bad year "0"', file }]);
  };

  it('reads the JSONL export with the Google preset', () => {
    expectGoogle(readEveryWay(() => new JsonlPatentReader(GOOGLE_PRESET, 'google.jsonl'), fixture('google.jsonl')), 'google.jsonl');
  });

  it('reads the JSON-array export with the Google preset, lines counted from the [ line', () => {
    const result = readEveryWay(() => new JsonArrayPatentReader(GOOGLE_PRESET, 'google.json'), fixture('google.json'));
    expect(result.patents.map((p) => p.line)).toEqual([2, 3, 4]);
    expectGoogle({ ...result, errors: result.errors.map((e) => ({ ...e, line: e.line - 1 })) }, 'google.json');
  });

  it('picks JSONL or array from the first character when the shape is not known (google-json)', () => {
    const lines = readEveryWay(() => new JsonPatentReader(GOOGLE_PRESET, 'google.jsonl'), fixture('google.jsonl'));
    const array = readEveryWay(() => new JsonPatentReader(GOOGLE_PRESET, 'google.json'), '\n  ' + fixture('google.json'));
    expect(array.patents.map((p) => p.id)).toEqual(lines.patents.map((p) => p.id));
    expect(() => readAll(new JsonPatentReader(GOOGLE_PRESET, 'g.json'), ['  \n'])).toThrow(NotAPatentFileError);
  });
});
