import { describe, expect, it } from 'vitest';
import { joinEmbeddings, splitEmbeddings } from '../../src/store/embedding-chunks';

describe('embedding chunks', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const vectors = Float32Array.from({ length: 10 }, (_, i) => i);

  it('splits into row-bounded chunks that own their buffers, and joins back', () => {
    const chunks = splitEmbeddings('ds', 'm', ids, vectors, 2, 2);
    expect(chunks.map((c) => [c.chunk, c.ids.length, c.vectors.length])).toEqual([[0, 2, 4], [1, 2, 4], [2, 1, 2]]);
    // Each chunk owns a buffer of its own size, so storing it doesn't store the whole matrix.
    expect(chunks.map((c) => c.vectors.buffer.byteLength)).toEqual([16, 16, 8]);
    expect(joinEmbeddings('m', chunks)).toEqual({ modelId: 'm', dim: 2, ids, vectors });
  });

  it('handles no rows', () => {
    expect(splitEmbeddings('ds', 'm', [], new Float32Array(0), 4)).toEqual([]);
  });

  it('refuses inconsistent chunks', () => {
    const chunks = splitEmbeddings('ds', 'm', ids, vectors, 2, 2);
    expect(() => joinEmbeddings('m', [chunks[0], chunks[2]])).toThrow(/chunk 1 of m is missing/);
    expect(() => joinEmbeddings('m', [chunks[0], { ...chunks[1], dim: 3 }])).toThrow(/disagree on dim: 2 and 3/);
    expect(() => splitEmbeddings('ds', 'm', ids, vectors, 0)).toThrow(RangeError);
  });
});
