import { describe, expect, it } from 'vitest';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import type { Patent } from '../../src/core/types';

const patent = (id: string, codes: string[]): Patent => ({ id, year: 2000, title: id, codes });

describe('meanOfPatentVectors', () => {
  it('averages the vectors of the patents carrying each code, codes sorted, duplicates counted once', () => {
    const patents = [patent('a', ['H04L', 'G06F']), patent('b', ['G06F', 'G06F']), patent('c', ['H04L'])];
    const vectors = new Float32Array([1, 0, /* b */ 0, 1, /* c */ 3, 3]);
    const result = meanOfPatentVectors(patents, vectors, 2, 'subclass');
    expect(result.codes).toEqual(['G06F', 'H04L']);
    expect(Array.from(result.counts)).toEqual([2, 2]);
    expect(Array.from(result.vectors)).toEqual([0.5, 0.5, 2, 1.5]);
    expect(result.method).toBe('mean-of-patents');
  });

  it('aggregates at the requested level and skips codes too coarse for it', () => {
    const patents = [patent('a', ['H04L 27/26', 'H04L 27/34']), patent('b', ['H04L 12/00']), patent('c', ['H04L'])];
    const vectors = new Float32Array([1, 0, /* b */ 0, 1, /* c */ 1, 1]);
    expect(meanOfPatentVectors(patents, vectors, 2, 'subclass').codes).toEqual(['H04L']);
    expect(Array.from(meanOfPatentVectors(patents, vectors, 2, 'subclass').counts)).toEqual([3]);
    const groups = meanOfPatentVectors(patents, vectors, 2, 'main_group');
    expect(groups.codes).toEqual(['H04L 12/00', 'H04L 27/00']);
    expect(Array.from(groups.counts)).toEqual([1, 1]);
    expect(meanOfPatentVectors(patents, vectors, 2, 'subgroup').codes).toEqual(['H04L 12/00', 'H04L 27/26', 'H04L 27/34']);
  });

  it('rejects vectors whose length does not match the patents', () => {
    expect(() => meanOfPatentVectors([patent('a', ['X'])], new Float32Array(3), 2, 'subclass')).toThrow(/expected 1×2/);
  });
});
