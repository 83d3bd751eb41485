import { describe, expect, it } from 'vitest';
import { countWindow, indexPatents, windowEdges } from '../../../src/core/forecast/cooccurrence';
import { edgeSwapMeanCooccurrence } from '../../../src/core/forecast/edge-swap';
import { cooccurrenceZ, expectedCooccurrence, labelCandidates, nullModel, poissonUpperTail } from '../../../src/core/forecast/null-model';
import { mulberry32 } from '../../../src/core/random';

/** Patents with 1–5 codes out of `codes`, drawn with skewed popularity (some codes on 10 % of patents). */
function syntheticPatents(seed: number, count: number, codes: number): { id: string; year: number; codes: string[] }[] {
  const rng = mulberry32(seed);
  const names = Array.from({ length: codes }, (_, i) => `A${String(10 + Math.floor(i / 26)).padStart(2, '0')}${String.fromCharCode(65 + (i % 26))}`);
  return Array.from({ length: count }, (_, p) => {
    const degree = 1 + Math.floor(rng() ** 2 * 5);
    const chosen = new Set<string>();
    while (chosen.size < degree) chosen.add(names[Math.floor(codes * rng() ** 2.5)]);
    return { id: `P${p}`, year: 2000, codes: [...chosen] };
  });
}

describe('null model of the scoring window', () => {
  it('expects what degree-preserving edge swaps produce', () => {
    const indexed = indexPatents(syntheticPatents(5, 1500, 60), 'subclass');
    const range = { from: 2000, to: 2000 };
    const window = countWindow(indexed, range);
    const model = nullModel(window);
    const n = indexed.codes.length;
    const edges = windowEdges(indexed, range);
    const simulated = edgeSwapMeanCooccurrence(edges.offsets, edges.codes, n, { seed: 9, samples: 40, swapsPerEdge: 5 });
    // Pairs with an expectation of at least 2 (rarer pairs are too noisy for 40 samples).
    let pairs = 0;
    let sumExpected = 0;
    let sumSimulated = 0;
    let sumAbsRelError = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const expected = expectedCooccurrence(model, i, j);
        if (expected < 2) continue;
        const mc = simulated.get(i * n + j) ?? 0;
        pairs++;
        sumExpected += expected;
        sumSimulated += mc;
        sumAbsRelError += Math.abs(expected - mc) / mc;
      }
    }
    expect(pairs).toBeGreaterThan(100);
    expect(Math.abs(sumExpected - sumSimulated) / sumSimulated).toBeLessThan(0.03);
    expect(sumAbsRelError / pairs).toBeLessThan(0.1);
    // The null is not the data: the real counts of this skewed corpus differ from the expectation.
    expect(window.pairs.size).toBeGreaterThan(0);
  });

  it('has the closed form k_i k_j S / (M² − Σk²)', () => {
    // Patents {a,b}, {a,c}, {a,b,c}, {d}: k = (3,2,2,1), M = 8, S = 2+2+6+0 = 10, Σk² = 18.
    const indexed = indexPatents([
      { id: '1', year: 1, codes: ['A01A', 'B01B'] },
      { id: '2', year: 1, codes: ['A01A', 'C01C'] },
      { id: '3', year: 1, codes: ['A01A', 'B01B', 'C01C'] },
      { id: '4', year: 1, codes: ['D01D'] },
    ], 'subclass');
    const model = nullModel(countWindow(indexed, { from: 1, to: 1 }));
    expect(model.stubs).toBe(8);
    expect(model.orderedPairStubs).toBe(10);
    expect(expectedCooccurrence(model, 0, 1)).toBeCloseTo((3 * 2 * 10) / (64 - 18), 12);
    // Summed over all pairs it gives the S/2 = 5 co-occurrences every graph with these degrees has.
    let total = 0;
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) total += expectedCooccurrence(model, i, j);
    expect(total).toBeCloseTo(5, 12);
  });

  it('computes Poisson tails and z-scores', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(poissonUpperTail(3, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * (1 + 0.5 + 0.125), 14);
    expect(poissonUpperTail(40, 1)).toBeGreaterThan(0);
    expect(poissonUpperTail(40, 1)).toBeLessThan(1e-40);
    expect(cooccurrenceZ(5, 4)).toBeCloseTo(0.5, 14);
    expect(cooccurrenceZ(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('labels candidates at-least-once or above the null with optional thresholds', () => {
    // Codes A,B popular (each on 4 of 5 patents), C,D rare. Scoring window counts:
    const indexed = indexPatents([
      { id: '1', year: 1, codes: ['A01A', 'B01B'] },
      { id: '2', year: 1, codes: ['A01A', 'B01B'] },
      { id: '3', year: 1, codes: ['A01A', 'B01B', 'C01C'] },
      { id: '4', year: 1, codes: ['A01A', 'B01B', 'D01D'] },
      { id: '5', year: 1, codes: ['C01C', 'D01D'] },
    ], 'subclass');
    const window = countWindow(indexed, { from: 1, to: 1 });
    // Candidates: A–B (0,1), A–C (0,2), C–D (2,3), B–D (1,3).
    const candidates = { codeCount: 4, first: Uint32Array.of(0, 0, 1, 2), second: Uint32Array.of(1, 2, 3, 3), length: 4 };
    const once = labelCandidates(candidates, window, { mode: 'at-least-once' });
    expect([...once.labels]).toEqual([1, 1, 1, 1]);
    expect([...once.observed]).toEqual([4, 1, 1, 1]);
    const model = nullModel(window);
    // k = (4,4,2,2), M = 12, S = 2+2+6+6+2 = 18, Σk² = 40 → scale 18/104.
    expect(model.pairScale).toBeCloseTo(18 / 104, 12);
    // A–B: E = 16·18/104 ≈ 2.77 < 4; A–C, B–D: E ≈ 1.38 > 1; C–D: E ≈ 0.69 < 1.
    const above = labelCandidates(candidates, window, { mode: 'above-null' });
    expect([...above.labels]).toEqual([1, 0, 0, 1]);
    const strict = labelCandidates(candidates, window, { mode: 'above-null', minZ: 0.5 });
    expect([...strict.labels]).toEqual([1, 0, 0, 0]);
    const byP = labelCandidates(candidates, window, { mode: 'above-null', maxP: 0.6 });
    // P(Poisson(0.69) ≥ 1) ≈ 0.50 ≤ 0.6; P(Poisson(2.77) ≥ 4) ≈ 0.30.
    expect([...byP.labels]).toEqual([1, 0, 0, 1]);
    expect(above.positives).toBe(2);
  });
});
