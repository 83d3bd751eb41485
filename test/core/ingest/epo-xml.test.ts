import { readFileSync } from 'node:fs';
import { chunkings, readAll } from './chunking';
import { describe, expect, it } from 'vitest';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { EpoXmlPatentReader, localName } from '../../../src/core/ingest/epo-xml';
import { MemorySink } from '../../../src/core/ingest/memory-sink';
import { type RawPatent, type ReadBatch } from '../../../src/core/ingest/types';
import { NotAPatentFileError } from '../../../src/core/errors';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/ingest/${name}`, import.meta.url), 'utf8');

function read(pieces: string[], fileName = 'test.xml'): ReadBatch {
  const reader = new EpoXmlPatentReader(fileName);
  const batches = [...pieces.map((piece) => reader.push(piece)), reader.end()];
  return { patents: batches.flatMap((b) => b.patents), errors: batches.flatMap((b) => b.errors) };
}

/** Reads `text` in every chunking, checks they agree, and returns the result. */
function readAllWays(text: string, fileName?: string): ReadBatch {
  const expected = read([text], fileName);
  for (const [name, pieces] of chunkings(text, { seeds: [11, 12, 13], maxPiece: 200 })) expect(read(pieces, fileName), name).toEqual(expected);
  return expected;
}

const doc = (inner: string, attributes = 'country="EP" doc-number="1000001" kind="A1" date-publ="20200101"'): string =>
  `<ep-patent-document ${attributes}>${inner}</ep-patent-document>`;
const TITLE = '<SDOBI><B540><B541>en</B541><B542>A title</B542></B540></SDOBI>';

describe('EpoXmlPatentReader: ST.36 publication documents', () => {
  it('reads two concatenated documents (new B510EP and old B511 style) identically in every chunking', () => {
    const { patents, errors } = readAllWays(fixture('ep-publication.xml'), 'ep-publication.xml');
    expect(errors).toEqual([]);
    expect(patents).toEqual<RawPatent[]>([
      {
        line: 6,
        id: 'EP3999001A1',
        year: 2022,
        title: 'MULTI-CARRIER RADIO RECEIVER WITH ADAPTIVE CHANNEL ESTIMATION & PILOT TRACKING',
        abstract: 'A receiver (10) estimates the channel of each sub-carrier from pilot symbols spaced < 4 sub-carriers apart.\n'
          // (the narrow no-break space &#8239; collapses like any whitespace)
          + 'The estimate is refined by a Kalman filter whose gain depends on the Doppler spread fD \u2013 no training sequence is needed.',
        claims: 'A receiver comprising:\na pilot extractor; and\na Kalman filter adapted to the Doppler spread.\n'
          + 'The receiver of claim 1, wherein the pilots are scattered.',
        rawCodes: [
          'H04L  27/26        20060101AFI20220420BHEP',
          'H04B   7/0413      20170101ALI20220420BHEP',
          'H04L  27/2601      20130101 FI20220420BHEP',
        ],
      },
      {
        line: 44,
        id: 'EP1500002B1', // from B190 + B110 + B130: this document has no id attributes
        year: 2006,
        title: 'Method for synchronising an OFDM receiver',
        claims: 'A method for synchronising an OFDM receiver using a cyclic prefix correlation (R < 1 & R > 0).',
        rawCodes: ['7H 04L  27/26   A', '7H 04B   1/707  B'],
      },
    ]);
  });

  it('imports the old B511-B515 codes (edition digit, spaced subclass, position letter)', async () => {
    const bytes = new TextEncoder().encode(fixture('ep-publication.xml'));
    const source: ImportSource = { name: 'ep-publication.xml', bytes: bytes.length, stream: () => new Blob([bytes]).stream() };
    const [detection] = await detectSources([source]);
    const sink = new MemorySink();
    const { report } = await importSources([{ source, detected: detection.detected! }], sink, {});
    expect(sink.patents.get('EP1500002B1')?.codes).toEqual(['H04B 1/707', 'H04L 27/26']);
    expect(report.rejectedCodes).toEqual([]);
  });

  it('returns each patent from the push that completes its document', () => {
    const text = fixture('ep-publication.xml');
    const reader = new EpoXmlPatentReader('ep-publication.xml');
    const firstEnd = text.indexOf('</ep-patent-document>') + '</ep-patent-document>'.length;
    expect(reader.push(text.slice(0, firstEnd - 1)).patents).toEqual([]);
    expect(reader.push(text.slice(firstEnd - 1, firstEnd)).patents.map((p) => p.id)).toEqual(['EP3999001A1']);
    expect(reader.push(text.slice(firstEnd)).patents.map((p) => p.id)).toEqual(['EP1500002B1']);
    expect(reader.end()).toEqual({ patents: [], errors: [] });
  });

  it('prefers English and falls back to the first language', () => {
    const text = doc('<SDOBI><B540><B541>de</B541><B542>Titel</B542><B541>fr</B541><B542>Titre</B542></B540></SDOBI>'
      + '<claims lang="de"><claim><claim-text>Anspruch</claim-text></claim></claims>'
      + '<claims lang="fr"><claim><claim-text>Revendication</claim-text></claim></claims>');
    expect(readAllWays(text).patents[0]).toMatchObject({ title: 'Titel', claims: 'Anspruch' });
  });

  it('takes the year from B140 before date-publ, and from date-publ when B140 is missing', () => {
    const withB140 = doc(`<SDOBI><B100><B140><date>20190301</date></B140></B100></SDOBI>${TITLE}`);
    const withoutB140 = doc(TITLE);
    expect(readAllWays(withB140 + withoutB140).patents.map((p) => p.year)).toEqual([2019, 2020]);
  });

  it('reports documents without a title or a usable date, and keeps reading', () => {
    const text = [
      doc('<SDOBI><B540></B540></SDOBI>'),
      doc(TITLE, 'country="EP" doc-number="1000002" kind="A1"'),
      doc(TITLE, 'country="EP" doc-number="1000003" kind="A1" date-publ="2O2O0101"'),
      doc(TITLE, 'country="EP"'),
      doc(TITLE, 'country="EP" doc-number="1000005" kind="B1" date-publ="20200101"'),
    ].join('\n');
    const { patents, errors } = readAllWays(text, 'f.xml');
    expect(patents.map((p) => [p.id, p.line])).toEqual([['EP1000005B1', 5]]);
    expect(errors).toEqual([
      { line: 1, reason: 'no title', file: 'f.xml' },
      { line: 2, reason: 'bad year', file: 'f.xml' },
      { line: 3, reason: 'bad year "2O2O0101"', file: 'f.xml' },
      { line: 4, reason: 'no publication number', file: 'f.xml' },
    ]);
  });

  it('reports a malformed document and loads the next one', () => {
    const text = `<batch>\n${doc(`${TITLE}<abstract lang="en"><p>Broken</abstract>`)}\n${doc(TITLE, 'country="EP" doc-number="2" kind="A1" date-publ="20200101"')}\n</batch>`;
    const { patents, errors } = readAllWays(text, 'f.xml');
    expect(patents.map((p) => p.id)).toEqual(['EP2A1']);
    expect(errors).toEqual([{ line: 2, reason: 'malformed XML: </abstract> closes <p> too (line 2)', file: 'f.xml' }]);
  });

  it('reports a document nested absurdly deep without parsing the rest of it', () => {
    const deep = `${'<x>'.repeat(100_000)}${'</y>'.repeat(100_000)}`;
    const text = doc(TITLE + deep) + doc(TITLE, 'country="EP" doc-number="2" kind="A1" date-publ="20200101"');
    const reader = new EpoXmlPatentReader('deep.xml');
    const { patents, errors } = readAll(reader, [text]);
    expect(patents.map((p) => p.id)).toEqual(['EP2A1']);
    expect(errors.map((e) => e.reason)).toEqual(['malformed XML: elements nested more than 256 deep (line 1)']);
    // Counted work instead of time: the bad document is dropped at its 257th level, its other
    // 699,000 characters are only searched for the next document, never parsed (that document's
    // start tag is both found and parsed, hence the few characters over the length).
    expect(reader.work.charsParsed).toBeLessThan(2_000 + doc(TITLE).length);
    expect(reader.work.charsParsed + reader.work.charsSearched).toBeLessThanOrEqual(text.length + 32);
  });

  it('does linear work on a file where every other document is broken', () => {
    const good = (n: number) => doc(TITLE, `country="EP" doc-number="${n}" kind="A1" date-publ="20200101"`);
    const text = `<batch>
