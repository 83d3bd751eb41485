import { gaussian, mulberry32 } from '../../../src/core/random';
import { orthonormalizeColumns } from '../../../src/core/layout/linalg';

/** n points around `blobs` Gaussian centres (centre spread `separation`, unit noise × `noise`); label i % blobs. */
export function gaussianBlobs(seed: number, n: number, dim: number, blobs: number, separation: number, noise: number) {
  const rng = mulberry32(seed);
  const centres = Array.from({ length: blobs }, () => Array.from({ length: dim }, () => gaussian(rng) * separation));
  const points = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % blobs;
    for (let d = 0; d < dim; d++) points[i * dim + d] = centres[labels[i]][d] + gaussian(rng) * noise;
  }
  return { points, labels };
}

/** A dim×dim orthogonal matrix from Gram–Schmidt on Gaussian columns. */
export function randomOrthogonal(seed: number, dim: number): Float64Array {
  const rng = mulberry32(seed);
  const q = Float64Array.from({ length: dim * dim }, () => gaussian(rng));
  orthonormalizeColumns(q, dim, dim);
  return q;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
