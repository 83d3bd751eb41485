import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';

/** The definition: pairs (positive, negative), 1 when the positive scores higher, 1/2 on a tie. */
function pairwiseAuc(scores: number[], labels: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => scores.forEach((n, j) => {
    if (!labels[i] || labels[j]) return;
    pairs++;
    wins += p > n ? 1 : p === n ? 0.5 : 0;
  }));
  return wins / pairs;
}

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 1/2 when everything ties', () => {
    expect(rocAuc([0.1, 0.4, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.4, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
  });

  it('counts ties as one half, as computed by hand', () => {
    // Positives 0.8, 0.5; negatives 0.5, 0.2, 0.1: pairs 6, wins 3 + 2.5 = 5.5.
    expect(rocAuc([0.8, 0.5, 0.5, 0.2, 0.1], [1, 1, 0, 0, 0])).toBeCloseTo(5.5 / 6, 12);
  });

  it('equals the pairwise definition on random data with many ties', () => {
    let seed = 3;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scores = Array.from({ length: 300 }, () => Math.round(next() * 20) / 20);
    const labels = scores.map((s) => next() < 0.3 + s * 0.4);
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  it('is undefined (NaN) without both classes', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});