${Array.from({ length: 3000 }, (_, n) => (n % 2 ? good(n) : `${good(n).slice(0, 60)}&<p>`)).join('\n')}
</batch>`;
    for (const size of [text.length, 65_536, 333]) {
      const reader = new EpoXmlPatentReader('f.xml');
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      const { patents, errors } = readAll(reader, pieces);
      expect(patents).toHaveLength(1500);
      expect(errors).toHaveLength(1500);
      expect(reader.work.charsParsed + reader.work.charsSearched, `pieces of ${size}`).toBeLessThanOrEqual(2 * text.length);
    }
  });

  it('reports a document cut off by the end of its wrapper', () => {
    const text = `<batch>\n<ep-patent-document country="EP" doc-number="1" kind="A1" date-publ="20200101">${TITLE}<abstract>\n</batch>`;
    expect(readAllWays(text, 'f.xml').errors).toEqual([
      { line: 2, reason: 'truncated document: </batch> at line 3 before </ep-patent-document>', file: 'f.xml' },
    ]);
  });

  it('reports a document cut off by the end of the file', () => {
    const text = `${doc(TITLE)}\n<ep-patent-document country="EP" doc-number="2" kind="A1" date-publ="20200101">\n<SDOBI>${TITLE}`;
    const { patents, errors } = readAllWays(text, 'f.xml');
    expect(patents.map((p) => p.id)).toEqual(['EP1000001A1']);
    expect(errors).toEqual([{ line: 2, reason: 'truncated document: the file ends before </ep-patent-document>', file: 'f.xml' }]);
  });
});

describe('EpoXmlPatentReader: DOCDB exchange documents', () => {
  it('reads ipcr text and assembled CPC parts, reports the truncated document, in every chunking', () => {
    const { patents, errors } = readAllWays(fixture('ep-docdb.xml'), 'ep-docdb.xml');
    expect(patents).toEqual<RawPatent[]>([
      {
        line: 3,
        id: 'EP4100001A1',
        year: 2022, // the publication date, not the 2019 application date
        title: 'Method for training a sparse neural network',
        abstract: 'A method prunes the weights of a neural network during training while keeping accuracy.',
        rawCodes: ['G06N   3/08        20060101AFI20221102BHEP', 'G06N   3/04        20060101ALI20221102BHEP'],
      },
      {
        line: 28,
        id: 'EP4100003B1',
        year: 2023, // from date-publ: its publication-reference has no date
        title: 'Pilot pattern for a multi-carrier transmitter',
        abstract: 'Pilots are placed on a diagonal lattice.\nThe lattice is shifted every symbol.',
        rawCodes: ['H04L 27/2601', 'H04B 7/0413'], // the JP FI classification is not CPC/IPC
      },
    ]);
    expect(errors).toEqual([{ line: 21, reason: 'malformed XML: unterminated tag <exch:abstract> (line 27)', file: 'ep-docdb.xml' }]);
  });

  it('matches local names whatever the prefix, and takes the id from publication-reference', () => {
    const text = '<exchange-documents><exchange-document>'
      + '<bibliographic-data><publication-reference><document-id><country>US</country><doc-number>2021012345</doc-number>'
      + '<kind>A1</kind><date>20210128</date></document-id></publication-reference>'
      + '<x:invention-title lang="en">Widget</x:invention-title></bibliographic-data></exchange-document></exchange-documents>';
    expect(readAllWays(text).patents).toEqual([{ line: 1, id: 'US2021012345A1', year: 2021, title: 'Widget', rawCodes: [] }]);
  });
});

describe('localName', () => {
  it('strips namespace prefixes', () => {
    expect(localName('exch:exchange-document')).toBe('exchange-document');
    expect(localName('abstract')).toBe('abstract');
  });
});

describe('EpoXmlPatentReader: files that are not EPO XML', () => {
  it('rejects non-XML on the first push', () => {
    const reader = new EpoXmlPatentReader('patents.csv');
    expect(() => reader.push('  \nid,title\n1,A')).toThrow(NotAPatentFileError);
  });

  it('rejects XML without a patent document at the end, naming the root element', () => {
    const reader = new EpoXmlPatentReader('feed.xml');
    reader.push('<?xml version="1.0"?><rss><channel><title>News</title></channel></rss>');
    expect(() => reader.end()).toThrow(/feed\.xml does not look like a patent file: .*<rss>/);
  });

  it('rejects an empty file', () => {
    expect(() => new EpoXmlPatentReader('empty.xml').end()).toThrow(NotAPatentFileError);
  });
});
