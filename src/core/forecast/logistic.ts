/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised features.
 * Features are few (≤ ~16) and rows many (up to millions of candidate pairs), so each step builds
 * the d×d Hessian in one pass over the rows and solves it by Cholesky: O(rows · d²) per step.
 */
export interface LogisticModel {
  /** Feature names, in column order. */
  features: string[];
  /** Mean and standard deviation used to standardise each feature (sd 0 → the column is dropped to 0). */
  means: number[];
  sds: number[];
  /** Intercept and coefficients on the standardised features. */
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty λ on the coefficients (not the intercept): loss + λ/2 · Σ β². Default 1. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}

/** Columns: one Float32Array or Float64Array per feature, all of the rows' length. */
export type FeatureColumns = readonly ArrayLike<number>[];

export function fitLogistic(names: readonly string[], columns: FeatureColumns, labels: Uint8Array, options: LogisticOptions = {}): LogisticModel {
  const { l2 = 1, maxIterations = 50, tolerance = 1e-9 } = options;
  const d = columns.length;
  const n = labels.length;
  if (names.length !== d) throw new RangeError(`${names.length} names for ${d} feature columns`);
  for (const column of columns) if (column.length !== n) throw new RangeError(`a feature column holds ${column.length} rows, expected ${n}`);
  const means: number[] = [];
  const sds: number[] = [];
  for (const column of columns) {
    let sum = 0;
    for (let r = 0; r < n; r++) sum += column[r];
    const mean = n > 0 ? sum / n : 0;
    let sq = 0;
    for (let r = 0; r < n; r++) sq += (column[r] - mean) ** 2;
    means.push(mean);
    sds.push(n > 0 ? Math.sqrt(sq / n) : 0);
  }
  const p = d + 1;
  const beta = new Float64Array(p); // [intercept, β1..βd]
  let positives = 0;
  for (const y of labels) positives += y;
  // Start at the base rate so the first step is already small on rare positives.
  if (positives > 0 && positives < n) beta[0] = Math.log(positives / (n - positives));
  const x = new Float64Array(p);
  const row = (r: number): Float64Array => {
    x[0] = 1;
    for (let f = 0; f < d; f++) x[f + 1] = sds[f] > 0 ? (columns[f][r] - means[f]) / sds[f] : 0;
    return x;
  };
  /** Penalised log-likelihood Σ [y·η − log(1 + e^η)] − λ/2 Σ β² (stable for large |η|). */
  const objective = (b: Float64Array): number => {
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const v = row(r);
      let eta = 0;
      for (let a = 0; a < p; a++) eta += b[a] * v[a];
      sum += labels[r] * eta - (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
    }
    for (let a = 1; a < p; a++) sum -= (l2 / 2) * b[a] * b[a];
    return sum;
  };
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    for (let r = 0; r < n; r++) {
      row(r);
      let eta = 0;
      for (let a = 0; a < p; a++) eta += beta[a] * x[a];
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      const residual = labels[r] - mu;
      for (let a = 0; a < p; a++) {
        gradient[a] += residual * x[a];
        const wa = w * x[a];
        for (let b = 0; b <= a; b++) hessian[a * p + b] += wa * x[b];
      }
    }
    for (let a = 1; a < p; a++) {
      gradient[a] -= l2 * beta[a];
      hessian[a * p + a] += l2;
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hessian[b * p + a] = hessian[a * p + b];
    const step = choleskySolve(hessian, gradient, p);
    // Damped Newton: halve the step until the penalised likelihood does not fall (a full step
    // can overshoot far when positives are rare and features nearly collinear).
    const before = objective(beta);
    const trial = new Float64Array(p);
    let scale = 1;
    for (let halvings = 0; halvings < 40; halvings++, scale /= 2) {
      for (let a = 0; a < p; a++) trial[a] = beta[a] + scale * step[a];
      if (objective(trial) >= before - 1e-12 * Math.abs(before)) break;
    }
    let largest = 0;
    for (let a = 0; a < p; a++) {
      largest = Math.max(largest, Math.abs(trial[a] - beta[a]));
      beta[a] = trial[a];
    }
    if (largest < tolerance) {
      converged = true;
      break;
    }
  }
  return { features: [...names], means, sds, intercept: beta[0], coefficients: Array.from(beta.subarray(1)), iterations, converged };
}

/** Linear predictor (log-odds) of each row; the ranking a logistic model induces. */
export function logisticScores(model: LogisticModel, columns: FeatureColumns): Float32Array {
  const n = columns[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let eta = model.intercept;
    for (let f = 0; f < columns.length; f++) {
      if (model.sds[f] > 0) eta += model.coefficients[f] * ((columns[f][r] - model.means[f]) / model.sds[f]);
    }
    out[r] = eta;
  }
  return out;
}

/** Solves A·x = b for a symmetric positive definite A (p×p, row-major); a tiny ridge if it is not. */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j];
      for (let k = 0; k < j; k++) sum -= l[i * p + k] * l[j * p + k];
      if (i === j) l[i * p + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * p + j] = sum / l[j * p + j];
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * p + k] * y[k];
    y[i] = sum / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i] * x[k];
    x[i] = sum / l[i * p + i];
  }
  return x;
}
