import { describe, expect, it } from 'vitest';
import { searchText, searchWords, TextIndex } from '../../../src/core/map/text-index';
import { mulberry32 } from '../../../src/core/random';

/** The reference: lower-case every text and test `includes` for every word. */
function naive(texts: string[], query: string): number[] | null {
  const words = searchWords(query);
  if (words.length === 0) return null;
  return texts.map((t) => (words.every((w) => t.toLowerCase().includes(w)) ? 1 : 0));
}

describe('TextIndex', () => {
  it('finds rows holding every word, case-insensitive; null for an empty query', () => {
    const index = new TextIndex();
    for (const t of ['Lithium ANODE coating', 'wind blade', 'lithium cathode', '']) index.add(t);
    expect(Array.from(index.matches(' LITHIUM  anode') ?? [])).toEqual([1, 0, 0, 0]);
    expect(Array.from(index.matches('lithium') ?? [])).toEqual([1, 0, 1, 0]);
    expect(index.matches('   ')).toBeNull();
    expect(index.size).toBe(4);
  });

  it('never matches across two rows, even where one ends as the next begins', () => {
    const index = new TextIndex();
    index.add('abc');
    index.add('def');
    expect(Array.from(index.matches('cd') ?? [])).toEqual([0, 0]);
    expect(Array.from(index.matches('c\u0000d') ?? [])).toEqual([0, 0]);
  });

  it('agrees with the naive search on seeded random texts, including rows added after a search', () => {
    const rng = mulberry32(7);
    const letters = 'abcde ';
    const texts = Array.from({ length: 400 }, () => Array.from({ length: Math.floor(rng() * 30) }, () => letters[Math.floor(rng() * letters.length)]).join(''));
    const index = new TextIndex();
    texts.slice(0, 200).forEach((t) => index.add(t));
    expect(Array.from(index.matches('ab') ?? [])).toEqual(naive(texts.slice(0, 200), 'ab'));
    texts.slice(200).forEach((t) => index.add(t));
    for (const query of ['a', 'ab c', 'dd ee', 'abcde', 'ba ab']) expect(Array.from(index.matches(query) ?? []), query).toEqual(naive(texts, query));
  });

  it('searches the id, title, abstract and codes of a patent', () => {
    expect(searchText({ id: 'P1', title: 'Blade', abstract: 'wind', codes: ['F03D 1/06'] })).toBe('P1 Blade wind F03D 1/06');
    expect(searchText({ id: 'P2', title: 'Only title' })).toBe('P2 Only title  ');
  });
});
