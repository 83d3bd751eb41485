import { describe, expect, it } from 'vitest';
import { multiply, transpose } from '../../../src/core/layout/linalg';
import { alignChain, alignWindow, applyRotation, orthogonalProcrustes, type EmbeddingWindow } from '../../../src/core/layout/procrustes';
import { gaussian, mulberry32 } from '../../../src/core/random';
import { maxAbsDifference, randomOrthogonal } from './helpers';

const DIM = 16;

function randomVectors(seed: number, rows: number, dim: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: rows * dim }, () => gaussian(rng));
}

function codes(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `C${from + i}`);
}

/** The window holding `truth` rows for `codeList`, rotated by `rotation` (what a per-window model would give). */
function rotatedWindow(truth: Map<string, Float32Array>, codeList: string[], rotation: Float64Array): EmbeddingWindow {
  const vectors = new Float32Array(codeList.length * DIM);
  codeList.forEach((code, row) => vectors.set(truth.get(code) as Float32Array, row * DIM));
  return { codes: codeList, dim: DIM, vectors: applyRotation(vectors, codeList.length, DIM, rotation) };
}

function truthFor(codeList: string[], seed: number): Map<string, Float32Array> {
  const vectors = randomVectors(seed, codeList.length, DIM);
  return new Map(codeList.map((code, row) => [code, vectors.slice(row * DIM, (row + 1) * DIM)]));
}

function expectOrthogonal(r: Float64Array, dim: number): void {
  const identity = Float64Array.from({ length: dim * dim }, (_, i) => (i % (dim + 1) === 0 ? 1 : 0));
  expect(maxAbsDifference(multiply(transpose(r, dim, dim), r, dim, dim, dim), identity)).toBeLessThan(1e-10);
}

describe('orthogonal Procrustes', () => {
  it('recovers a known random rotation', () => {
    const rows = 60;
    const target = randomVectors(1, rows, DIM);
    const q = randomOrthogonal(2, DIM);
    // source = target · Qᵀ, so the best rotation back is Q.
    const source = multiply(target, transpose(q, DIM, DIM), rows, DIM, DIM);
    const r = orthogonalProcrustes(source, target, rows, DIM);
    expect(maxAbsDifference(r, q)).toBeLessThan(1e-5);
    expect(maxAbsDifference(multiply(source, r, rows, DIM, DIM), target)).toBeLessThan(1e-5);
    expectOrthogonal(r, DIM);
  });

  it('aligns windows with partial overlap by their shared codes only', () => {
    const all = codes(0, 70);
    const truth = truthFor(all, 3);
    const target = rotatedWindow(truth, all.slice(0, 50), randomOrthogonal(4, DIM));
    // 30 shared codes (C20–C49), 20 only in the source; rows in a different order.
    const source = rotatedWindow(truth, all.slice(20, 70).reverse(), randomOrthogonal(5, DIM));
    const alignment = alignWindow(source, target);
    expect(alignment.shared).toBe(30);
    expect(alignment.rmsAfter).toBeLessThan(1e-5);
    expect(alignment.rmsBefore).toBeGreaterThan(1);
    // The source-only codes land where the target's frame would put them too.
    const reference = rotatedWindow(truth, all.slice(20, 70).reverse(), randomOrthogonal(4, DIM));
    expect(maxAbsDifference(alignment.aligned, reference.vectors)).toBeLessThan(1e-5);
  });

  it('with fewer shared codes than dimensions, still fits them exactly with an orthogonal map', () => {
    const all = codes(0, 30);
    const truth = truthFor(all, 6);
    const target = rotatedWindow(truth, all.slice(0, 20), randomOrthogonal(7, DIM));
    const source = rotatedWindow(truth, all.slice(15, 30), randomOrthogonal(8, DIM));
    const alignment = alignWindow(source, target);
    expect(alignment.shared).toBe(5);
    expect(alignment.rmsAfter).toBeLessThan(1e-5);
    expectOrthogonal(alignment.rotation, DIM);
  });

  it('chains successive windows onto the first, anchoring on codes absent from the previous window', () => {
    const all = codes(0, 80);
    const truth = truthFor(all, 9);
    const windowCodes = [all.slice(0, 40), all.slice(20, 60), all.slice(25, 45).concat(all.slice(60, 80)), all.slice(10, 30).concat(all.slice(60, 75))];
    const rotations = windowCodes.map((_, i) => randomOrthogonal(20 + i, DIM));
    const chain = alignChain(windowCodes.map((list, i) => rotatedWindow(truth, list, rotations[i])));
    windowCodes.forEach((list, i) => {
      const expected = rotatedWindow(truth, list, rotations[0]);
      expect(maxAbsDifference(chain.windows[i].vectors, expected.vectors)).toBeLessThan(1e-5);
    });
    expect(chain.alignments.map((a) => a.shared)).toEqual([0, 20, 20, 35]);
  });

  it('gives the identity when nothing is shared', () => {
    const alignment = alignWindow(
      { codes: ['A'], dim: 2, vectors: new Float32Array([1, 2]) },
      { codes: ['B'], dim: 2, vectors: new Float32Array([3, 4]) },
    );
    expect(Array.from(alignment.rotation)).toEqual([1, 0, 0, 1]);
    expect(Array.from(alignment.aligned)).toEqual([1, 2]);
  });
});
