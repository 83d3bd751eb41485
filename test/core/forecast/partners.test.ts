import { describe, expect, it } from 'vitest';
import type { CandidatePairs } from '../../../src/core/forecast/candidates';
import { partnersOf, partnerTable, type PartnerBasis } from '../../../src/core/forecast/partner-table';
import { forecastPartners, partnerWindows } from '../../../src/core/forecast/partners';
import { backtestWindows } from '../../../src/core/forecast/hybrid';

const basis: PartnerBasis = {
  method: 'm', kind: 'baseline', auc: 0.6, backtest: null, backtestPairs: null, compared: [], codeYears: '2001-2002', hybridYears: null, fallback: null, leftOut: [], candidates: 0,
};

describe('partner table', () => {
  it('keeps each code\'s best partners, highest first, equal scores in code order, at most perCode', () => {
    // Codes a b c d e; candidates ascending by (first, second).
    const pairs: [number, number, number][] = [[0, 1, 0.5], [0, 2, 0.9], [0, 3, 0.5], [0, 4, 0.1], [1, 3, 0.7], [2, 4, 0.5]];
    const candidates: CandidatePairs = { codeCount: 5, first: Uint32Array.from(pairs.map((p) => p[0])), second: Uint32Array.from(pairs.map((p) => p[1])), length: pairs.length };
    const scores = Float32Array.from(pairs.map((p) => p[2]));
    const active = Uint8Array.from([1, 1, 1, 1, 0]);
    const table = partnerTable(basis, ['a', 'b', 'c', 'd', 'e'], active, candidates, scores, 3);
    expect(partnersOf(table, 'a').partners.map((p) => p.code)).toEqual(['c', 'b', 'd']);
    expect(partnersOf(table, 'd').partners).toEqual([{ code: 'b', score: Math.fround(0.7) }, { code: 'a', score: 0.5 }]);
    expect(partnersOf(table, 'e').empty).toContain('no patent in 2001-2002');
    expect(partnersOf(table, 'zz').empty).toContain('no patent with a code');
    // A full list keeps the earlier of two equal scores at its end.
    expect(partnersOf(partnerTable(basis, ['a', 'b', 'c', 'd', 'e'], active, candidates, scores, 2), 'a').partners.map((p) => p.code)).toEqual(['c', 'b']);
  });

  it('says when a code was already combined with every active code', () => {
    const none: CandidatePairs = { codeCount: 2, first: new Uint32Array(0), second: new Uint32Array(0), length: 0 };
    const table = partnerTable(basis, ['a', 'b'], Uint8Array.from([1, 1]), none, new Float32Array(0), 5);
    expect(partnersOf(table, 'a')).toEqual({ partners: [], empty: 'a has already been combined with every code that has patents in 2001-2002.' });
  });
});

describe('forecastPartners windows and fallback', () => {
  it('backtests on windows ending at the last year; the present is the next step, its backtest the same windows', () => {
    const { backtest, present } = partnerWindows(1980, 2020);
    expect(backtest.score).toEqual({ from: 2016, to: 2020 });
    expect(present.embed).toEqual({ from: 2016, to: 2020 });
    expect(backtestWindows(present)).toEqual(backtest);
  });

  it('falls back to resource allocation when the backtest has no new combination to rank methods by', async () => {
    // Every patent carries the same three codes: nothing is ever new.
    const patents = Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, year: 1990 + i, codes: ['H01L 1/00', 'H04W 1/00', 'G06F 1/00'] }));
    const table = await forecastPartners({ patents, level: 'subclass' });
    expect(table.basis.method).toBe('resource-allocation');
    expect(table.basis.fallback).toContain('0 new combinations among 0 candidate pairs');
    expect(partnersOf(table, 'H01L').empty).toContain('already been combined with every code');
  });
});
