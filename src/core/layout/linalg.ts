/**
 * Small dense linear algebra for the layout code: symmetric eigen-decomposition and SVD by Jacobi
 * rotations, and Gram–Schmidt. Jacobi is chosen over faster QR-based methods because it is short,
 * accurate to machine precision for the sizes used here (≤ 384) and fully deterministic: the
 * sweep order is fixed, so the same input gives the same bits everywhere a JS engine runs.
 *
 * Matrices are row-major Float64Arrays; element (r, c) of a rows×cols matrix is at r * cols + c.
 */

const MAX_SWEEPS = 60;
const EPSILON = 1e-15;
/** Columns whose cosine is below this count as orthogonal: far beyond what the layouts need, and it saves the last sweeps. */
const COLUMN_ORTHOGONALITY = 1e-12;

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** size×size, column j is the unit eigenvector of values[j]; its largest-magnitude entry is positive. */
  vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric size×size matrix by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: ArrayLike<number>, size: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = identity(size);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let p = 0; p < size; p++) {
      diagonal += a[p * size + p] ** 2;
      for (let q = p + 1; q < size; q++) offDiagonal += a[p * size + q] ** 2;
    }
    if (offDiagonal <= EPSILON * EPSILON * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < size - 1; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (apq === 0) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p];
          const akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k];
          const aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p];
          const vkq = v[k * size + q];
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => a[j * size + j] - a[i * size + i] || i - j);
  const values = new Float64Array(size);
  const vectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    values[to] = a[from * size + from];
    for (let k = 0; k < size; k++) vectors[k * size + to] = v[k * size + from];
  });
  fixColumnSigns(vectors, size, size);
  return { values, vectors };
}

export interface Svd {
  /** rows×cols, orthonormal columns (completed to a basis where the matrix is rank deficient). */
  u: Float64Array;
  /** Singular values, largest first. */
  s: Float64Array;
  /** cols×cols orthogonal. */
  v: Float64Array;
}

/**
 * Thin SVD of a rows×cols matrix (rows ≥ cols) by one-sided (Hestenes) Jacobi: rotate column
 * pairs until all columns are orthogonal; their norms are the singular values. Columns of U for
 * zero singular values are completed deterministically (see completeBasis).
 */
