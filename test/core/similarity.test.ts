import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import {
  cosineBlock,
  naiveCosineMatrix,
  normalizeRows,
  similarityTopK,
  topkRows,
  type TopK,
} from '../../src/core/similarity';

/** Top-k by the definition: sort (score desc, column asc) and take k, skipping one column. */
function naiveTopK(scores: ArrayLike<number>, rows: number, cols: number, k: number, excluded?: (row: number) => number): TopK {
  const indices = new Int32Array(rows * k).fill(-1);
  const top = new Float32Array(rows * k).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    const candidates: Array<{ col: number; score: number }> = [];
    for (let c = 0; c < cols; c++) {
      if (c !== excluded?.(r) && !Number.isNaN(scores[r * cols + c])) candidates.push({ col: c, score: scores[r * cols + c] });
    }
    candidates.sort((x, y) => y.score - x.score || x.col - y.col);
    candidates.slice(0, k).forEach(({ col, score }, i) => {
      indices[r * k + i] = col;
      top[r * k + i] = score;
    });
  }
  return { k, rows, indices, scores: top };
}

/** Quantised random scores, so that exact ties are common. */
function tiedScores(seed: number, rows: number, cols: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: rows * cols }, () => Math.round(rng() * 8) / 8 - 0.5);
}

describe('mulberry32 / randomNormalMatrix', () => {
  it('gives the same sequence for the same seed and a different one otherwise', () => {
    const a = randomNormalMatrix(mulberry32(7), 3, 5);
    expect(randomNormalMatrix(mulberry32(7), 3, 5)).toEqual(a);
    expect(randomNormalMatrix(mulberry32(8), 3, 5)).not.toEqual(a);
  });

  it('draws roughly standard normal values', () => {
    const x = randomNormalMatrix(mulberry32(1), 100, 101);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('normalizeRows', () => {
  it('scales rows to unit norm without touching the input', () => {
    const x = new Float32Array([3, 4, 0, -5, 12, 0]);
    const copy = x.slice();
    const y = normalizeRows(x, 2, 3);
    expect(x).toEqual(copy);
    expect(Array.from(y)).toEqual([3 / 5, 4 / 5, 0, -5 / 13, 12 / 13, 0].map(Math.fround));
  });

  it('keeps zero rows zero and zeroes rows with NaN or Infinity (never NaN)', () => {
    const x = new Float32Array([0, 0, 1, NaN, Infinity, 1, 2, 0]);
    const y = normalizeRows(x, 4, 2);
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('handles magnitudes whose f32 squares would overflow or underflow', () => {
    const y = normalizeRows(new Float32Array([3e30, 4e30, 3e-30, 4e-30]), 2, 2);
    [0.6, 0.8, 0.6, 0.8].forEach((expected, i) => expect(y[i]).toBeCloseTo(expected, 6));
  });

  it('reports a shape mismatch with both sizes', () => {
    expect(() => normalizeRows(new Float32Array(5), 2, 3)).toThrow(/5 values but 2×3 needs 6/);
  });
});

describe('cosineBlock / naiveCosineMatrix', () => {
  it.each([
    [1, 1, 1],
    [3, 4, 5],
    [7, 2, 8],
    [5, 9, 13],
    [2, 3, 3],
    [6, 7, 2],
    [4, 6, 384],
  ])('matches the textbook cosine for %i×%i rows of dim %i', (aRows, bRows, dim) => {
    const rng = mulberry32(aRows * 1000 + dim);
    const a = randomNormalMatrix(rng, aRows, dim);
    const b = randomNormalMatrix(rng, bRows, dim);
    const fast = cosineBlock(normalizeRows(a, aRows, dim), aRows, normalizeRows(b, bRows, dim), bRows, dim);
    const naive = naiveCosineMatrix(a, aRows, b, bRows, dim);
    expect(fast.length).toBe(aRows * bRows);
    for (let i = 0; i < naive.length; i++) expect(fast[i]).toBeCloseTo(naive[i], 6);
  });

  it('gives 0 against zero vectors in both forms', () => {
    const a = new Float32Array([0, 0, 1, 1]);
    const b = new Float32Array([1, 0, 0, 0]);
    expect(Array.from(naiveCosineMatrix(a, 2, b, 2, 2))).toEqual([0, 0, Math.fround(Math.SQRT1_2), 0]);
    expect(Array.from(cosineBlock(normalizeRows(a, 2, 2), 2, normalizeRows(b, 2, 2), 2, 2))).toEqual([
      0,
      0,
      Math.fround(Math.SQRT1_2),
      0,
    ]);
  });

  it('computes plain dot products of the rows given', () => {
    const a = new Float32Array([1, 2, 3, 4, 5]);
    const b = new Float32Array([1, 1, 1, 1, 1, 2, 0, 0, 0, 0]);
    expect(Array.from(cosineBlock(a, 1, b, 2, 5))).toEqual([15, 2]);
  });
});

describe('topkRows', () => {
  it('orders by descending score and breaks ties by the lower column', () => {
    const scores = new Float32Array([0.5, 0.9, 0.5, 0.9, 0.1]);
    const top = topkRows(scores, 1, 5, 3);
    expect(Array.from(top.indices)).toEqual([1, 3, 0]);
    expect(Array.from(top.scores)).toEqual([0.9, 0.9, 0.5].map(Math.fround));
  });

  it('pads rows with fewer than k usable columns with -1 / -Infinity', () => {
    // Row 1: column 0 is NaN and column 1 is excluded, so nothing is usable.
    const top = topkRows(new Float32Array([0.2, 0.7, NaN, 0.3]), 2, 2, 3, { excludeColumnOfRow: (row) => row });
    expect(Array.from(top.indices)).toEqual([1, -1, -1, -1, -1, -1]);
    expect(Array.from(top.scores)).toEqual([Math.fround(0.7), -Infinity, -Infinity, -Infinity, -Infinity, -Infinity]);
  });

  it('excludes only the given column of each row', () => {
    const scores = new Float32Array([1, 0.5, 0.5, 0.5, 1, 0.25, 0.25, 0.5, 1]);
    const top = topkRows(scores, 3, 3, 2, { excludeColumnOfRow: (row) => row });
    expect(Array.from(top.indices)).toEqual([1, 2, 0, 2, 1, 0]);
  });

  it('returns empty rows for k = 0 and rejects a bad k', () => {
    expect(topkRows(new Float32Array(6), 2, 3, 0).indices.length).toBe(0);
    expect(() => topkRows(new Float32Array(6), 2, 3, -1)).toThrow(RangeError);
    expect(() => topkRows(new Float32Array(6), 2, 3, 1.5)).toThrow(RangeError);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 2],
    [37, 130, 10],
    [130, 37, 32],
    [20, 20, 40],
  ])('matches sort-and-slice on heavily tied %i×%i scores, k=%i', (rows, cols, k) => {
    const scores = tiedScores(rows + cols + k, rows, cols);
    const exclude = (row: number) => (row * 7) % cols;
    expect(topkRows(scores, rows, cols, k)).toEqual(naiveTopK(scores, rows, cols, k));
    expect(topkRows(scores, rows, cols, k, { excludeColumnOfRow: exclude })).toEqual(naiveTopK(scores, rows, cols, k, exclude));
  });
});

describe('similarityTopK', () => {
  it('finds nearest neighbours by the definition, excluding self', () => {
    const n = 40;
    const dim = 6;
    const vectors = randomNormalMatrix(mulberry32(3), n, dim);
    const cosine = naiveCosineMatrix(vectors, n, vectors, n, dim);
    const expected = naiveTopK(cosine, n, n, 5, (row) => row);
    const actual = similarityTopK(vectors, n, dim, 5, true);
    expect(actual.indices).toEqual(expected.indices);
    for (let i = 0; i < expected.scores.length; i++) expect(actual.scores[i]).toBeCloseTo(expected.scores[i], 6);
  });

  it('lists a row as its own best match unless excluded', () => {
    const vectors = randomNormalMatrix(mulberry32(4), 10, 3);
    const withSelf = similarityTopK(vectors, 10, 3, 1, false);
    expect(Array.from(withSelf.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const withoutSelf = similarityTopK(vectors, 10, 3, 1, true);
    for (let row = 0; row < 10; row++) expect(withoutSelf.indices[row]).not.toBe(row);
  });

  it('ranks zero vectors at score 0 and breaks their ties by index', () => {
    // Rows 1 and 3 are zero: every score involving them is exactly 0.
    const vectors = new Float32Array([1, 0, 0, 0, -1, 0, 0, 0, 0, 1]);
    const top = similarityTopK(vectors, 5, 2, 4, true);
    expect(Array.from(top.indices.subarray(4, 8))).toEqual([0, 2, 3, 4]);
    expect(Array.from(top.scores.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Array.from(top.indices.subarray(0, 4))).toEqual([1, 3, 4, 2]);
    expect(Array.from(top.scores.subarray(0, 4))).toEqual([0, 0, 0, -1]);
  });

  it('gives identical results whatever the block size', () => {
    const n = 57;
    const dim = 9;
    const vectors = randomNormalMatrix(mulberry32(5), n, dim);
    const whole = similarityTopK(vectors, n, dim, 7, true);
    for (const maxBlockBytes of [1, n * 4 * 3, n * 4 * 10]) {
      expect(similarityTopK(vectors, n, dim, 7, true, { maxBlockBytes })).toEqual(whole);
    }
  });

  it('pads when k exceeds the other rows and handles empty input', () => {
    const top = similarityTopK(new Float32Array([1, 2, 3, 4]), 2, 2, 3, true);
    expect(Array.from(top.indices)).toEqual([1, -1, -1, 0, -1, -1]);
    expect(similarityTopK(new Float32Array(0), 0, 4, 3, true)).toEqual({
      k: 3,
      rows: 0,
      indices: new Int32Array(0),
      scores: new Float32Array(0),
    });
  });
});
