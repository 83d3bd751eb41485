import { describe, expect, it } from 'vitest';
import { meanPoolMasked } from '../../src/core/pooling';

describe('meanPoolMasked', () => {
  it('averages only unmasked positions of each sequence', () => {
    // batch 2, seqLen 3, dim 2
    const hidden = new Float32Array([1, 2, 3, 4, 100, 100, /* second */ 5, 6, 7, 8, 9, 10]);
    const mask = [1, 1, 0, 1, 1, 1];
    expect(Array.from(meanPoolMasked(hidden, mask, 2, 3, 2))).toEqual([2, 3, 7, 8]);
  });

  it('leaves an all-padding sequence as a zero vector instead of NaN', () => {
    const out = meanPoolMasked(new Float32Array([1, 1]), [0n], 1, 1, 2);
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('rejects a hidden-state shape that does not match', () => {
    expect(() => meanPoolMasked(new Float32Array(5), [1, 1], 1, 2, 2)).toThrow(/expected 1×2×2/);
  });
});
