import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../../src/core/codes';
import { encodeIpcTitles, parseIpcSource, serializeIpcTitles, shortenTitle } from '../../../src/core/reference/ipc-encode';
import { ipcLineage, parseIpcTitles } from '../../../src/core/reference/ipc-titles';
import { ReferenceFormatError, ReferenceSourceError } from '../../../src/core/reference/types';

/** A made-up excerpt in the source's layout; class G01 is left out as in the real source. */
const TSV = [
  'code\tlevel\tdepth\ttitle',
  'G\tsection\t0\tPHYSICS',
  'G01N\tsubclass\t0\tINVESTIGATING MATERIALS (measuring G01B)',
  'H\tsection\t0\tELECTRICITY',
  'H04\tclass\t0\tELECTRIC COMMUNICATION TECHNIQUE',
  'H04L\tsubclass\t0\tTRANSMISSION OF DIGITAL INFORMATION, e.g. TELEGRAPHIC COMMUNICATION (arrangements common to telegraphic and telephonic communication H04M)',
  'H04L 9/00\tmain_group\t0\tArrangements for secret communication (cryptography G09C; (see also H04K))',
  'H04L 9/06\tsubgroup\t1\tthe encryption apparatus using shift registers',
  'H04L 12/00\tmain_group\t0\tData switching networks (interconnection of, or transfer of information between, memories G06F 13/00)',
  '',
].join('\n');

function tinyTitles(tsv = TSV) {
  return parseIpcTitles(serializeIpcTitles(encodeIpcTitles(parseIpcSource(tsv), 'test source')));
}

describe('IPC title shortening', () => {
  it('cuts parenthesised cross-references, nested ones too, and keeps the words around them', () => {
    expect(shortenTitle('THRESHING (combines A01D 41/00); BALING OF STRAW (stacks A01D 85/00)')).toBe('THRESHING; BALING OF STRAW');
    expect(shortenTitle('Secret communication (cryptography G09C; (see also H04K)) in general')).toBe('Secret communication in general');
    expect(shortenTitle('SOIL WORKING FOR ENGINEERING (E01, E02, E21)')).toBe('SOIL WORKING FOR ENGINEERING');
  });

  it('keeps parentheses that name no IPC symbol, and a title that is nothing but a reference', () => {
    expect(shortenTitle('Ploughs with discs (rolling or not)')).toBe('Ploughs with discs (rolling or not)');
    expect(shortenTitle('(A01B takes precedence)')).toBe('(A01B takes precedence)');
  });
});

describe('IPC titles from a small source', () => {
  const titles = tinyTitles();

  it('keeps sections, classes, subclasses and main groups, not subgroups', () => {
    expect(titles.counts).toEqual({ sections: 2, classes: 1, subclasses: 2, mainGroups: 2, shortened: 4 });
    expect(titles.size).toBe(7);
    expect(titles.absentParents).toEqual(['G01']);
    expect(titles.exactTitle('H04L 9/06')).toBeNull();
    expect(titles.exactTitle('H04L 9/00')).toBe('Arrangements for secret communication');
    expect(titles.isShortened('H04L 9/00')).toBe(true);
    expect(titles.isShortened('H04')).toBe(false);
  });

  it('answers in the app\'s code spellings, falling back to the nearest ancestor', () => {
    const cases: [string, string | null, string | null, boolean][] = [
      ['H04L 9/00', 'H04L 9/00', 'main_group', true],
      ['H04L 9/06', 'H04L 9/00', 'main_group', false],
      ['H04L0009060000', 'H04L 9/00', 'main_group', false],
      ['h04l 9/06 (2006.01)', 'H04L 9/00', 'main_group', false],
      ['H04L 27/26', 'H04L', 'subclass', false],
      ['H04L', 'H04L', 'subclass', true],
      ['H04W', 'H04', 'class', false],
      ['H04', 'H04', 'class', true],
      ['h', 'H', 'section', true],
      ['G01N 33/00', 'G01N', 'subclass', false],
      ['G01B', 'G', 'section', false],
      ['Y02E 10/50', null, null, false],
      ['not a code', null, null, false],
    ];
    for (const [asked, code, level, exact] of cases) {
      const hit = titles.title(asked);
      expect(hit === null ? null : [hit.code, hit.level, hit.exact], asked).toEqual(code === null ? null : [code, level, exact]);
    }
    expect(titles.title('H04L 12/10')?.title).toBe('Data switching networks');
    expect(titles.title('G01B')?.title).toBe('PHYSICS');
  });

  it('looks codes up along the lineage codes.ts gives', () => {
    expect(ipcLineage('H04L 27/26')).toEqual(['H04L 27/26', 'H04L 27/00', 'H04L', 'H04', 'H']);
    expect(ipcLineage('H04L 27/00')).toEqual(['H04L 27/00', 'H04L', 'H04', 'H']);
    expect(ipcLineage('H04')).toEqual(['H04', 'H']);
    expect(ipcLineage('')).toEqual([]);
  });

  it('gives the same bytes twice, and other bytes for another title', () => {
    const encode = (tsv: string) => serializeIpcTitles(encodeIpcTitles(parseIpcSource(tsv), 'test source'));
    expect(encode(TSV)).toBe(encode(TSV));
    expect(encode(TSV.replace('PHYSICS', 'PHYSICS!'))).not.toBe(encode(TSV));
  });
});

