import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeAt } from '../../src/core/codes';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { BASELINES } from '../../src/core/forecast/baselines';
import type { CodeEmbedding } from '../../src/core/forecast/candidate-cosine';
import { fastCpuCosineBlock } from '../../src/core/fast-cosine/wasm-cosine';
import { runForecast, type ForecastInput } from '../../src/core/forecast/forecast';
import { backtestWindows } from '../../src/core/forecast/hybrid';
import { inRange, type ForecastWindows, type YearRange } from '../../src/core/forecast/windows';
import type { Patent } from '../../src/core/types';
import { SpaceEngine } from '../../src/engines/space-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { patents, storeDemo, windows } from './forecast-fixture';

const LABELS = { mode: 'above-null' } as const;
const cosineBlock = fastCpuCosineBlock();
/** A code only a 1985 patent carries (no stored vector): no patent in the last five years. */
const OLD_CODE = 'A99Z';
const oldPatent: Patent = { id: 'old-1985', year: 1985, title: 'Old', codes: [`${OLD_CODE} 1/00`, 'H05K 1/00'] };

async function stored(datasetId: string): Promise<Patent[]> {
  const store = await DatasetStore.open();
  try {
    return await store.getPatents(datasetId);
  } finally {
    store.close();
  }
}

/** Mean-of-patents code vectors of a window, from the stored patent vectors (as the forecast engine reads them). */
async function meanOf(datasetId: string, all: readonly Patent[], range: YearRange): Promise<CodeEmbedding> {
  const store = await DatasetStore.open();
  try {
    const inWindow = all.filter((p) => inRange(p.year, range) && p.codes.some((c) => codeAt('subclass', c) !== null));
    const aligned = await store.getAlignedEmbeddings(datasetId, 'model-x', inWindow.map((p) => p.id));
    if (!aligned || aligned.ids.length !== inWindow.length) throw new Error('the fixture has vectors for the window');
    const mean = meanOfPatentVectors(inWindow, aligned.vectors, aligned.dim, 'subclass');
    return { codes: mean.codes, dim: aligned.dim, vectors: mean.vectors };
  } finally {
    store.close();
  }
}

/** Every candidate's score under `method` (runForecast's top list over all candidates), best first, ties in candidate order. */
async function allScores(input: ForecastInput, method: string): Promise<{ codes: [string, string]; score: number }[]> {
  const report = await runForecast({ ...input, topN: Number.MAX_SAFE_INTEGER }, { cosineBlock });
  const found = report.methods.find((m) => m.method === method);
  if (!found) throw new Error(`runForecast did not score ${method}`);
  expect(found.top).toHaveLength(report.counts.candidates);
  return found.top;
}

/** The first ten partners of `code` in a ranking of all candidates. */
function partnersIn(ranking: { codes: [string, string]; score: number }[], code: string) {
  return ranking.filter((p) => p.codes.includes(code)).slice(0, 10).map((p) => ({ code: p.codes[0] === code ? p.codes[1] : p.codes[0], score: p.score }));
}

function combinedSoFar(all: readonly Patent[], a: string, b: string): boolean {
  return all.some((p) => {
    const codes = new Set(p.codes.map((c) => codeAt('subclass', c)));
    return codes.has(a) && codes.has(b);
  });
}

