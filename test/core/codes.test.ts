import { describe, expect, it } from 'vitest';
import { codeAt, normalizeCode, parseCode, splitCodeCell } from '../../src/core/codes';

describe('parseCode', () => {
  it('splits a subgroup code into every level', () => {
    expect(parseCode('H04L 27/26')).toEqual({
      canonical: 'H04L 27/26',
      section: 'H',
      class: 'H04',
      subclass: 'H04L',
      mainGroup: 'H04L 27/00',
      subgroup: 'H04L 27/26',
    });
  });

  it.each([
    ['H04L 27/26', 'H04L 27/26'],
    ['H04L27/26', 'H04L 27/26'],
    ['h04l 27/26', 'H04L 27/26'],
    ['  H04L 27/26 \t', 'H04L 27/26'],
    ['H04L  27/26  (2006.01)', 'H04L 27/26'],
    ['H04L 27/26 (20060101)', 'H04L 27/26'],
    ['H04L27/26(2006.01)', 'H04L 27/26'],
    ['H04L 027/26', 'H04L 27/26'],
    ['H04L 27 / 26', 'H04L 27/26'],
    // EPO / DOCDB 14-character form: 4-digit main group, 6-digit left-aligned subgroup.
    ['H04L0027260000', 'H04L 27/26'],
    ['H01L0021033000', 'H01L 21/033'],
    ['H04L0027000000', 'H04L 27/00'],
    ['G06F0016901000', 'G06F 16/901'],
    ['A61K0031416700', 'A61K 31/4167'],
    // EPO ipcr text: version date, level, office… after the code.
    ['H04J  11/00        20060101AFI20160817BHEP', 'H04J 11/00'],
    ['H01M  10/0525      20100101ALI20120301BHEP', 'H01M 10/0525'],
    // CPC codes, including Y-section tagging codes and 4-digit main groups.
    ['Y02E 10/50', 'Y02E 10/50'],
    ['Y02E10/50', 'Y02E 10/50'],
    ['H04L 27/2601', 'H04L 27/2601'],
    ['Y10S 903/00', 'Y10S 903/00'],
    ['H01L 2224/48091', 'H01L 2224/48091'],
    ['F25B2400/13', 'F25B 2400/13'],
    // Subgroup digits are a decimal fraction: trailing zeros after two digits are dropped.
    ['H01L 21/0330', 'H01L 21/033'],
    ['H01L 21/30', 'H01L 21/30'],
    // Old EPO B511-B515 form: IPC edition digit, a space inside the subclass, position letter.
    ['7H 04L  27/26   A', 'H04L 27/26'],
    ['7H 04B   1/707  B', 'H04B 1/707'],
    ['5G 06F  15/20', 'G06F 15/20'],
    ['H 04L 27/26', 'H04L 27/26'],
    ['7H04L 27/26', 'H04L 27/26'],
    ['H04L 27/26 A', 'H04L 27/26'],
    ['7H 04L', 'H04L'],
    // A hyphen between subclass and group.
    ['H04L-27/26', 'H04L 27/26'],
    ['H04L-27/2601', 'H04L 27/2601'],
    // Subclass only.
    ['H04L', 'H04L'],
    ['h04l ', 'H04L'],
    ['H04L (2006.01)', 'H04L'],
  ])('normalises %j to %j', (raw, canonical) => {
    expect(normalizeCode(raw)).toBe(canonical);
  });

  it('makes a subclass-only code valid with no group levels', () => {
    expect(parseCode('H04L')).toEqual({ canonical: 'H04L', section: 'H', class: 'H04', subclass: 'H04L', mainGroup: null, subgroup: null });
  });

  it('treats a main-group code as its own subgroup-level code', () => {
    const parsed = parseCode('H04L 27/00');
    expect(parsed?.mainGroup).toBe('H04L 27/00');
    expect(parsed?.subgroup).toBe('H04L 27/00');
  });

  it.each([
    '', '   ', 'H04', 'H', 'X04L', 'I04L 27/26', 'H04L 27', 'H04L 27/', 'H04L /26', 'H04L 27/2', 'H04L 27/1234567',
    '1234', 'H4L 27/26', 'H04L 12345/00', 'H04L 0/00', 'H04L0000000000', 'H04L002726000', 'H04L00272600001',
    'wireless communication', 'H04L 27/26 is a code', 'H04L 27/26; H04B 7/04', 'HO4L 27/26',
    '9H 04L 27/26', '7 H04L 27/26', 'H  04L 27/26', 'H04L--27/26', 'H04L- 27', 'H04L 27/26 AB', '77H 04L 27/26',
  ])('rejects %j', (raw) => {
    expect(parseCode(raw)).toBeNull();
    expect(normalizeCode(raw)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    const junk: unknown[] = [null, undefined, 42, {}, [], 'H04L\u0000 27/26', '\uFFFD', 'H04L 27/26'.repeat(1000)];
    for (const value of junk) expect(() => parseCode(value as string)).not.toThrow();
  });
});

describe('codeAt', () => {
  it('gives the code at each level', () => {
    expect(codeAt('subclass', 'H04L 27/26')).toBe('H04L');
    expect(codeAt('main_group', 'H04L 27/26')).toBe('H04L 27/00');
    expect(codeAt('subgroup', 'H04L 27/26')).toBe('H04L 27/26');
    expect(codeAt('main_group', 'H04L 27/00')).toBe('H04L 27/00');
    expect(codeAt('subgroup', 'H04L 27/00')).toBe('H04L 27/00');
  });

  it('is null when the code is too coarse for the level, or not a code', () => {
    expect(codeAt('subclass', 'H04L')).toBe('H04L');
    expect(codeAt('main_group', 'H04L')).toBeNull();
    expect(codeAt('subgroup', 'H04L')).toBeNull();
    expect(codeAt('subclass', 'not a code')).toBeNull();
  });
});

describe('splitCodeCell', () => {
  it('picks the first separator present: ;; then ; then | then newline then ,', () => {
    expect(splitCodeCell('H04L27/2601;;H04L5/0007')).toEqual(['H04L27/2601', 'H04L5/0007']);
    expect(splitCodeCell('H04L 27/26 (2006.01); H04B 7/04 (2006.01)')).toEqual(['H04L 27/26 (2006.01)', 'H04B 7/04 (2006.01)']);
    expect(splitCodeCell('G01S 7/481 | G01S 17/931')).toEqual(['G01S 7/481', 'G01S 17/931']);
    expect(splitCodeCell('H01M 4/134\r\nH01M 10/0525')).toEqual(['H01M 4/134', 'H01M 10/0525']);
    expect(splitCodeCell('B01J 23/46, C01C 1/04')).toEqual(['B01J 23/46', 'C01C 1/04']);
    expect(splitCodeCell('H04L 27/26 (2006.01), H04B 7/04 (2006.01)')).toEqual(['H04L 27/26 (2006.01)', 'H04B 7/04 (2006.01)']);
  });

  it('keeps a single code whole and drops empty pieces', () => {
    expect(splitCodeCell('H04J  11/00        20060101AFI20160817BHEP')).toEqual(['H04J  11/00        20060101AFI20160817BHEP']);
    expect(splitCodeCell('')).toEqual([]);
    expect(splitCodeCell('  ')).toEqual([]);
    expect(splitCodeCell('H04L;;;;H04B;;')).toEqual(['H04L', 'H04B']);
  });

  it('uses an explicit separator when given', () => {
    expect(splitCodeCell('H04L 27/26;H04B 7/04', ';;')).toEqual(['H04L 27/26;H04B 7/04']);
    expect(splitCodeCell('H04L 27/26 / H04B 7/04', ' / ')).toEqual(['H04L 27/26', 'H04B 7/04']);
  });

  it('yields pieces that all normalise (raw strings, normalised later by the engine)', () => {
    const pieces = splitCodeCell('H04L0027260000;;H01L0021033000;;Y02E10/50');
    expect(pieces.map(normalizeCode)).toEqual(['H04L 27/26', 'H01L 21/033', 'Y02E 10/50']);
  });
});
