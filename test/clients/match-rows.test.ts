import { describe, expect, it } from 'vitest';
import { countAbove, rankByProbability } from '../../src/clients/match-rows';

describe('match ranking', () => {
  it('ranks by P(Yes), highest first, ties in score order; counts the answers above a threshold', () => {
    const p = Float32Array.from([0.2, 0.9, 0.5, 0.9, 0.1]);
    expect(Array.from(rankByProbability(p))).toEqual([1, 3, 2, 0, 4]);
    expect(countAbove(p, 0.5)).toBe(3);
    expect(countAbove(p, 0.95)).toBe(0);
  });
});
