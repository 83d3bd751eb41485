import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeAt } from '../../src/core/codes';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import type { CodeEmbedding } from '../../src/core/forecast/candidate-cosine';
import { fastCpuCosineBlock } from '../../src/core/fast-cosine/wasm-cosine';
import { runForecast } from '../../src/core/forecast/forecast';
import { backtestWindows } from '../../src/core/forecast/hybrid';
import { tfidfCodeVectors, TEXT_TFIDF } from '../../src/core/forecast/text-tfidf';
import { formatRange, inRange, parseWindows, type ForecastWindows } from '../../src/core/forecast/windows';
import { isNoEmbeddings, type NoEmbeddings } from '../../src/core/outcomes';
import type { Patent } from '../../src/core/types';
import { GpuPolicy } from '../../src/gpu/backend';
import { ForecastEngine, type ForecastJob, type ForecastOutcome } from '../../src/engines/forecast-engine';
import { techTokenWindowKey } from '../../src/ml/vector-keys';
import { DatasetStore } from '../../src/store/dataset-store';
import { patents, storeDemo, windows } from './forecast-fixture';

const cpuEngine = () => new ForecastEngine({ gpu: new GpuPolicy({ acquire: async () => ({ ok: false, reason: 'no adapter here' }) }) });

const job: ForecastJob = {
  modelId: 'model-x', level: 'subclass', windows, labels: { mode: 'above-null' },
  methods: ['mean-of-patents', 'techtoken', 'text-tfidf', 'hybrid'], baselines: ['resource-allocation', 'preferential-attachment', 'random'], preferGpu: false,
};

function forecastOf(outcome: ForecastOutcome | NoEmbeddings): ForecastOutcome {
  if (isNoEmbeddings(outcome)) throw new Error(`expected a forecast, got: ${outcome.message}`);
  return outcome;
}

/** The stored patents as the engine reads them (up to the windows' last year, in the store's order). */
async function storedPatents(datasetId: string, to: number): Promise<Patent[]> {
  const store = await DatasetStore.open();
  try {
    return await store.getPatentsInYears(datasetId, { from: Number.NEGATIVE_INFINITY, to });
  } finally {
    store.close();
  }
}

/** The code vectors the engine reads for a window: mean-of-patents from the stored patent vectors, TechToken as stored. */
async function storedVectors(datasetId: string, all: readonly Patent[], range: { from: number; to: number }): Promise<Record<string, CodeEmbedding>> {
  const store = await DatasetStore.open();
  try {
    const inWindow = all.filter((p) => inRange(p.year, range) && p.codes.some((c) => codeAt('subclass', c) !== null));
    const aligned = await store.getAlignedEmbeddings(datasetId, 'model-x', inWindow.map((p) => p.id));
    if (!aligned) throw new Error('the fixture has vectors');
    const mean = meanOfPatentVectors(inWindow, aligned.vectors, aligned.dim, 'subclass');
    const out: Record<string, CodeEmbedding> = { 'mean-of-patents': { codes: mean.codes, dim: aligned.dim, vectors: mean.vectors } };
    const tokens = await store.getEmbeddings(datasetId, techTokenWindowKey('model-x', range));
    if (tokens) out.techtoken = { codes: tokens.ids, dim: tokens.dim, vectors: tokens.vectors };
    return out;
  } finally {
    store.close();
  }
}

