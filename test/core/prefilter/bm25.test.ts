import { describe, expect, it } from 'vitest';
import { isAbortError } from '../../../src/core/abort';
import { Bm25Index } from '../../../src/core/prefilter/bm25';
import { tokenize } from '../../../src/core/prefilter/tokenize';

describe('tokenize', () => {
  it('lower-cases, splits on non-letters/digits and drops stop words', () => {
    expect(tokenize('The NOx-reduction, of SO2 and Abgasreinigung!  (wet)')).toEqual(['nox', 'reduction', 'so2', 'abgasreinigung', 'wet']);
    expect(tokenize(' ... ')).toEqual([]);
  });
});

describe('Bm25Index', () => {
  // Tokens: d0 catalytic filter dust (3) · d1 dust filter dust removal (4) · d2 water treatment (2).
  const docs = ['Catalytic filter for dust', 'Dust filter; dust removal', 'Water treatment'];
  const index = new Bm25Index(docs);

  it('scores a hand-computed example (k1 1.2, b 0.75)', () => {
    // N = 3, avgdl = 9 / 3 = 3; "dust" and "filter" are each in 2 documents:
    // idf = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6.
    const idf = Math.log(1.6);
    expect(index.averageLength).toBe(3);
    expect(index.idf('dust')).toBeCloseTo(idf, 12);
    expect(index.idf('water')).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 12);
    // d0: |d| = 3, norm = 1.2 · (0.25 + 0.75 · 1) = 1.2; tf 1 each: 2.2 / 2.2 = 1 per term.
    const d0 = 2 * idf;
    // d1: |d| = 4, norm = 1.2 · (0.25 + 0.75 · 4/3) = 1.5; dust tf 2: 4.4 / 3.5; filter tf 1: 2.2 / 2.5.
    const d1 = idf * (4.4 / 3.5 + 2.2 / 2.5);
    const scores = index.scoreAll('dust filter');
    expect(scores[0]).toBeCloseTo(d0, 12);
    expect(scores[1]).toBeCloseTo(d1, 12);
    expect(scores[2]).toBe(0);

    const top = index.search(['dust filter'], 3);
    expect(Array.from(top.indices)).toEqual([1, 0, -1]);
    expect(top.scores[0]).toBeCloseTo(d1, 6);
    expect(top.scores[1]).toBeCloseTo(d0, 6);
    expect(top.scores[2]).toBe(-Infinity);
  });

  it('counts a repeated query term once, and ignores case, stop words and unknown words', () => {
    expect(Array.from(index.scoreAll('DUST, dust and the Filter zeolite'))).toEqual(Array.from(index.scoreAll('dust filter')));
    const none = index.search(['zeolite of the'], 2);
    expect(Array.from(none.indices)).toEqual([-1, -1]);
  });

  it('b = 0 ignores length and k1 = 0 ignores term frequency', () => {
    const flat = new Bm25Index(docs, { b: 0 });
    // norm = k1 for every document: d1 = idf · (2 · 2.2 / 3.2 + 2.2 / 2.2).
    expect(flat.scoreAll('dust filter')[1]).toBeCloseTo(Math.log(1.6) * (4.4 / 3.2 + 1), 12);
    const binary = new Bm25Index(docs, { k1: 0 });
    expect(binary.scoreAll('dust filter')[1]).toBeCloseTo(2 * Math.log(1.6), 12);
    expect(() => new Bm25Index(docs, { b: 2 })).toThrow(RangeError);
  });

  it('breaks ties to the lower document index', () => {
    const same = new Bm25Index(['scrubber water', 'bag filter', 'scrubber water', 'scrubber water']);
    const top = same.search(['scrubber'], 4);
    expect(Array.from(top.indices)).toEqual([0, 2, 3, -1]);
    expect(top.scores[0]).toBe(top.scores[1]);
  });

  it('ranks several queries, each row its own', () => {
    const top = index.search(['water', 'catalytic dust', ''], 2);
    expect(top.rows).toBe(3);
    expect(Array.from(top.indices)).toEqual([2, -1, 0, 1, -1, -1]);
  });

  it('an empty index ranks nothing', () => {
    const empty = new Bm25Index([]);
    expect(Array.from(empty.search(['dust'], 2).indices)).toEqual([-1, -1]);
    const blank = new Bm25Index(['', 'the of']);
    expect(blank.averageLength).toBe(0);
    expect(Array.from(blank.search(['dust'], 1).indices)).toEqual([-1]);
  });

  it('reports progress and stops between queries when aborted', () => {
    const queries = Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? 'dust' : 'water'));
    const ticks: number[] = [];
    index.search(queries, 1, { onProgress: (done) => ticks.push(done) });
    expect(ticks).toEqual([256, 512, 600]);
    const controller = new AbortController();
    let error: unknown;
    try {
      index.search(queries, 1, { signal: controller.signal, onProgress: () => controller.abort() });
    } catch (e) {
      error = e;
    }
    expect(isAbortError(error)).toBe(true);
  });
});