describe('future partners of the technology space', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('ranks never-combined codes by the backtest\'s best method, with its scores as the core computes them', async () => {
    const datasetId = await storeDemo([oldPatent]);
    const all = await stored(datasetId);
    // Backtest ends at the data's last year (the demo's default windows); the present moves them on by five years.
    const backtest: ForecastWindows = windows;
    expect(backtest.score.to).toBe(2020);
    const shift = (r: YearRange) => ({ from: r.from + 5, to: r.to + 5 });
    const present: ForecastWindows = { learn: shift(backtest.learn), embed: shift(backtest.embed), score: shift(backtest.score) };
    const earlier = backtestWindows(backtest);
    const direct = await runForecast({
      patents: all, level: 'subclass', windows: backtest, labels: LABELS, baselines: BASELINES, topN: 0, textTfidf: true,
      embeddings: { 'mean-of-patents': await meanOf(datasetId, all, backtest.embed) },
      hybrid: { backtestEmbeddings: { 'mean-of-patents': await meanOf(datasetId, all, earlier.embed) } },
    }, { cosineBlock });
    expect(direct.hybrid).toBeDefined();
    let best = direct.methods[0];
    for (const m of direct.methods) if (m.method !== 'random' && m.auc > best.auc) best = m;

    const engine = new SpaceEngine();
    const active = [...new Set(all.filter((p) => inRange(p.year, present.embed)).flatMap((p) => p.codes.map((c) => codeAt('subclass', c) as string)))].sort();
    const code = active[3];
    const result = await engine.partners(datasetId, 'model-x', 'subclass', code);
    const { basis } = result;
    expect(basis.fallback).toBeNull();
    expect(basis.method).toBe(best.method);
    expect(basis.kind).toBe(best.kind);
    expect(basis.auc).toBe(best.auc);
    expect(basis.backtest).toEqual(direct.windows);
    expect(basis.codeYears).toBe('2016-2020');
    expect(basis.compared.map((m) => m.method).sort()).toEqual(direct.methods.map((m) => m.method).sort());
    expect(basis.compared[0].auc).toBeGreaterThanOrEqual(basis.compared.at(-1)?.auc ?? 0);
    console.log(`best of ${direct.methods.length} methods on the demo with random vectors: ${basis.method} (AUC ${basis.auc?.toFixed(3)})`);

    // The chosen method over the present's candidates (patents up to 2020, codes of 2016–2020), straight from runForecast.
    const ranking = await allScores({
      patents: all, level: 'subclass', windows: present, labels: LABELS, baselines: best.kind === 'baseline' ? [best.method as (typeof BASELINES)[number]] : [],
      textTfidf: true, embeddings: { 'mean-of-patents': await meanOf(datasetId, all, present.embed) },
      ...(best.kind === 'hybrid' ? { hybrid: { backtestEmbeddings: { 'mean-of-patents': await meanOf(datasetId, all, backtest.embed) } } } : {}),
    }, best.method);
    expect(basis.candidates).toBe(ranking.length);
    for (const c of [code, active[0], active.at(-1) as string]) {
      const { partners, empty } = c === code ? result : await engine.partners(datasetId, 'model-x', 'subclass', c);
      expect(partners).toEqual(partnersIn(ranking, c));
      expect(empty).toBeNull();
      expect(partners.length).toBeGreaterThan(0);
      for (const p of partners) {
        expect(combinedSoFar(all, c, p.code), `${c} + ${p.code}`).toBe(false);
        expect(active).toContain(p.code);
      }
    }
    // A code without patents in the last five years has no forecast, and says why.
    const old = await engine.partners(datasetId, 'model-x', 'subclass', OLD_CODE);
    expect(old.partners).toEqual([]);
    expect(old.empty).toContain('no patent in 2016-2020');
    expect(result.fromCache).toBe(false);

    // Computed once per dataset: a new engine (a reloaded page) reads the table from the store.
    const again = await new SpaceEngine().partners(datasetId, 'model-x', 'subclass', code);
    expect(again.fromCache).toBe(true);
    expect(again.partners).toEqual(result.partners);
    expect(again.basis).toEqual(basis);
    await engine.destroy();
  });

  it('with too few years for a backtest, falls back to resource allocation over every patent and says why', async () => {
    const twoYears = patents.filter((p) => p.year >= 2019);
    const datasetId = await storeDemo([], [], twoYears);
    const all = await stored(datasetId);
    const codes = [...new Set(all.flatMap((p) => p.codes.map((c) => codeAt('subclass', c) as string)))].sort();
    const code = codes[0];
    const result = await new SpaceEngine().partners(datasetId, 'model-x', 'subclass', code);
    expect(result.basis.method).toBe('resource-allocation');
    expect(result.basis.auc).toBeNull();
    expect(result.basis.backtest).toBeNull();
    expect(result.basis.fallback).toContain('a backtest needs at least three');
    expect(result.basis.codeYears).toBe('2019-2020');
    const ranking = await allScores({
      patents: all, level: 'subclass', labels: LABELS, baselines: ['resource-allocation'], embeddings: {},
      windows: { learn: { from: Number.NEGATIVE_INFINITY, to: 2018 }, embed: { from: 2019, to: 2020 }, score: { from: 2021, to: 2021 } },
    }, 'resource-allocation');
    expect(result.partners).toEqual(partnersIn(ranking, code));
    expect(result.partners.length).toBeGreaterThan(0);
    for (const p of result.partners) expect(combinedSoFar(all, code, p.code)).toBe(false);
  });

  it('reports the backtest\'s progress; a cancelled ask drops out while another waiting for the same table gets it', async () => {
    const datasetId = await storeDemo([]);
    const engine = new SpaceEngine();
    const codes = [...new Set((await stored(datasetId)).filter((p) => p.year >= 2016).flatMap((p) => p.codes.map((c) => codeAt('subclass', c) as string)))].sort();
    const seen: number[] = [];
    const cancelled = engine.partners(datasetId, 'model-x', 'subclass', codes[0], { taskId: 'first' });
    const kept = engine.partners(datasetId, 'model-x', 'subclass', codes[1], { taskId: 'second' }, (p) => seen.push(p.done));
    engine.abort('first');
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    const result = await kept;
    expect(result.code).toBe(codes[1]);
    expect(result.partners.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBeGreaterThan(seen[0]);
    await engine.destroy();
  });

  it('stops the table when its only ask is cancelled, and the next ask computes it afresh', async () => {
    const datasetId = await storeDemo([]);
    const engine = new SpaceEngine();
    const code = (await stored(datasetId)).find((p) => p.year >= 2016)?.codes.map((c) => codeAt('subclass', c) as string)[0] as string;
    const controller = new AbortController();
    const cancelled = engine.partners(datasetId, 'model-x', 'subclass', code, { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    const afresh = await engine.partners(datasetId, 'model-x', 'subclass', code);
    expect(afresh.fromCache).toBe(false);
    expect(afresh.partners.length).toBeGreaterThan(0);
    await engine.destroy();
  });
});
