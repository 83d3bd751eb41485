import { describe, expect, it } from 'vitest';
import { fitLogistic, logisticScores } from '../../../src/core/forecast/logistic';

const logit = (p: number) => Math.log(p / (1 - p));

describe('logistic regression (IRLS, L2, standardised features)', () => {
  it('one binary feature: the fit reproduces the log-odds of the 2×2 table', () => {
    // x = 0: 30 positives, 170 negatives; x = 1: 60 positives, 40 negatives.
    const x: number[] = [];
    const y: number[] = [];
    const add = (value: number, label: number, count: number) => { for (let i = 0; i < count; i++) { x.push(value); y.push(label); } };
    add(0, 1, 30); add(0, 0, 170); add(1, 1, 60); add(1, 0, 40);
    const model = fitLogistic(['x'], [Float64Array.from(x)], Uint8Array.from(y), { l2: 1e-9 });
    expect(model.converged).toBe(true);
    const [mean, sd] = [model.means[0], model.sds[0]];
    expect(mean).toBeCloseTo(100 / 300, 12);
    // Back to the raw feature: slope β/sd, intercept β0 − β·mean/sd.
    const slope = model.coefficients[0] / sd;
    const intercept = model.intercept - (model.coefficients[0] * mean) / sd;
    expect(intercept).toBeCloseTo(logit(30 / 200), 6);
    expect(slope).toBeCloseTo(logit(60 / 100) - logit(30 / 200), 6);
    const scores = logisticScores(model, [Float64Array.from([0, 1])]);
    expect(scores[0]).toBeCloseTo(logit(0.15), 5);
    expect(scores[1]).toBeCloseTo(logit(0.6), 5);
  });

  it('the L2 penalty shrinks the coefficient, and a constant feature gets none', () => {
    const x = Float64Array.from({ length: 400 }, (_, i) => (i % 2));
    const y = Uint8Array.from({ length: 400 }, (_, i) => (i % 2 === 1 ? (i % 3 === 0 ? 0 : 1) : (i % 5 === 0 ? 1 : 0)));
    const free = fitLogistic(['x', 'c'], [x, new Float64Array(400).fill(3)], y, { l2: 1e-9 });
    const ridge = fitLogistic(['x', 'c'], [x, new Float64Array(400).fill(3)], y, { l2: 200 });
    expect(free.coefficients[0]).toBeGreaterThan(0.5);
    expect(ridge.coefficients[0]).toBeLessThan(0.8 * free.coefficients[0]);
    expect(ridge.coefficients[0]).toBeGreaterThan(0);
    expect(free.coefficients[1]).toBe(0);
  });
});
