/**
 * Seeded PCA: the instant first view, the initialisation of UMAP and the reduction that makes
 * k-NN affordable for large n. For dim ≤ EXACT_MAX_DIM the covariance is decomposed exactly;
 * above it, randomized subspace iteration (Halko, Martinsson & Tropp 2011) finds the leading
 * axes without ever forming the dim×dim covariance, so 50k × 384 costs a few passes over the data.
 */
import { gaussian, mulberry32 } from '../random';
import { fixColumnSigns, multiply, orthonormalizeColumns, symmetricEigen } from './linalg';

export interface PcaOptions {
  /** Number of axes kept (2 or 3 for a view, more for a k-NN reduction). */
  components: number;
  seed?: number;
  /** Passes of subspace iteration; each sharpens the separation of close eigenvalues. */
  iterations?: number;
  /** Extra directions carried along, so the kept ones converge faster. */
  oversample?: number;
}

export interface PcaModel {
  dim: number;
  components: number;
  mean: Float64Array;
  /** components×dim: row c is the unit axis c; its largest-magnitude entry is positive. */
  axes: Float64Array;
  /** Variance along each axis (eigenvalues of the sample covariance), largest first. */
  variances: Float64Array;
  /** Trace of the sample covariance: variances / totalVariance is the explained fraction. */
  totalVariance: number;
}

export interface PcaResult extends PcaModel {
  /** n×components coordinates of the centred data on the axes. */
  coordinates: Float32Array;
}

const EXACT_MAX_DIM = 64;
const DEFAULT_ITERATIONS = 6;
const DEFAULT_OVERSAMPLE = 10;

export function pca(vectors: Float32Array, n: number, dim: number, options: PcaOptions): PcaResult {
  if (vectors.length !== n * dim) throw new RangeError(`vectors must hold ${n}×${dim} values`);
  const components = Math.min(options.components, dim);
  if (components < 1 || n < 2) throw new RangeError('pca needs at least 2 rows and 1 component');
  const mean = columnMeans(vectors, n, dim);
  const totalVariance = traceOfCovariance(vectors, n, dim, mean);
  const { axes, variances } = dim <= EXACT_MAX_DIM
    ? exactAxes(vectors, n, dim, mean, components)
    : randomizedAxes(vectors, n, dim, mean, components, options);
  const model: PcaModel = { dim, components, mean, axes, variances, totalVariance };
  return { ...model, coordinates: projectOnto(model, vectors, n) };
}

/** Coordinates of (new) rows on a fitted model's axes. */
export function projectOnto(model: PcaModel, vectors: Float32Array, n: number): Float32Array {
  const { dim, components, mean, axes } = model;
  const out = new Float32Array(n * components);
  const centred = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) centred[d] = vectors[r * dim + d] - mean[d];
    for (let c = 0; c < components; c++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += centred[d] * axes[c * dim + d];
      out[r * components + c] = sum;
    }
  }
  return out;
}

function exactAxes(vectors: Float32Array, n: number, dim: number, mean: Float64Array, components: number) {
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) centred[d] = vectors[r * dim + d] - mean[d];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      for (let j = i; j < dim; j++) covariance[i * dim + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      covariance[i * dim + j] /= n - 1;
      covariance[j * dim + i] = covariance[i * dim + j];
    }
  }
  const eigen = symmetricEigen(covariance, dim);
  return { axes: rowsOfColumns(eigen.vectors, dim, dim, components), variances: eigen.values.slice(0, components) };
}

function randomizedAxes(
  vectors: Float32Array, n: number, dim: number, mean: Float64Array, components: number, options: PcaOptions,
) {
  const width = Math.min(dim, components + (options.oversample ?? DEFAULT_OVERSAMPLE));
  const rng = mulberry32(options.seed ?? 0);
  const basis = new Float64Array(dim * width);
  for (let i = 0; i < basis.length; i++) basis[i] = gaussian(rng);
  orthonormalizeColumns(basis, dim, width);
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  for (let it = 0; it < iterations; it++) {
    const projected = centredTimes(vectors, n, dim, mean, basis, width);
    basis.set(centredTransposeTimes(vectors, n, dim, mean, projected, width));
    orthonormalizeColumns(basis, dim, width);
  }
  // Rayleigh–Ritz: the covariance restricted to the subspace is small, so decompose it exactly.
  const projected = centredTimes(vectors, n, dim, mean, basis, width);
  const small = new Float64Array(width * width);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < width; i++) {
      const yi = projected[r * width + i];
      for (let j = i; j < width; j++) small[i * width + j] += yi * projected[r * width + j];
    }
  }
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      small[i * width + j] /= n - 1;
      small[j * width + i] = small[i * width + j];
    }
  }
  const eigen = symmetricEigen(small, width);
  const full = multiply(basis, eigen.vectors, dim, width, width);
  fixColumnSigns(full, dim, width);
  return { axes: rowsOfColumns(full, dim, width, components), variances: eigen.values.slice(0, components) };
}

/** (X − 1·meanᵀ) · B for a dim×width B → n×width. */
function centredTimes(
  vectors: Float32Array, n: number, dim: number, mean: Float64Array, b: Float64Array, width: number,
): Float64Array {
  const out = new Float64Array(n * width);
  const meanTimesB = multiply(mean, b, 1, dim, width);
  for (let r = 0; r < n; r++) {
    const oo = r * width;
    for (let d = 0; d < dim; d++) {
      const x = vectors[r * dim + d];
      if (x === 0) continue;
      const bo = d * width;
      for (let j = 0; j < width; j++) out[oo + j] += x * b[bo + j];
    }
    for (let j = 0; j < width; j++) out[oo + j] -= meanTimesB[j];
  }
  return out;
}

/** (X − 1·meanᵀ)ᵀ · Y for an n×width Y → dim×width. */
function centredTransposeTimes(
  vectors: Float32Array, n: number, dim: number, mean: Float64Array, y: Float64Array, width: number,
): Float64Array {
  const out = new Float64Array(dim * width);
  const columnSums = new Float64Array(width);
  for (let r = 0; r < n; r++) {
    const yo = r * width;
    for (let j = 0; j < width; j++) columnSums[j] += y[yo + j];
    for (let d = 0; d < dim; d++) {
      const x = vectors[r * dim + d];
      if (x === 0) continue;
      const oo = d * width;
      for (let j = 0; j < width; j++) out[oo + j] += x * y[yo + j];
    }
  }
  for (let d = 0; d < dim; d++) for (let j = 0; j < width; j++) out[d * width + j] -= mean[d] * columnSums[j];
  return out;
}

function columnMeans(vectors: Float32Array, n: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let d = 0; d < dim; d++) mean[d] += vectors[r * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= n;
  return mean;
}

function traceOfCovariance(vectors: Float32Array, n: number, dim: number, mean: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < n; r++) for (let d = 0; d < dim; d++) sum += (vectors[r * dim + d] - mean[d]) ** 2;
  return sum / (n - 1);
}

/** The first `count` columns of a rows×cols matrix, as rows of a count×rows matrix. */
function rowsOfColumns(m: Float64Array, rows: number, cols: number, count: number): Float64Array {
  const out = new Float64Array(count * rows);
  for (let c = 0; c < count; c++) for (let r = 0; r < rows; r++) out[c * rows + r] = m[r * cols + c];
  return out;
}