export function jacobiSvd(matrix: ArrayLike<number>, rows: number, cols: number): Svd {
  if (rows < cols) throw new RangeError(`jacobiSvd needs rows ≥ cols, got ${rows}×${cols}`);
  // Work on columns as contiguous rows of the transpose: far better memory access in JS.
  const w = new Float64Array(cols * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[c * rows + r] = matrix[r * cols + c];
  const vt = identity(cols);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        const po = p * rows;
        const qo = q * rows;
        for (let k = 0; k < rows; k++) {
          const x = w[po + k];
          const y = w[qo + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= COLUMN_ORTHOGONALITY * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotatePair(w, po, qo, rows, c, s);
        rotatePair(vt, p * cols, q * cols, cols, c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: cols }, (_, c) => norm2(w.subarray(c * rows, (c + 1) * rows)));
  const order = norms.map((_, i) => i).sort((i, j) => norms[j] - norms[i] || i - j);
  const u = new Float64Array(rows * cols);
  const v = new Float64Array(cols * cols);
  const s = new Float64Array(cols);
  const tolerance = (norms[order[0]] ?? 0) * Math.max(rows, cols) * 1e-13;
  const defined = new Uint8Array(cols);
  order.forEach((from, to) => {
    s[to] = norms[from];
    for (let k = 0; k < cols; k++) v[k * cols + to] = vt[from * cols + k];
    if (norms[from] > tolerance) {
      defined[to] = 1;
      for (let k = 0; k < rows; k++) u[k * cols + to] = w[from * rows + k] / norms[from];
    }
  });
  // For a square matrix, null directions of U are taken from those of V first, so that U·Vᵀ
  // (the Procrustes rotation) leaves the directions the data cannot determine unrotated.
  completeBasis(u, rows, cols, defined, rows === cols ? v : undefined);
  return { u, s, v };
}

/**
 * Fills the columns of `q` not flagged in `defined` with unit vectors orthogonal to all others:
 * Gram–Schmidt on the same column of `preferred` (rows×cols) when given, then on the standard
 * basis in index order, so the choice is deterministic.
 */
export function completeBasis(q: Float64Array, rows: number, cols: number, defined: Uint8Array, preferred?: Float64Array): void {
  let candidate = 0;
  for (let c = 0; c < cols; c++) {
    if (defined[c]) continue;
    if (preferred) {
      const column = new Float64Array(rows);
      for (let k = 0; k < rows; k++) column[k] = preferred[k * cols + c];
      if (acceptOrthogonalized(q, rows, cols, defined, column, c)) continue;
    }
    for (; candidate < rows; candidate++) {
      const column = new Float64Array(rows);
      column[candidate] = 1;
      if (acceptOrthogonalized(q, rows, cols, defined, column, c)) {
        candidate++;
        break;
      }
    }
  }
}

/** Orthogonalises `column` against the defined columns of q; stores it as column c if anything is left. */
function acceptOrthogonalized(
  q: Float64Array, rows: number, cols: number, defined: Uint8Array, column: Float64Array, c: number,
): boolean {
  for (let pass = 0; pass < 2; pass++) {
    for (let other = 0; other < cols; other++) {
      if (!defined[other]) continue;
      let dot = 0;
      for (let k = 0; k < rows; k++) dot += q[k * cols + other] * column[k];
      for (let k = 0; k < rows; k++) column[k] -= dot * q[k * cols + other];
    }
  }
  const norm = norm2(column);
  if (norm < 1e-8) return false;
  for (let k = 0; k < rows; k++) q[k * cols + c] = column[k] / norm;
  defined[c] = 1;
  return true;
}

/** Modified Gram–Schmidt, twice ("twice is enough"), on the columns of a rows×cols matrix in place. */
export function orthonormalizeColumns(q: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < cols; c++) {
      for (let prev = 0; prev < c; prev++) {
        let dot = 0;
        for (let k = 0; k < rows; k++) dot += q[k * cols + prev] * q[k * cols + c];
        for (let k = 0; k < rows; k++) q[k * cols + c] -= dot * q[k * cols + prev];
      }
      let norm = 0;
      for (let k = 0; k < rows; k++) norm += q[k * cols + c] ** 2;
      norm = Math.sqrt(norm);
      const scale = norm > 0 ? 1 / norm : 0;
      for (let k = 0; k < rows; k++) q[k * cols + c] *= scale;
    }
  }
}

/** Flips columns so that each one's largest-magnitude entry is positive: eigenvectors get a stable sign. */
export function fixColumnSigns(m: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    let largest = 0;
    for (let k = 0; k < rows; k++) if (Math.abs(m[k * cols + c]) > Math.abs(largest)) largest = m[k * cols + c];
    if (largest < 0) for (let k = 0; k < rows; k++) m[k * cols + c] = -m[k * cols + c];
  }
}

/** (rows×inner) · (inner×cols) → rows×cols, all row-major. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inner; k++) {
      const ark = a[r * inner + k];
      if (ark === 0) continue;
      const bo = k * cols;
      const oo = r * cols;
      for (let c = 0; c < cols; c++) out[oo + c] += ark * b[bo + c];
    }
  }
  return out;
}

export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

export function identity(size: number): Float64Array {
  const m = new Float64Array(size * size);
  for (let i = 0; i < size; i++) m[i * size + i] = 1;
  return m;
}

function rotatePair(m: Float64Array, po: number, qo: number, length: number, c: number, s: number): void {
  for (let k = 0; k < length; k++) {
    const x = m[po + k];
    const y = m[qo + k];
    m[po + k] = c * x - s * y;
    m[qo + k] = s * x + c * y;
  }
}

function norm2(values: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k] * values[k];
  return Math.sqrt(sum);
}
