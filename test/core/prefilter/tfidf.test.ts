import { describe, expect, it } from 'vitest';
import { TfidfIndex } from '../../../src/core/prefilter/tfidf';

describe('TF-IDF cosine', () => {
  // Three documents; "filter" in two of them, "dust" in one, "water" in one.
  const docs = ['filter dust', 'filter water water', 'burner'];
  const idf = (df: number) => Math.log((1 + 3) / (1 + df)) + 1;

  it('scores a query by the cosine of sublinear tf × smoothed idf vectors, worked by hand', () => {
    const index = new TfidfIndex(docs);
    const cos = index.cosines('dust filter');
    // Query = doc 0's words once each: cosine 1 with doc 0.
    expect(cos[0]).toBeCloseTo(1, 6);
    // Doc 1: filter (tf 1) and water (tf 2 → 1 + ln 2); the query shares only "filter".
    const f = idf(2);
    const w = (1 + Math.log(2)) * idf(1);
    const q = Math.hypot(idf(1), f);
    expect(cos[1]).toBeCloseTo((f * f) / (q * Math.hypot(f, w)), 6);
    expect(cos[2]).toBe(0);
  });

  it('ranks top-k per query, ties to the lower index, documents sharing no word unranked', () => {
    const index = new TfidfIndex(['a b', 'a b', 'c']);
    const top = index.search(['b a', 'zzz'], 3);
    expect(Array.from(top.indices)).toEqual([0, 1, -1, -1, -1, -1]);
    expect(top.scores[0]).toBeCloseTo(1, 6);
    expect(top.scores[2]).toBe(-Infinity);
  });

  it('ignores words the documents do not have, and stops when aborted', () => {
    const index = new TfidfIndex(docs);
    expect(index.cosines('burner unknownword')[2]).toBeCloseTo(1, 6);
    const controller = new AbortController();
    controller.abort();
    expect(() => index.search(['filter'], 1, { signal: controller.signal })).toThrow();
  });
});
