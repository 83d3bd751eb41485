/**
 * The patent map's points engine over a fake IndexedDB: columns in the layout's row order,
 * search equal to the naive per-patent search, code and level-code masks, codes of a selection,
 * summaries, cancel, and a reload when the rows change.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { codeAt } from '../../src/core/codes';
import { hasCode } from '../../src/core/map/code-match';
import { NO_SECTION, sectionIndex } from '../../src/core/ipc-sections';
import type { Patent } from '../../src/core/types';
import { MapPointsEngine } from '../../src/engines/map-points-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { makeReport, useFreshIndexedDb } from '../store/helpers';

const PATENTS: Patent[] = [
  { id: 'P3', year: 2003, title: 'Lithium anode', abstract: 'A coated ANODE', codes: ['H01M 4/13', 'H01M 10/05'] },
  { id: 'P1', year: 1999, title: 'Wind blade', codes: ['F03D 1/06'] },
  { id: 'P2', year: 2010, title: 'Lithium cathode', abstract: 'cathode paste', codes: ['H01M 4/131', 'C01B 33/00'] },
  { id: 'P4', year: Number.NaN, title: 'No codes', codes: [] },
];

async function seeded(): Promise<{ datasetId: string }> {
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'points', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, PATENTS);
  await store.finishImport(dataset.id, makeReport(PATENTS.length), new Map());
  return { datasetId: dataset.id };
}

describe('MapPointsEngine', () => {
  beforeEach(() => useFreshIndexedDb());

  it('returns years and sections in the layout order, and the most frequent codes at the level', async () => {
    const { datasetId } = await seeded();
    const engine = new MapPointsEngine();
    const rows = ['P2', 'P4', 'P1', 'P3'];
    const columns = await engine.load(datasetId, 'subclass', rows);
    const byId = new Map(PATENTS.map((p) => [p.id, p]));
    expect(columns.count).toBe(4);
    expect(Array.from(columns.years)).toEqual(rows.map((id) => byId.get(id)?.year ?? Number.NaN));
    expect(Array.from(columns.sections)).toEqual(rows.map((id) => { const c = byId.get(id)?.codes[0]; return c ? sectionIndex(c[0]) : NO_SECTION; }));
    expect(columns.codeSuggestions).toEqual(['H01M', 'C01B', 'F03D']);
  });

  it('search, code and level-code masks equal the naive per-patent tests', async () => {
    const { datasetId } = await seeded();
    const engine = new MapPointsEngine();
    const rows = PATENTS.map((p) => p.id);
    const { key } = await engine.load(datasetId, 'subclass', rows);
    for (const query of ['lithium', 'ANODE', 'lithium cathode', 'h01m 4/13', 'p1', 'nothing-like-this']) {
      const words = query.toLowerCase().split(/\s+/);
      const expected = PATENTS.map((p) => (words.every((w) => `${p.id} ${p.title} ${p.abstract ?? ''} ${p.codes.join(' ')}`.toLowerCase().includes(w)) ? 1 : 0));
      const { mask, count } = await engine.search(key, query);
      expect(Array.from(mask ?? []), query).toEqual(expected);
      expect(count).toBe(expected.reduce((s: number, v) => s + v, 0));
    }
    expect((await engine.search(key, ' ')).mask).toBeNull();
    for (const code of ['H01M', 'H01M 4/00', 'H01M 4/13', 'F03', 'Z99']) {
      const { mask } = await engine.withCode(key, code);
      expect(Array.from(mask), code).toEqual(PATENTS.map((p) => (hasCode(p, code) ? 1 : 0)));
    }
    const { mask, count } = await engine.withLevelCodes(key, ['C01B', 'F03D']);
    expect(Array.from(mask)).toEqual(PATENTS.map((p) => (p.codes.some((c) => ['C01B', 'F03D'].includes(codeAt('subclass', c) ?? '')) ? 1 : 0)));
    expect(count).toBe(2);
  });

  it('names the codes of a selection at the level, and summarises rows', async () => {
    const { datasetId } = await seeded();
    const engine = new MapPointsEngine();
    const { key } = await engine.load(datasetId, 'main_group', PATENTS.map((p) => p.id));
    expect(await engine.levelCodesOf(key, Uint8Array.from([1, 0, 1, 1]))).toEqual(['C01B 33/00', 'H01M 10/00', 'H01M 4/00']);
    expect(await engine.summaries(key, [1, 3, 99])).toEqual([
      { id: 'P1', title: 'Wind blade', year: 1999, codes: ['F03D 1/06'] },
      { id: 'P4', title: 'No codes', year: null, codes: [] },
    ]);
  });

  it('keeps one set of rows: a new order is a new key, and the old key is refused', async () => {
    const { datasetId } = await seeded();
    const engine = new MapPointsEngine();
    const first = await engine.load(datasetId, 'subclass', ['P1', 'P2']);
    expect((await engine.load(datasetId, 'subclass', ['P1', 'P2'])).key).toBe(first.key);
    const second = await engine.load(datasetId, 'subclass', ['P2', 'P1']);
    expect(second.key).not.toBe(first.key);
    await expect(engine.search(first.key, 'wind')).rejects.toThrow(/not loaded/);
    expect(Array.from((await engine.search(second.key, 'wind')).mask ?? [])).toEqual([0, 1]);
  });

  it('a cancelled load rejects with AbortError and the next load reads again', async () => {
    const { datasetId } = await seeded();
    const engine = new MapPointsEngine();
    const controller = new AbortController();
    controller.abort();
    await expect(engine.load(datasetId, 'subclass', ['P1'], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(engine.load(datasetId, 'subclass', ['P1'])).resolves.toMatchObject({ count: 1 });
  });
});
