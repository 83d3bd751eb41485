import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/auc';
import { pairedAucDifference } from '../../../src/core/forecast/paired-bootstrap';
import { mulberry32 } from '../../../src/core/random';

/** All pairs of `codes` codes; half the codes are "informative": A ranks their pairs well, elsewhere A is noise. */
function constructed(codes: number, seed: number) {
  const rng = mulberry32(seed);
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < codes; i++) for (let j = i + 1; j < codes; j++) { first.push(i); second.push(j); }
  const n = first.length;
  const labels = new Uint8Array(n);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    labels[c] = rng() < 0.3 ? 1 : 0;
    const informative = first[c] % 2 === 0 || second[c] % 2 === 0;
    a[c] = informative ? labels[c] + 0.8 * rng() : rng();
    b[c] = rng();
  }
  return { labels, a, b, candidates: { first: Uint32Array.from(first), second: Uint32Array.from(second), codeCount: codes, length: n } };
}

describe('paired bootstrap of an AUC difference, resampling codes', () => {
  it('finds a known difference: the full-data difference is AUC(A) − AUC(B) and the interval holds it, above 0', () => {
    const { labels, a, b, candidates } = constructed(40, 3);
    const result = pairedAucDifference(['a', 'b'], a, b, labels, candidates, { replicates: 300 });
    expect(result.difference).toBeCloseTo(rocAuc(a, labels) - rocAuc(b, labels), 12);
    expect(result.difference).toBeGreaterThan(0.25);
    expect(result.low).toBeLessThan(result.difference);
    expect(result.high).toBeGreaterThan(result.difference);
    expect(result.low).toBeGreaterThan(0);
    expect(result.shareNotAbove).toBe(0);
  });

  it('a method against itself differs by exactly 0 in every replicate', () => {
    const { labels, a, candidates } = constructed(20, 5);
    const result = pairedAucDifference(['a', 'a'], a, a, labels, candidates);
    expect([result.difference, result.low, result.high]).toEqual([0, 0, 0]);
  });

  it('is wider than resampling pairs when the difference is carried by codes', () => {
    const { labels, a, b, candidates } = constructed(60, 7);
    const codes = pairedAucDifference(['a', 'b'], a, b, labels, candidates, { replicates: 400, resample: 'codes' });
    const pairs = pairedAucDifference(['a', 'b'], a, b, labels, candidates, { replicates: 400, resample: 'pairs' });
    expect(codes.difference).toBe(pairs.difference);
    expect(codes.high - codes.low).toBeGreaterThan(1.3 * (pairs.high - pairs.low));
  });
});