describe('a malformed IPC source', () => {
  const header = 'code\tlevel\tdepth\ttitle\n';
  it.each([
    ['no header', 'H\tsection\t0\tELECTRICITY\n', /:1: expected the header/],
    ['an unknown level', `${header}H\tchapter\t0\tELECTRICITY\n`, /:2: level "chapter" is not one of/],
    ['a main group with a leading zero', `${header}H\tsection\t0\tE\nH04L\tsubclass\t0\tT\nH04L 09/00\tmain_group\t0\tX\n`, /:4: H04L 09\/00: not a main_group code in the app's spelling/],
    ['a level that does not fit the code', `${header}H04L\tclass\t0\tT\n`, /H04L: the code is a subclass, the row says class/],
    ['a code given twice', `${header}H\tsection\t0\tE\nH\tsection\t0\tE\n`, /:3: H: this code was given before/],
    ['a parent after its child', `${header}H04L\tsubclass\t0\tT\nH04\tclass\t0\tC\n`, /:3: H04: it comes after codes below it/],
    ['a missing cell', `${header}H\tsection\t0\t\n`, /:2: expected 4 non-empty tab-separated cells/],
  ])('stops on %s', (_, tsv, message) => {
    const run = () => encodeIpcTitles(parseIpcSource(tsv), 'test');
    expect(run).toThrow(ReferenceSourceError);
    expect(run).toThrow(message);
  });
});

describe('the bundled IPC title file', () => {
  const path = 'public/reference/ipc-titles.json';
  const text = readFileSync(path, 'utf8');
  const titles = parseIpcTitles(text);

  it('holds the 8 sections, 112 classes, 650 subclasses and 4,091 main groups, well under 1 MB', () => {
    expect(titles.counts).toMatchObject({ sections: 8, classes: 112, subclasses: 650, mainGroups: 4091 });
    expect(statSync(path).size).toBeLessThan(600_000);
  });

  it('keys every title in the app\'s normalised spelling', () => {
    for (const code of Object.keys(titles.toRecord())) {
      if (code.length > 3) expect(normalizeCode(code)).toBe(code);
    }
  });

  it('answers real codes, falling back where the source has no finer title', () => {
    expect(titles.title('A01B 1/02')).toEqual({ code: 'A01B 1/00', title: 'Hand tools', level: 'main_group', exact: false });
    expect(titles.title('A01B')).toMatchObject({ code: 'A01B', level: 'subclass', exact: true, title: 'SOIL WORKING IN AGRICULTURE OR FORESTRY; PARTS, DETAILS, OR ACCESSORIES OF AGRICULTURAL MACHINES OR IMPLEMENTS, IN GENERAL' });
    expect(titles.title('H04L')).toMatchObject({ code: 'H04L', level: 'subclass', exact: true });
    // The source has no title for class H04: a subclass's fallback goes to the section.
    expect(titles.title('H04Z')).toMatchObject({ code: 'H', level: 'section', exact: false, title: 'ELECTRICITY' });
    expect(titles.absentParents).toContain('H04');
  });

  const edits: [string, (file: Record<string, unknown>) => void, RegExp][] = [
    ['a key that is not a code', (f) => { (f.titles as Record<string, string>)['H04L 09/00'] = 'x'; }, /at titles\["H04L 09\/00"\]: the key is not/],
    ['an empty title', (f) => { (f.titles as Record<string, string>).A = ''; }, /at titles\["A"\]: expected a non-empty string/],
    ['a title edited', (f) => { (f.titles as Record<string, string>).A = 'HUMAN NEEDS'; }, /at "fingerprint": the file says/],
    ['a wrong count', (f) => { (f.counts as Record<string, number>).mainGroups = 1; }, /at counts.mainGroups: the file says 1 but holds 4091/],
    ['a newer version', (f) => { f.version = 9; }, /version 9 is newer than this app reads \(1\)/],
    ['no titles', (f) => { delete f.titles; }, /at "titles": expected a JSON object/],
  ];
  it.each(edits)('is refused with %s, naming the field', (_, edit, message) => {
    const file = JSON.parse(text) as Record<string, unknown>;
    edit(file);
    expect(() => parseIpcTitles(JSON.stringify(file))).toThrow(ReferenceFormatError);
    expect(() => parseIpcTitles(JSON.stringify(file))).toThrow(message);
  });

  it('is refused when it is not JSON', () => {
    expect(() => parseIpcTitles('<html>')).toThrow(/ipc-titles.json is malformed at the top level: not valid JSON/);
  });
});
