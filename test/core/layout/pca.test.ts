import { describe, expect, it } from 'vitest';
import { jacobiSvd, multiply, symmetricEigen, transpose } from '../../../src/core/layout/linalg';
import { pca, projectOnto } from '../../../src/core/layout/pca';
import { gaussian, mulberry32 } from '../../../src/core/random';
import { maxAbsDifference, randomOrthogonal } from './helpers';

/** n samples of N(0, Q·diag(λ)·Qᵀ), so the true principal axes are the columns of Q. */
function samplesWithCovariance(seed: number, n: number, q: Float64Array, lambdas: number[]): Float32Array {
  const dim = lambdas.length;
  const rng = mulberry32(seed);
  const out = new Float32Array(n * dim);
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) z[d] = gaussian(rng) * Math.sqrt(lambdas[d]);
    for (let r = 0; r < dim; r++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += q[r * dim + d] * z[d];
      out[i * dim + r] = sum + 3; // an offset, so centring matters
    }
  }
  return out;
}

function sampleCovariance(x: Float32Array, n: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += x[i * dim + d] / n;
  const c = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) c[a * dim + b] += (x[i * dim + a] - mean[a]) * (x[i * dim + b] - mean[b]) / (n - 1);
  }
  return c;
}

function absCosine(axes: Float64Array, axis: number, q: Float64Array, column: number, dim: number): number {
  let dot = 0;
  for (let d = 0; d < dim; d++) dot += axes[axis * dim + d] * q[d * dim + column];
  return Math.abs(dot);
}

describe('linear algebra', () => {
  it('symmetricEigen diagonalises a known matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/√2 and (1,−1)/√2.
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 12);
  });

  it('jacobiSvd reconstructs a random matrix and completes U for a rank-deficient one', () => {
    const rng = mulberry32(5);
    const a = Float64Array.from({ length: 12 * 7 }, () => gaussian(rng));
    const { u, s, v } = jacobiSvd(a, 12, 7);
    const us = Float64Array.from(u, (x, i) => x * s[i % 7]);
    expect(maxAbsDifference(multiply(us, transpose(v, 7, 7), 12, 7, 7), a)).toBeLessThan(1e-12);
    // Rank 1: u·vᵀ of two vectors; U must still be orthogonal.
    const r1 = multiply([1, 2, 3, 4], [1, -1, 0, 2], 4, 1, 4);
    const svd = jacobiSvd(r1, 4, 4);
    const gram = multiply(transpose(svd.u, 4, 4), svd.u, 4, 4, 4);
    expect(maxAbsDifference(gram, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBeLessThan(1e-12);
    expect(svd.s[1]).toBeLessThan(1e-12);
  });
});

describe('pca', () => {
  const lambdas = (dim: number) => Array.from({ length: dim }, (_, i) => (i === 0 ? 20 : i === 1 ? 10 : i === 2 ? 5 : 0.5));

  for (const dim of [12, 96]) {
    const path = dim <= 64 ? 'exact' : 'randomized';
    it(`recovers the leading eigenvectors of a known covariance (${dim} dims, ${path} path)`, () => {
      const n = 4000;
      const q = randomOrthogonal(11, dim);
      const x = samplesWithCovariance(12, n, q, lambdas(dim));
      const result = pca(x, n, dim, { components: 3, seed: 1 });
      // Against the true axes, up to sampling error (~√(λ1·λ2/n)/(λ1−λ2) ≈ 0.02 rad).
      for (let c = 0; c < 3; c++) expect(absCosine(result.axes, c, q, c, dim)).toBeGreaterThan(0.995);
      // Against the exact decomposition of the same sample's covariance, to numerical precision.
      const exact = symmetricEigen(sampleCovariance(x, n, dim), dim);
      for (let c = 0; c < 3; c++) {
        expect(absCosine(result.axes, c, exact.vectors, c, dim)).toBeGreaterThan(1 - 1e-8);
        expect(result.variances[c] / exact.values[c]).toBeCloseTo(1, 8);
      }
      // Coordinates are the centred data on the axes, with the axis variances.
      let variance = 0;
      for (let i = 0; i < n; i++) variance += result.coordinates[i * 3] ** 2 / (n - 1);
      expect(variance / result.variances[0]).toBeCloseTo(1, 4);
      expect(maxAbsDifference(projectOnto(result, x, n), result.coordinates)).toBe(0);
    });
  }

  it('is deterministic for a seed', () => {
    const q = randomOrthogonal(3, 80);
    const x = samplesWithCovariance(4, 500, q, lambdas(80));
    expect(pca(x, 500, 80, { components: 2, seed: 9 }).coordinates).toEqual(pca(x, 500, 80, { components: 2, seed: 9 }).coordinates);
  });
});
