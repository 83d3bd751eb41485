import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { joinClassificationParts } from '../../../src/core/codes';
import { PatentsViewJoin, patentsViewTableOf } from '../../../src/core/ingest/patentsview';
import { type RawPatent, type ReadBatch, type RowError } from '../../../src/core/ingest/types';
import { mulberry32 } from '../../../src/core/random';
import { NotAPatentFileError } from '../../../src/core/errors';

const TABLES = ['g_patent.tsv', 'g_patent_abstract.tsv', 'g_ipc_at_issue.tsv', 'g_cpc_current.tsv'];
const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/ingest/patentsview/${name}`, import.meta.url), 'utf8');

type Chunker = (text: string) => string[];
const whole: Chunker = (text) => [text];
const oneChar: Chunker = (text) => [...text];
const randomSizes = (seed: number): Chunker => (text) => {
  const rng = mulberry32(seed);
  const pieces: string[] = [];
  for (let i = 0; i < text.length;) {
    const size = 1 + Math.floor(rng() * 40);
    pieces.push(text.slice(i, i + size));
    i += size;
  }
  return pieces;
};
const CHUNKERS: [string, Chunker][] = [['whole', whole], ['1 char', oneChar], ['seed 5', randomSizes(5)], ['seed 6', randomSizes(6)]];

/** Feeds `files` (name → text) in the given order; returns the table errors and the join's batch. */
function join(files: [string, string][], chunk: Chunker = whole): { tableErrors: RowError[]; result: ReadBatch } {
  const patentsView = new PatentsViewJoin();
  const tableErrors: RowError[] = [];
  for (const [name, text] of files) {
    const feeder = patentsView.table(name);
    for (const piece of chunk(text)) {
      const batch = feeder.push(piece);
      expect(batch.patents).toEqual([]);
      tableErrors.push(...batch.errors);
    }
    tableErrors.push(...feeder.end().errors);
  }
  return { tableErrors, result: patentsView.finish() };
}

const EXPECTED_PATENTS: RawPatent[] = [
  {
    line: 2, id: '11000001', year: 2021, title: 'Solid-state battery with sulfide electrolyte',
    abstract: 'A solid-state battery cell has a sulfide electrolyte layer between a lithium-metal anode and a cathode.',
    rawCodes: ['H01M 10/0562', 'H01M 4/13', 'H01M10/0562'],
  },
  {
    line: 3, id: '11000002', year: 2021, title: 'Channel estimation for "scattered" pilots',
    abstract: 'Pilots are scattered over the time-frequency grid.\nA Kalman filter tracks the channel between them.',
    rawCodes: ['H04L 27/26', 'H04L27/2601', 'H04L25/0224'], // ipc_class `4` padded to `04`
  },
  { line: 4, id: '11000003', year: 2021, title: 'Wind turbine blade with serrated trailing edge', rawCodes: ['F03D 1/06', 'F03D1/0633'] },
  {
    line: 6, id: '11000005', year: 2021, title: 'Heat pump with vapour injection',
    abstract: 'A heat pump injects vapour into the compressor at an intermediate pressure.', rawCodes: ['F25B 1/10'],
  },
  { line: 8, id: 'D0930006', year: 2021, title: 'Charging station', rawCodes: [] },
  {
    line: 10, id: '11000008', year: 2021, title: 'Lidar sensor with MEMS mirror',
    abstract: 'Unquoted abstract: a MEMS mirror scans the laser beam.', rawCodes: ['G01S 7/481', 'G01S7/4817'],
  },
];

describe('PatentsViewJoin', () => {
  it('joins the four tables on patent_id, in g_patent order, with file + line errors, in every chunking', () => {
    for (const [name, chunk] of CHUNKERS) {
      const { tableErrors, result } = join(TABLES.map((t) => [t, fixture(t)]), chunk);
      expect(result.patents, name).toEqual(EXPECTED_PATENTS);
      expect(tableErrors, name).toEqual([
        { line: 5, reason: 'bad year "21-05-18"', file: 'g_patent.tsv' },
      ]);
      // 11000007 has no title and no codes in any table, which is known only once all are in.
      // 11000099 appears only in the abstract table, on line 5 (the abstract on lines 3-4 spans two lines).
      expect(result.errors, name).toEqual([
        { line: 9, reason: 'no title', file: 'g_patent.tsv' },
        { line: 5, file: 'g_patent_abstract.tsv', reason: 'patent_id 11000099 has no g_patent row (no title or date)' },
      ]);
    }
  });

  it('gives the same patents whatever order the files come in', () => {
    const reversed = join([...TABLES].reverse().map((t) => [t, fixture(t)]));
    expect(reversed.result.patents).toEqual(EXPECTED_PATENTS);
  });

  it('works with g_patent alone, and with only one classification table', () => {
    const alone = join([['g_patent.tsv', fixture('g_patent.tsv')]]).result;
    expect(alone.patents.map((p) => [p.id, p.rawCodes.length, p.abstract])).toEqual(
      EXPECTED_PATENTS.map((p) => [p.id, 0, undefined]),
    );
    const cpcOnly = join([['g_patent.tsv', fixture('g_patent.tsv')], ['g_cpc_current.tsv', fixture('g_cpc_current.tsv')]]).result;
    expect(cpcOnly.patents[1].rawCodes).toEqual(['H04L27/2601', 'H04L25/0224']);
  });

  it('reports one summary error when g_patent is missing altogether', () => {
    const { result } = join([['g_patent_abstract.tsv', fixture('g_patent_abstract.tsv')]]);
    expect(result.patents).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 1, file: 'g_patent_abstract.tsv' });
    expect(result.errors[0].reason).toMatch(/no g_patent table .* 5 patents were skipped/);
  });

  it('reports duplicate ids, missing ids and an unclosed quote with their lines, resuming on the next line', () => {
    const text = 'patent_id\tpatent_date\tpatent_title\n1\t2020-01-01\tA\n1\t2020-01-01\tA again\n\t2020-01-01\tNo id\n2\t2020-01-01\t"Open\nquote';
    for (const [name, chunk] of CHUNKERS) {
      const { tableErrors, result } = join([['mine.tsv', text]], chunk);
      expect(result.patents.map((p) => p.id), name).toEqual(['1']);
      expect(tableErrors, name).toEqual([
        { line: 3, reason: 'duplicate patent_id 1', file: 'mine.tsv' },
        { line: 4, reason: 'missing patent_id', file: 'mine.tsv' },
        { line: 5, reason: 'unclosed quote', file: 'mine.tsv' },
        // The shared TSV reader resumes at the line after the broken record's start.
        { line: 6, reason: 'no title', file: 'mine.tsv' },
      ]);
    }
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    const text = '\uFEFFpatent_id\tpatent_date\tpatent_title\r\n7\t1999-12-31\tOld\r\n';
    expect(join([['g_patent.tsv', text]]).result.patents).toEqual([{ line: 2, id: '7', year: 1999, title: 'Old', rawCodes: [] }]);
  });

  it('rejects files that are not PatentsView tables', () => {
    expect(() => new PatentsViewJoin().table('x.tsv', ['id', 'name'])).toThrow(NotAPatentFileError);
    const unknown = new PatentsViewJoin().table('notes.tsv');
    expect(() => unknown.push('id\tname\n1\tx\n')).toThrow(/notes\.tsv does not look like a patent file/);
    const missing = new PatentsViewJoin().table('g_ipc_at_issue.tsv');
    expect(() => missing.push('patent_id\tsection\n')).toThrow(/lacks column\(s\) ipc_class, subclass, main_group, subgroup/);
    expect(() => new PatentsViewJoin().table('g_patent.tsv').end()).toThrow(NotAPatentFileError);
  });
});

describe('patentsViewTableOf', () => {
  it.each([
    ['g_patent.tsv', 'patent'],
    ['downloads/2024_g_patent (1).tsv', 'patent'],
    ['G_PATENT_ABSTRACT', 'abstract'],
    ['g_ipc_at_issue.2023.tsv', 'ipc'],
    ['C:\\data\\g_cpc_current.tsv', 'cpc'],
    ['g_inventor_disambiguated.tsv', null],
  ])('%s → %s', (name, table) => {
    expect(patentsViewTableOf(name)).toBe(table);
  });

  it('trusts the header over the name', () => {
    expect(patentsViewTableOf('g_patent.tsv', ['patent_id', 'patent_abstract'])).toBe('abstract');
    expect(patentsViewTableOf('export.tsv', ['patent_id', 'cpc_sequence', 'cpc_group'])).toBe('cpc');
    expect(patentsViewTableOf('g_patent.tsv', ['id', 'title'])).toBeNull();
  });
});

describe('joinClassificationParts', () => {
  it.each([
    [['H', '04', 'L', '27', '26'], 'H04L 27/26'],
    [['H', '4', 'L', '27', '26'], 'H04L 27/26'],
    [['h', '04', 'l', '1', '0'], 'H04L 1/00'],
    [['H', 'H04', 'L', '27', '2601'], 'H04L 27/2601'],
    [['H', 'H04', 'H04L', '27', ''], 'H04L 27/00'],
    [['G', '06', 'N', '', ''], 'G06N'],
    [['', '', '', '', ''], ''],
  ])('%j → %s', (parts, code) => {
    const [section, cls, subclass, mainGroup, subgroup] = parts;
    expect(joinClassificationParts(section, cls, subclass, mainGroup, subgroup)).toBe(code);
  });
});
