import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotACatalogueFileError } from '../../../src/core/catalogue/errors';
import { CatalogueTextReader, type TextReadBatch } from '../../../src/core/catalogue/text-reader';

const FIXTURE = readFileSync('test/fixtures/catalogue/texts.jsonl', 'utf8');

/** Feeds `text` in pieces of `size` characters and gathers everything the reader gives back. */
function readAll(text: string, size: number): TextReadBatch {
  const reader = new CatalogueTextReader('texts.jsonl');
  const all: TextReadBatch = { rows: [], errors: [], warnings: [] };
  const add = (b: TextReadBatch): void => {
    all.rows.push(...b.rows);
    all.errors.push(...b.errors);
    all.warnings.push(...b.warnings);
  };
  for (let i = 0; i < text.length; i += size) add(reader.push(text.slice(i, i + size)));
  add(reader.end());
  return all;
}

describe('CatalogueTextReader', () => {
  it('reports a malformed line in the middle by its line number and reads every other line', () => {
    const batch = readAll(FIXTURE, 1 << 20);
    expect(batch.errors).toEqual([{ line: 3, reason: 'not valid JSON', file: 'texts.jsonl' }]);
    expect(batch.rows.map((r) => [r.line, r.id])).toEqual([
      [1, 'CAK:::4.1.1'], [2, 'CAK:::4.1.2'], [4, 'NOPE:::9.9'], [5, 'CWW:::3.3.2.3.4.11'], [7, 'CAK:::4.1.1'], [8, 'CWW:::3'],
    ]);
    expect(batch.rows[0]).toMatchObject({ title: 'Techniques to reduce emissions of mercury', text: expect.stringContaining('sealed') });
    expect(batch.rows[3].text).toBeUndefined();
  });

  it('gives the same rows whatever the chunk size', () => {
    const whole = readAll(FIXTURE, 1 << 20);
    for (const size of [1, 7, 64]) expect(readAll(FIXTURE, size)).toEqual(whole);
  });

  it('reads the bref.jsonl field names into the app\'s and keeps a row whose optional field has the wrong type', () => {
    const line = JSON.stringify({ id: 'X:::1', bref: 'X', section: '1', path: ['A'], chapter: 'A', is_technique_section: true, pollutants: 'Zinc', text: 'Own words.' });
    const batch = readAll(`${line}\n{"id": 7, "text": 3}\n{"text":"no id"}\n[1,2]\n`, 1 << 20);
    expect(batch.rows).toEqual([{ line: 1, id: 'X:::1', document: 'X', number: '1', path: ['A'], chapter: 'A', isTechnique: true, text: 'Own words.' }]);
    expect(batch.warnings).toEqual([{ line: 1, reason: '"pollutants" is not a list of strings: ignored', file: 'texts.jsonl' }]);
    expect(batch.errors.map((e) => [e.line, e.reason])).toEqual([[2, '"text" must be a string or null'], [3, 'no "id"'], [4, 'not a JSON object']]);
  });

  it('says so when the file is empty or not JSON lines at all', () => {
    expect(() => readAll('', 10)).toThrow(NotACatalogueFileError);
    expect(() => readAll('id,text\na,b\nc,d\ne,f\ng,h\ni,j\n', 1000)).toThrow(/its first lines are not JSON objects/);
  });
});
