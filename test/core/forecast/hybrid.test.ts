import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { technologyPatents, type DemoGroundTruth } from '../../../src/core/demo/generate';
import { runForecast } from '../../../src/core/forecast/forecast';
import { backtestWindows, featureContributions } from '../../../src/core/forecast/hybrid';
import { parseWindows, scaledDefaultWindows } from '../../../src/core/forecast/windows';
import type { Patent } from '../../../src/core/types';

const truth = JSON.parse(readFileSync('public/demo/ground-truth.json', 'utf8')) as DemoGroundTruth;
const patents = technologyPatents(readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Patent), truth);
const WINDOWS = scaledDefaultWindows(1980, 2020);

describe('hybrid forecaster', () => {
  it('backtest windows are the forecast windows shifted back by the scoring window\'s length', () => {
    const back = backtestWindows(parseWindows('-2000,2001-2005,2006-2010'));
    expect(back).toEqual(parseWindows('-1995,1996-2000,2001-2005'));
    const uneven = backtestWindows(parseWindows('1980-1999,2000-2007,2008-2010'));
    expect(uneven).toEqual(parseWindows('1977-1996,1997-2004,2005-2007'));
  });

  it('fits without reading the scoring years: the years read end before them, and changing those patents leaves the fit unchanged', async () => {
    const run = (data: readonly Patent[]) => runForecast({
      patents: data, level: 'subclass', windows: WINDOWS, labels: { mode: 'above-null' }, embeddings: {},
      baselines: ['resource-allocation', 'preferential-attachment'], textTfidf: true, hybrid: {}, topN: 5,
    });
    const report = await run(patents);
    const hybrid = report.hybrid;
    if (!hybrid) throw new Error('no hybrid in the report');
    expect(hybrid.windows).toEqual({ learn: '≤2005', embed: '2006-2010', score: '2011-2015' });
    expect(hybrid.yearsRead.last).toBe(2015);
    expect(hybrid.yearsRead.last).toBeLessThan(WINDOWS.score.from);
    expect(hybrid.coefficients.map((c) => c.feature)).toEqual(['cosine:text-tfidf', 'resource-allocation', 'adamic-adar', 'common-neighbours', 'preferential-attachment', 'log-degree-min', 'log-degree-max']);
    const method = report.methods.find((m) => m.method === 'hybrid');
    expect(method?.kind).toBe('hybrid');
    expect(Object.keys(method?.top[0].features ?? {})).toEqual(hybrid.coefficients.map((c) => c.feature));

    // Scramble the scoring window: each patent keeps its first code and takes another patent's, so labels change but nothing the fit read does.
    const scoring = patents.filter((p) => p.year >= WINDOWS.score.from);
    const scrambled = patents.map((p) => {
      if (p.year < WINDOWS.score.from) return p;
      const other = scoring[(scoring.indexOf(p) * 7 + 3) % scoring.length];
      return { ...p, codes: [p.codes[0], other.codes[other.codes.length - 1]], title: other.title };
    });
    const again = await run(scrambled);
    expect(again.balance.positives).not.toBe(report.balance.positives);
    expect(again.hybrid?.coefficients).toEqual(hybrid.coefficients);
    expect(again.hybrid?.intercept).toBe(hybrid.intercept);

    // Each top pair's score is the intercept plus its features' parts: the view's "why this rank" adds up.
    for (const pair of method?.top ?? []) {
      const parts = featureContributions(hybrid.coefficients, pair.features ?? {});
      expect(Math.abs(hybrid.intercept + parts.reduce((sum, p) => sum + p.contribution, 0) - pair.score)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(pair.score)));
    }
  });

  it('is left out with its reason when the backtest lies before the data; the other methods still run', async () => {
    const report = await runForecast({
      patents, level: 'subclass', windows: parseWindows('-1981,1982-1985,1986-2000'), labels: { mode: 'above-null' }, embeddings: {},
      baselines: ['resource-allocation'], textTfidf: true, hybrid: {},
    });
    expect(report.hybrid).toBeUndefined();
    expect(report.hybridSkipped).toBe("the hybrid's backtest (windows ≤1966, 1967-1970, 1971-1985) has no candidate pairs: the data start too late for it");
    expect(report.methods.map((m) => m.method)).toEqual(['text-tfidf', 'resource-allocation']);
    expect(report.paired.map((d) => d.a)).toEqual(['text-tfidf']);
  });
});
