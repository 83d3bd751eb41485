/**
 * Matching a stored dataset with untitled patents: they are not put to the model on an empty
 * prompt but listed as not scored with the reason, and every other patent is scored as usual.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Patent } from '../../src/core/types';
import { MatchEngine, type Technique } from '../../src/engines/match-engine';
import { localModelSource } from '../../src/ml/local-model';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const TECHNIQUE = (JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: Technique[] }).techniques[0];
const DEMO = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').slice(0, 12).map((l) => JSON.parse(l) as Patent);

describe('MatchEngine.scoreDataset', () => {
  it('scores the patents with text and lists the untitled ones as not scored, with the reason', async () => {
    useFreshIndexedDb();
    const patents = DEMO.map((p, i) => (i % 4 === 1 ? { id: p.id, year: p.year, title: '', codes: p.codes } : p));
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
    await store.putPatents(dataset.id, patents);
    await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
    const engine = new MatchEngine();
    await engine.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), devices: ['cpu'], dtype: 'q4' });
    const scores = await engine.scoreDataset(dataset.id, TECHNIQUE);
    const untitled = patents.filter((p) => p.title === '').map((p) => p.id).sort();
    expect(untitled).toHaveLength(3);
    expect([...scores.patentIds].sort()).toEqual(patents.map((p) => p.id).sort());
    expect(scores.failures.map((f) => ({ ...f, patentIds: [...f.patentIds].sort() }))).toEqual([{ patentIds: untitled, reason: 'no title or abstract to judge' }]);
    scores.patentIds.forEach((id, i) => {
      if (untitled.includes(id)) expect(scores.probabilities[i]).toBeNaN();
      else expect(scores.probabilities[i]).toBeGreaterThanOrEqual(0);
    });
    store.close();
  });
});
