/** The BREF matcher (models/ps-llama-yesno-bref) loads unchanged in the app's Yes/No engine and keeps its held-out rule. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fnv1aString } from '../../src/core/hash';
import { localModelSource } from '../../src/ml/local-model';
import { YesNoEngine } from '../../src/ml/yesno';

const MODEL_ID = 'ps-llama-yesno-bref';
const MODEL_DIR = resolve('models', MODEL_ID);
const SHARED_PATENTS = resolve('..', 'shared', 'data', 'patents_ep_pollution.jsonl');
const SHARED_SECTIONS = resolve('..', 'shared', 'data', 'bref.jsonl');

interface Manifest {
  eval_patents: string[];
  prompt: { system: string; user_template: string };
  training: { until_year: number | null };
}
const manifest = JSON.parse(readFileSync(resolve(MODEL_DIR, 'manifest.json'), 'utf8')) as Manifest;
const tiny = JSON.parse(readFileSync(resolve('models', 'ps-llama-yesno-tiny', 'manifest.json'), 'utf8')) as Manifest;

describe.each(['fp32', 'q4'] as const)('BREF Yes/No matcher (%s) through transformers.js', (dtype) => {
  const engine = new YesNoEngine();
  beforeAll(async () => {
    await engine.load({ source: localModelSource('models', MODEL_ID), device: 'cpu', dtype });
  });
  afterAll(async () => {
    await engine.destroy();
  });

  it('passes every check of the app\'s "Check against reference" (token ids and P(Yes) of the recipe)', async () => {
    const checked = await engine.checkReference();
    expect(checked.checks.filter((c) => !c.passed)).toEqual([]);
    expect(checked.checks.length).toBeGreaterThanOrEqual(3);
    expect(checked.passed).toBe(true);
  });

  it('cuts a long process text to the 512-token context and still scores the pair', async () => {
    const long = 'The bag filter removes dust from the flue gas of the kiln. '.repeat(120);
    const pair = { sectionTitle: 'Bag filter', technique: long, patentTitle: 'Filter bag cleaning', patentAbstract: 'Pulses of air clean the bags.' };
    const fitted = engine.fitPrompt(pair);
    expect(fitted.truncated).toBe(true);
    expect(fitted.ids.length).toBeLessThanOrEqual(512);
    const { probabilities, failures } = await engine.scoreFitted([pair]);
    expect(failures).toEqual([]);
    expect(probabilities[0]).toBeGreaterThanOrEqual(0);
    expect(probabilities[0]).toBeLessThanOrEqual(1);
  });
});

describe('the BREF matcher\'s manifest', () => {
  it('asks the seed\'s question exactly as the demo Yes/No model does, and states its training years', () => {
    expect(manifest.prompt.system).toBe(tiny.prompt.system);
    expect(manifest.prompt.user_template).toBe(tiny.prompt.user_template);
    expect(typeof manifest.training.until_year).toBe('number');
  });

  it('holds out the patents its fixed rule picks: FNV-1a of the id mod 5 == 0', () => {
    expect(manifest.eval_patents.length).toBeGreaterThan(200);
    expect(manifest.eval_patents.every((id) => fnv1aString(id) % 5 === 0)).toBe(true);
    if (!existsSync(SHARED_PATENTS) || !existsSync(SHARED_SECTIONS)) {
      console.log('skipped the comparison with the shared data: ../shared/data is absent');
      return;
    }
    const withText = new Set(readFileSync(SHARED_SECTIONS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text?: string })
      .filter((s) => (s.text ?? '').trim() !== '').map((s) => s.id));
    const judged = readFileSync(SHARED_PATENTS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; bref_sections?: string[] })
      .filter((p) => withText.has(p.bref_sections?.[0] ?? ''));
    const expected = judged.filter((p) => fnv1aString(p.id) % 5 === 0).map((p) => p.id).sort();
    expect(expected.length / judged.length).toBeGreaterThanOrEqual(0.2);
    expect([...manifest.eval_patents].sort()).toEqual(expected);
  });
});