describe('ForecastEngine: text-tfidf and the hybrid', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('text-tfidf needs no model and equals the core\'s method on the same stored patents', async () => {
    const datasetId = await storeDemo();
    // A model with no vectors at all: text-tfidf must not read any.
    const outcome = forecastOf(await cpuEngine().run(datasetId, { ...job, modelId: 'no-such-model', methods: ['text-tfidf'], baselines: [] }));
    expect(outcome.report.methods.map((m) => [m.method, m.kind])).toEqual([[TEXT_TFIDF, 'embedding']]);
    const all = await storedPatents(datasetId, windows.score.to);
    const direct = await runForecast({ patents: all, level: 'subclass', windows, labels: job.labels, embeddings: {}, baselines: [], textTfidf: true }, { cosineBlock: fastCpuCosineBlock() });
    expect(outcome.report).toEqual(direct);

    // And the core's function itself: each top pair's score is the cosine of its codes' TF-IDF vectors.
    const vectors = tfidfCodeVectors(all.filter((p) => inRange(p.year, windows.embed)), 'subclass');
    const row = (code: string) => vectors.vectors.subarray(vectors.codes.indexOf(code) * vectors.dim, (vectors.codes.indexOf(code) + 1) * vectors.dim);
    for (const pair of outcome.report.methods[0].top.slice(0, 10)) {
      const [a, b] = pair.codes.map(row);
      let dot = 0;
      for (let d = 0; d < vectors.dim; d++) dot += a[d] * b[d];
      expect(Math.abs(pair.score - dot)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('fits the hybrid on the backtest windows, never on a scoring year, and equals the core\'s hybrid on the same vectors', async () => {
    const backtest = backtestWindows(windows);
    const datasetId = await storeDemo([], [windows.embed, backtest.embed]);
    const outcome = forecastOf(await cpuEngine().run(datasetId, job));
    const { report } = outcome;
    const hybrid = report.hybrid;
    if (!hybrid) throw new Error(`no hybrid: ${report.hybridSkipped}`);
    expect(outcome.skipped).toEqual([]);
    expect(report.methods.map((m) => [m.method, m.kind])).toEqual([
      ['mean-of-patents', 'embedding'], ['techtoken', 'embedding'], [TEXT_TFIDF, 'embedding'],
      ['resource-allocation', 'baseline'], ['preferential-attachment', 'baseline'], ['random', 'baseline'], ['hybrid', 'hybrid'],
    ]);
    expect(hybrid.windows).toEqual({ learn: formatRange(backtest.learn), embed: formatRange(backtest.embed), score: formatRange(backtest.score) });
    expect(hybrid.yearsRead.last).toBe(backtest.score.to);
    expect(hybrid.yearsRead.last).toBeLessThan(windows.score.from);
    expect(hybrid.coefficients.map((c) => c.feature).slice(0, 3)).toEqual(['cosine:mean-of-patents', 'cosine:techtoken', `cosine:${TEXT_TFIDF}`]);
    expect(hybrid.excluded).toEqual([]);
    expect(outcome.hybridLeftOut).toEqual([]);
    expect(report.paired.map((d) => d.a)).toEqual(['hybrid', expect.any(String)]);

    // The core on the same patents and vectors, backtest vectors read from the backtest's embedding window.
    const all = await storedPatents(datasetId, windows.score.to);
    const direct = await runForecast({
      patents: all, level: 'subclass', windows, labels: job.labels, baselines: job.baselines,
      embeddings: await storedVectors(datasetId, all, windows.embed), textTfidf: true,
      hybrid: { backtestEmbeddings: await storedVectors(datasetId, all, backtest.embed) },
    }, { cosineBlock: fastCpuCosineBlock() });
    expect(report).toEqual(direct);
  });

  it('for other windows too: the fit ends before the scoring window and ignores what happens in it', async () => {
    // Scoring windows of 4 years: the backtest is shifted back 4 years; no TechToken vectors of its embedding window.
    const other: ForecastWindows = parseWindows('-2004,2005-2008,2009-2012');
    const backtest = backtestWindows(other);
    expect(backtest.score.to).toBe(2008);
    const run = async (data: readonly Patent[]) => forecastOf(await cpuEngine().run(await storeDemo([], [other.embed], data), { ...job, windows: other }));
    const outcome = await run(patents);
    const hybrid = outcome.report.hybrid;
    if (!hybrid) throw new Error(`no hybrid: ${outcome.report.hybridSkipped}`);
    expect(hybrid.yearsRead.last).toBeLessThan(other.score.from);
    expect(hybrid.windows.score).toBe('2005-2008');
    expect(hybrid.excluded).toEqual(['techtoken']);
    expect(outcome.hybridLeftOut).toEqual([{ method: 'techtoken', reason: 'model-x has no code tokens stored for the patents of 2001-2004' }]);

    // Rewrite the scoring window's (and later) patents' codes: the labels change, the fit does not.
    const late = patents.filter((p) => p.year >= other.score.from);
    const scrambled = patents.map((p) => {
      if (p.year < other.score.from) return p;
      const donor = late[(late.indexOf(p) * 7 + 3) % late.length];
      return { ...p, codes: [p.codes[0], donor.codes[donor.codes.length - 1]] };
    });
    const again = await run(scrambled);
    expect(again.report.balance.positives).not.toBe(outcome.report.balance.positives);
    expect(again.report.hybrid?.coefficients).toEqual(hybrid.coefficients);
    expect(again.report.hybrid?.intercept).toBe(hybrid.intercept);
  });

  it('skips the hybrid with its reason when the backtest lies before the data, and runs the rest', async () => {
    // Scoring window of 15 years: the backtest's embedding window 1967-1970 lies before the demo's first patent (1981).
    const early: ForecastWindows = parseWindows('-1981,1982-1985,1986-2000');
    const datasetId = await storeDemo([], [early.embed]);
    const outcome = forecastOf(await cpuEngine().run(datasetId, { ...job, windows: early }));
    expect(outcome.skipped).toEqual([{ method: 'hybrid', reason: expect.stringMatching(/^the hybrid's backtest \(windows ≤1966, 1967-1970, 1971-1985\) has no candidate pairs: the data start too late for it$/) }]);
    expect(outcome.report.hybrid).toBeUndefined();
    expect(outcome.report.hybridSkipped).toBe(outcome.skipped[0].reason);
    expect(outcome.report.methods.map((m) => m.method)).toEqual(['mean-of-patents', 'techtoken', TEXT_TFIDF, ...job.baselines]);
    const kinds = new Map(outcome.report.methods.map((m) => [m.method, m.kind]));
    expect(outcome.report.paired.map((d) => [kinds.get(d.a), kinds.get(d.b)])).toEqual([['embedding', 'baseline']]);
    expect(outcome.hybridLeftOut).toEqual([]);
  });

  it('skips the hybrid with its reason when the backtest has no positive pair', async () => {
    // Backtest (≤2001, 2002-2003, 2004-2005): its scoring years only repeat known pairs. The forecast's scoring years combine A01B with C01B.
    const code = { a: 'A01B 1/00', b: 'B01D 5/00', c: 'C01B 3/00', d: 'D01F 7/00' };
    const known = (year: number, n: number): Patent[] => [
      { id: `k${year}-${n}a`, year, title: 'Soil tilling plough with filter', codes: [code.a, code.b] },
      { id: `k${year}-${n}b`, year, title: 'Hydrogen fibre spinning with filter', codes: [code.c, code.d] },
    ];
    const data = [...known(2000, 1), ...known(2002, 1), ...known(2003, 1), ...known(2004, 1), ...known(2005, 1),
      { id: 'new-2006', year: 2006, title: 'Plough making hydrogen', codes: [code.a, code.c] }];
    const tiny = parseWindows('-2003,2004-2005,2006-2007');
    const datasetId = await storeDemo([], [], data);
    const outcome = forecastOf(await cpuEngine().run(datasetId, {
      ...job, windows: tiny, labels: { mode: 'at-least-once' }, methods: ['text-tfidf', 'hybrid'], baselines: ['common-neighbours'],
    }));
    expect(outcome.report.balance.positives).toBe(1);
    expect(outcome.skipped).toEqual([{ method: 'hybrid', reason: "the hybrid's backtest (windows ≤2001, 2002-2003, 2004-2005) has no positive pairs to fit on" }]);
    expect(outcome.report.methods.map((m) => m.method)).toEqual([TEXT_TFIDF, 'common-neighbours']);
  });
});
