import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../../src/core/prefilter/fusion';
import type { TopK } from '../../../src/core/similarity';

function ranking(k: number, lists: number[][], scores: number[][]): TopK {
  return { k, rows: lists.length, indices: Int32Array.from(lists.flat()), scores: Float32Array.from(scores.flat()) };
}

describe('reciprocalRankFusion', () => {
  const embedding = ranking(3, [[5, 2, 7]], [[0.9, 0.8, 0.7]]);
  const bm25 = ranking(3, [[2, 9, 5]], [[12, 8, 3]]);

  it('fuses a hand-made example with c = 60, keeping each component', () => {
    const fused = reciprocalRankFusion([embedding, bm25], { k: 5 });
    // 2: 1/62 + 1/61 · 5: 1/61 + 1/63 · 9: 1/62 · 7: 1/63.
    expect(Array.from(fused.indices)).toEqual([2, 5, 9, 7, -1]);
    const want = [1 / 62 + 1 / 61, 1 / 61 + 1 / 63, 1 / 62, 1 / 63];
    want.forEach((w, i) => expect(fused.scores[i]).toBeCloseTo(w, 7));
    expect(fused.scores[4]).toBe(-Infinity);
    expect(Array.from(fused.components[0].ranks)).toEqual([2, 1, 0, 3, 0]);
    expect(Array.from(fused.components[1].ranks)).toEqual([1, 3, 2, 0, 0]);
    expect(Array.from(fused.components[0].scores)).toEqual([Math.fround(0.8), Math.fround(0.9), NaN, Math.fround(0.7), NaN]);
    expect(Array.from(fused.components[1].scores)).toEqual([12, 3, 8, NaN, NaN]);
  });

  it('defaults k to the longest input and truncates to it', () => {
    const fused = reciprocalRankFusion([embedding, bm25]);
    expect(fused.k).toBe(3);
    expect(Array.from(fused.indices)).toEqual([2, 5, 9]);
  });

  it('breaks ties by best component rank, then lower index', () => {
    // c = 0: 7 → 1, 9 → 1, 8 → 1/2 + 1/2 = 1, all equal.
    const a = ranking(2, [[7, 8], [1, 3]], [[1, 1], [1, 1]]);
    const b = ranking(2, [[9, 8], [3, 1]], [[1, 1], [1, 1]]);
    const fused = reciprocalRankFusion([a, b], { c: 0, k: 3 });
    expect(Array.from(fused.indices)).toEqual([7, 9, 8, 1, 3, -1]);
  });

  it('applies weights, skips padding and rejects mismatched rows', () => {
    const padded = ranking(3, [[4, -1, -1]], [[1, -Infinity, -Infinity]]);
    const fused = reciprocalRankFusion([embedding, padded], { weights: [1, 10], k: 2 });
    expect(Array.from(fused.indices)).toEqual([4, 5]);
    expect(fused.scores[0]).toBeCloseTo(10 / 61, 7);
    expect(() => reciprocalRankFusion([embedding, ranking(1, [[1], [2]], [[1], [1]])])).toThrow(RangeError);
    expect(() => reciprocalRankFusion([])).toThrow(RangeError);
  });
});
