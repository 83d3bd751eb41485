import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/auc';
import { orderedKey, rankScores, rankScoresChunked } from '../../../src/core/forecast/ranking';
import { mulberry32 } from '../../../src/core/random';
import type { Progress } from '../../../src/core/progress';
import { rankScoresBaseline } from '../../bench/ranking-baseline';

const f32 = (values: number[]): Float32Array => Float32Array.from(values);
const u8 = (values: number[]): Uint8Array => Uint8Array.from(values);
const ENGINES = ['wasm', 'wasm-scalar', 'js'] as const;
const bitsOf = (value: number): number => new Uint32Array(Float32Array.of(value).buffer)[0];

describe('exact ranking metrics', () => {
  it('matches hand-computed AUCs with ties', () => {
    // Positives 0.8, 0.5; negatives 0.5, 0.2: pairs (0.8>0.5)=1, (0.8>0.2)=1, (0.5=0.5)=½, (0.5>0.2)=1 → 3.5/4.
    expect(rankScores(f32([0.8, 0.5, 0.5, 0.2]), u8([1, 1, 0, 0])).auc).toBe(0.875);
    // All tied: ½.
    expect(rankScores(f32([1, 1, 1]), u8([1, 0, 0])).auc).toBe(0.5);
    // Perfectly reversed: 0.
    expect(rankScores(f32([-3, -2, 5]), u8([1, 1, 0])).auc).toBe(0);
    // Positive 2 ties one of two negatives at 2, beats the one at -1: (½ + 1)/2.
    expect(rankScores(f32([2, 2, -1]), u8([1, 0, 0])).auc).toBe(0.75);
    expect(rankScores(f32([1, 2]), u8([0, 0])).auc).toBeNaN();
  });

  it('treats -0 and +0 as one score, and orders negative, subnormal and infinite scores', () => {
    expect(rankScores(f32([-0, 0]), u8([1, 0])).auc).toBe(0.5);
    const values = [Number.NEGATIVE_INFINITY, -1e30, -1, -1e-45, 0, 1e-45, 1e-30, 1, 3e38, Number.POSITIVE_INFINITY];
    const keys = values.map((v) => orderedKey(bitsOf(v)));
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThan(keys[i - 1]);
    for (const engine of ENGINES) {
      expect(() => rankScores(f32([1, 2, Number.NaN, 1]), u8([1, 0, 1, 0]), { engine })).toThrow('score 2 is NaN');
      expect(rankScores(f32([-0, 0]), u8([1, 0]), { engine }).auc).toBe(0.5);
    }
  });

  it('equals rocAuc exactly on random data with many ties, both bucket paths, any chunk size', () => {
    const rng = mulberry32(7);
    for (const [n, distinct] of [[1_000, 5], [5_000, 300], [20_000, 1e9], [150_000, 2]] as const) {
      const scores = new Float32Array(n);
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        // Few distinct values → huge tie groups (counting path when > 65,536 in one bucket).
        scores[i] = distinct < 1e9 ? Math.floor(rng() * distinct) / 7 - 0.2 : (rng() - 0.5) * 10;
        labels[i] = rng() < 0.1 + 0.5 * Math.abs(scores[i]) / 10 ? 1 : 0;
      }
      const reference = rocAuc(scores, labels);
      for (const engine of ENGINES) {
        expect(rankScores(scores, labels, { chunkSize: 777, engine }).auc).toBe(reference);
        expect(rankScores(scores, labels, { engine }).auc).toBe(reference);
      }
    }
  });

  it('gives the same AUC, ROC and precision@k as the sort-per-bucket version on every bucket path', () => {
    // 80 % in [0.5, 0.6): ~26 buckets of ~12 K scores, counted in the packed table; 2 % spread
    // over ±5·10⁵: small buckets, sorted; 1 % ±0 (one bucket, -0 tying +0); 17 % tied at 0.75:
    // one bucket of ~68 K > 2¹⁶, the wide tables. Labels are any non-zero byte.
    const rng = mulberry32(17);
    const n = 400_000;
    const scores = new Float32Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng();
      scores[i] = u < 0.8 ? 0.5 + rng() * 0.1 : u < 0.82 ? (rng() - 0.5) * 1e6 : u < 0.83 ? (i % 2 ? -0 : 0) : 0.75;
      labels[i] = rng() < 0.2 + 0.5 * Math.min(1, Math.abs(scores[i])) ? (i % 3) * 100 + 1 : 0;
    }
    // The first 200 K alone: the top-k windows then begin inside counted buckets.
    const dense = { scores: scores.subarray(0, 200_000).map((s) => (s > 0.5 && s < 0.6 ? s : 0.55)), labels: labels.subarray(0, 200_000) };
    const cases = [
      { scores, labels, options: [{ ks: [1, 10, 5000, 10 ** 6], rocPoints: 777 }, { ks: [], rocPoints: 3, chunkSize: 4099 }] },
      { ...dense, options: [{ ks: [3, 100, 4097, 50_001], rocPoints: 1001 }] },
    ];
    for (const { scores: s, labels: l, options: optionSets } of cases) {
      const reference = rocAuc(s, l);
      for (const options of optionSets) {
        const baseline = rankScoresBaseline(s, l, options);
        for (const engine of ENGINES) {
          const summary = rankScores(s, l, { ...options, engine });
          expect(summary, engine).toEqual(baseline);
          expect(summary.auc).toBe(reference);
        }
      }
    }
  });

  it('finds a top-k window wherever it begins inside a counted bucket', () => {
    // ~2,300 scores per bucket (counted); with 2 ROC points the window start alone stops the scan.
    const rng = mulberry32(23);
    const scores = Float32Array.from({ length: 60_000 }, () => 0.5 + rng() * 0.1);
    const labels = Uint8Array.from(scores, (s) => (rng() < (s - 0.5) * 10 ? 1 : 0));
    for (let k = 1; k < 400; k += 13) {
      const options = { ks: [k], rocPoints: 2 };
      const expected = rankScoresBaseline(scores, labels, options).precisionAtK;
      for (const engine of ENGINES) expect(rankScores(scores, labels, { ...options, engine }).precisionAtK, `${engine} k=${k}`).toEqual(expected);
    }
  });

  it('precision@k counts ties at the cut pro rata', () => {
    // Descending: 0.9(+) 0.8(−) 0.7(+) 0.7(−) 0.7(−) 0.1(+).
    const summary = rankScores(f32([0.7, 0.9, 0.1, 0.7, 0.8, 0.7]), u8([1, 1, 1, 0, 0, 0]), { ks: [1, 2, 3, 4, 6, 10] });
    expect(summary.precisionAtK.map((p) => p.precision)).toEqual([1, 0.5, (1 + 1 / 3) / 3, (1 + 2 / 3) / 4, 0.5, 0.5]);
  });

  it('returns a ROC curve from (0,0) to (1,1), monotone, at most ~rocPoints long', () => {
    const rng = mulberry32(3);
    const n = 50_000;
    const scores = Float32Array.from({ length: n }, () => rng());
    const labels = Uint8Array.from(scores, (s) => (rng() < s ? 1 : 0));
    const { roc, auc } = rankScores(scores, labels, { rocPoints: 100 });
    expect(roc.fpr.length).toBeLessThanOrEqual(102);
    expect([roc.fpr[0], roc.tpr[0]]).toEqual([0, 0]);
    expect([roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < roc.fpr.length; i++) {
      expect(roc.fpr[i]).toBeGreaterThanOrEqual(roc.fpr[i - 1]);
      expect(roc.tpr[i]).toBeGreaterThanOrEqual(roc.tpr[i - 1]);
      expect(roc.thresholds[i]).toBeLessThan(roc.thresholds[i - 1]);
      area += ((roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1])) / 2;
    }
    // The trapezoid area under the downsampled curve stays close to the exact AUC (≈ 2/3 here).
    expect(Math.abs(area - auc)).toBeLessThan(0.002);
    expect(auc).toBeGreaterThan(0.6);
  });

  it('runs chunked with progress and stops on abort', async () => {
    const rng = mulberry32(11);
    const scores = Float32Array.from({ length: 30_000 }, () => Math.round(rng() * 50));
    const labels = Uint8Array.from(scores, (s) => (rng() * 60 < s ? 1 : 0));
    const events: Progress[] = [];
    const summary = await rankScoresChunked(scores, labels, { chunkSize: 4096 }, (p) => events.push(p));
    expect(summary.auc).toBe(rocAuc(scores, labels));
    expect(events.length).toBeGreaterThan(10);
    expect(events.at(-1)?.done).toBe(90_000);
    const controller = new AbortController();
    const pending = rankScoresChunked(scores, labels, { chunkSize: 4096, signal: controller.signal }, (p) => {
      if (p.done > 10_000) controller.abort();
    });
    await expect(pending).rejects.toThrow(/cancelled/);
  });
});
