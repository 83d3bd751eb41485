import { describe, expect, it } from 'vitest';
import { selectCandidates } from '../../../src/core/forecast/candidates';
import { countWindow, indexPatents, pairKey, splitPairKey } from '../../../src/core/forecast/cooccurrence';
import { parseWindows } from '../../../src/core/forecast/windows';

const patents = [
  { id: 'old', year: 1990, codes: ['A01B 1/00', 'B01D 3/02'] }, // A01B–B01D combined long ago
  { id: 'e1', year: 2006, codes: ['A01B 1/00', 'C07K 3/00', 'A01B 5/00'] }, // A01B–C07K combined in the embedding window
  { id: 'e2', year: 2008, codes: ['B01D 1/00'] },
  { id: 'e3', year: 2010, codes: ['D21H 7/00'] },
  { id: 'late', year: 2011, codes: ['B01D 3/00', 'E04B 1/00', 'D21H 7/00'] }, // after the embedding window: does not count as "ever"
  { id: 'nocode', year: 2007, codes: ['not a code'] },
];

describe('co-occurrence counts and candidate pairs', () => {
  it('indexes distinct codes per patent at the level and drops patents without one', () => {
    const indexed = indexPatents(patents, 'subclass');
    expect(indexed.codes).toEqual(['A01B', 'B01D', 'C07K', 'D21H', 'E04B']);
    expect(indexed.ids).toEqual(['old', 'e1', 'e2', 'e3', 'late']);
    // e1 carries A01B twice at subclass level: counted once.
    expect([...indexed.codeIds.subarray(indexed.offsets[1], indexed.offsets[2])]).toEqual([0, 2]);
    const counts = countWindow(indexed, { from: 2006, to: 2011 });
    expect(counts.patents).toBe(4);
    expect([...counts.codePatents]).toEqual([1, 2, 1, 2, 1]);
    expect([...counts.patentCodeCounts]).toEqual([2, 1, 1, 3]);
    expect(counts.pairs.get(pairKey(0, 2, 5))).toBe(1);
    expect(counts.pairs.get(pairKey(3, 1, 5))).toBe(1);
    expect(counts.pairs.size).toBe(4);
    expect(splitPairKey(pairKey(4, 1, 5), 5)).toEqual([1, 4]);
  });

  it('keeps pairs of embedding-window codes never combined up to the end of the embedding window', () => {
    const indexed = indexPatents(patents, 'subclass');
    const { pairs, embedCodes } = selectCandidates(indexed, parseWindows('-2005,2006-2010,2011-2015'));
    const names = Array.from({ length: pairs.length }, (_, c) => `${indexed.codes[pairs.first[c]]}|${indexed.codes[pairs.second[c]]}`);
    // Embedding codes: A01B, B01D, C07K, D21H (E04B only appears later). Known: A01B|B01D (1990), A01B|C07K (2006).
    expect([...embedCodes].map((i) => indexed.codes[i])).toEqual(['A01B', 'B01D', 'C07K', 'D21H']);
    expect(names).toEqual(['A01B|D21H', 'B01D|C07K', 'B01D|D21H', 'C07K|D21H']);
  });

  it('counts a combination made before the learning window as known', () => {
    const indexed = indexPatents(patents, 'subclass');
    const { pairs } = selectCandidates(indexed, parseWindows('2000-2005,2006-2010,2011-2015'));
    const names = Array.from({ length: pairs.length }, (_, c) => `${indexed.codes[pairs.first[c]]}|${indexed.codes[pairs.second[c]]}`);
    expect(names).not.toContain('A01B|B01D');
  });

  it('works at main-group level where the same subclass pair may be new', () => {
    const indexed = indexPatents(patents, 'main_group');
    const { pairs } = selectCandidates(indexed, parseWindows('-2005,2006-2010,2011-2015'));
    const names = Array.from({ length: pairs.length }, (_, c) => `${indexed.codes[pairs.first[c]]}|${indexed.codes[pairs.second[c]]}`);
    expect(names).toContain('A01B 1/00|B01D 1/00'); // only B01D 3/00 met A01B 1/00 in 1990
    expect(names).not.toContain('A01B 1/00|A01B 5/00');
  });
});
