/**
 * The Yes/No model on prompts longer than its context: the text is cut instead of failing the whole
 * run (instruction and section title kept; a long process text shares the room with the patent),
 * and a failed batch costs only its own pairs.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patent } from '../../src/core/types';
import { localModelSource } from '../../src/ml/local-model';
import { YesNoEngine, type YesNoPair } from '../../src/ml/yesno';

const catalogue = JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: { sectionTitle: string; description: string }[] };
const demo = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').slice(0, 6).map((l) => JSON.parse(l) as Patent);
const technique = catalogue.techniques[0];
const pair = (p: Pick<Patent, 'title' | 'abstract'>): YesNoPair => ({
  sectionTitle: technique.sectionTitle, technique: technique.description, patentTitle: p.title, patentAbstract: p.abstract ?? '',
});

describe('Yes/No prompts past the model context', () => {
  const engine = new YesNoEngine();
  beforeAll(async () => {
    await engine.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), device: 'cpu', dtype: 'q4' });
  });
  afterAll(async () => {
    await engine.destroy();
  });

  it('cuts a 20,000-character word to the context and scores it; the other patents score as they do alone', async () => {
    const huge = { title: 'Filter', abstract: `A ${'x'.repeat(20_000)} membrane.` };
    const pairs = [...demo.map(pair), pair(huge)];
    const result = await engine.scoreFitted(pairs, { batchSize: 4 });
    expect(result.failures).toEqual([]);
    expect(Array.from(result.truncated)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(Number.isFinite(result.probabilities[6])).toBe(true);
    const fitted = engine.fitPrompt(pair(huge));
    expect(fitted.truncated).toBe(true);
    expect(fitted.ids.length).toBeLessThanOrEqual(512);
    // The instruction survives the cut: the prompt still ends as the untruncated ones do.
    const tail = engine.promptIds(pair(demo[0])).slice(-11);
    expect(fitted.ids.slice(-11)).toEqual(tail);
    const alone = await engine.score(demo.map(pair));
    result.probabilities.subarray(0, 6).forEach((p, i) => expect(Math.abs(p - alone[i])).toBeLessThan(1e-5));
  });

  it('cuts a process text of thousands of tokens (a real BREF section) and keeps the patent in the prompt', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `${technique.description} Step ${i}.`).join(' ');
    const fitted = demo.map((p) => engine.fitPrompt({ ...pair(p), technique: long }));
    for (const f of fitted) {
      expect(f.truncated).toBe(true);
      expect(f.ids.length).toBeLessThanOrEqual(512);
      expect(f.ids.length).toBeGreaterThan(400);
    }
    // Different patents, different prompts: the patent was not cut away to make room.
    expect(new Set(fitted.map((f) => f.ids.join(','))).size).toBe(demo.length);
    // The instruction survives the cut.
    const tail = engine.promptIds(pair(demo[0])).slice(-11);
    expect(fitted[0].ids.slice(-11)).toEqual(tail);
    const scores = await engine.score(demo.map((p) => ({ ...pair(p), technique: long })));
    expect(Array.from(scores).every(Number.isFinite)).toBe(true);
  });

  it('reports a failed batch with its pairs and still scores the other batches', async () => {
    // A token id past the vocabulary makes ONNX Runtime fail that batch's run (Gather out of range).
    const good = demo.map((p) => engine.fitPrompt(pair(p)).ids);
    const bad = [...good[0].slice(0, -1), 10_000_000];
    const failures: { pairs: number[]; reason: string }[] = [];
    const probabilities = await engine.scorePrompts([...good.slice(0, 3), bad], { batchSize: 1, onBatchError: (pairs, reason) => failures.push({ pairs, reason }) });
    expect(failures).toHaveLength(1);
    expect(failures[0].pairs).toEqual([3]);
    expect(Number.isNaN(probabilities[3])).toBe(true);
    expect(Array.from(probabilities.subarray(0, 3)).every(Number.isFinite)).toBe(true);
  });
});
