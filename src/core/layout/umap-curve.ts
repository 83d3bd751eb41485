/**
 * UMAP's low-dimensional similarity is 1 / (1 + a·d^(2b)); a and b are fitted so that this curve
 * follows the target "1 up to minDist, then exp(−(d − minDist)/spread)", as umap-learn does with
 * scipy's curve_fit. Here a small Levenberg–Marquardt on the same 300 sample points.
 */
export interface CurveParameters {
  a: number;
  b: number;
}

const SAMPLES = 300;
const MAX_STEPS = 200;

export function fitCurve(minDist: number, spread: number): CurveParameters {
  if (!(spread > 0) || !(minDist >= 0)) throw new RangeError('spread must be > 0 and minDist ≥ 0');
  const xs = Array.from({ length: SAMPLES }, (_, i) => (3 * spread * i) / (SAMPLES - 1));
  const ys = xs.map((x) => (x < minDist ? 1 : Math.exp(-(x - minDist) / spread)));
  let a = 1;
  let b = 1;
  let damping = 1e-3;
  let error = squaredError(xs, ys, a, b);
  for (let step = 0; step < MAX_STEPS; step++) {
    // Normal equations JᵀJ·δ = −Jᵀr for the two parameters, damped on the diagonal.
    let jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const x = xs[i];
      if (x === 0) continue;
      const power = x ** (2 * b);
      const f = 1 / (1 + a * power);
      const residual = f - ys[i];
      const da = -power * f * f;
      const db = -a * power * 2 * Math.log(x) * f * f;
      jaa += da * da; jab += da * db; jbb += db * db;
      ga += da * residual; gb += db * residual;
    }
    const maa = jaa * (1 + damping);
    const mbb = jbb * (1 + damping);
    const determinant = maa * mbb - jab * jab;
    if (determinant === 0) break;
    const stepA = -(mbb * ga - jab * gb) / determinant;
    const stepB = -(maa * gb - jab * ga) / determinant;
    const candidate = squaredError(xs, ys, a + stepA, b + stepB);
    if (candidate < error && a + stepA > 0 && b + stepB > 0) {
      const improvement = error - candidate;
      a += stepA;
      b += stepB;
      error = candidate;
      damping = Math.max(damping / 10, 1e-12);
      if (improvement < 1e-14) break;
    } else {
      damping *= 10;
      if (damping > 1e12) break;
    }
  }
  return { a, b };
}

function squaredError(xs: readonly number[], ys: readonly number[], a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (1 / (1 + a * xs[i] ** (2 * b)) - ys[i]) ** 2;
  return sum;
}
