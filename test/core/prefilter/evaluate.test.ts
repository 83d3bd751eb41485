import { describe, expect, it } from 'vitest';
import { meanReciprocalRank, rankingQuality, recallAtK, referenceRanks } from '../../../src/core/prefilter/evaluate';

describe('ranking evaluation', () => {
  const ranking = { rows: 4, k: 3, indices: Int32Array.from([3, 1, 2, 0, 4, -1, 5, 6, 7, 1, 2, 3]) };
  // Row 0 finds 1 at rank 2, row 1 misses 5, row 2 finds 5 at rank 1, row 3 has no reference.
  const reference = [1, 5, 5, -1];

  it('finds each reference rank', () => {
    expect(Array.from(referenceRanks(ranking, reference))).toEqual([2, 0, 1, -1]);
  });

  it('computes recall@k and MRR over rows with a reference', () => {
    const quality = rankingQuality(ranking, reference, [1, 2, 3, 10]);
    expect(quality.evaluated).toBe(3);
    expect(quality.recall[1]).toBeCloseTo(1 / 3, 12);
    expect(quality.recall[2]).toBeCloseTo(2 / 3, 12);
    expect(quality.recall[10]).toBeCloseTo(2 / 3, 12);
    expect(quality.mrr).toBeCloseTo((1 / 2 + 0 + 1) / 3, 12);
    expect(recallAtK(ranking, reference, 1)).toBeCloseTo(1 / 3, 12);
    expect(meanReciprocalRank(ranking, reference)).toBeCloseTo(0.5, 12);
  });

  it('says NaN without references and rejects bad input', () => {
    expect(meanReciprocalRank(ranking, [-1, -1, -1, -1])).toBeNaN();
    expect(() => referenceRanks(ranking, [1, 2])).toThrow(RangeError);
    expect(() => recallAtK(ranking, reference, 0)).toThrow(RangeError);
  });
});
