import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoModel, AutoTokenizer, Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { codeAt } from '../../src/core/codes';
import { localModelSource } from '../../src/ml/local-model';
import type { Patent } from '../../src/core/types';
import { EncoderEngine } from '../../src/ml/encoder';

const MODEL_ID = 'ps-techtoken-tiny';
/** Every committed TechToken model: the demo one and the one trained on real patents (subclass and main-group tokens). */
const TECHTOKEN_MODELS = [MODEL_ID, 'ps-techtoken-ipc2000'];
const MODEL_ROOT = resolve('models');

interface Reference {
  references: { text: string; input_ids: number[]; embedding: number[] }[];
  techtoken: { input_ids: number[]; positions: number[]; hidden_states: number[][] };
  masked: { input_ids: number[]; mask_positions: number[]; top5: { token: string; id: number; logit: number }[] };
  tolerance: Record<'fp32' | 'q8' | 'q4', number>;
}
interface Manifest {
  code_tokens: string[];
  training: { held_out_ids: string[] };
}

const readJson = <T>(model: string, file: string) => JSON.parse(readFileSync(resolve(MODEL_ROOT, model, file), 'utf8')) as T;
const manifest = readJson<Manifest>(MODEL_ID, 'manifest.json');

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] ** 2; nb += b[i] ** 2; }
  return dot / Math.sqrt(na * nb);
}

const tensor = (rows: number[][]) => new Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

const VARIANTS = TECHTOKEN_MODELS.flatMap((model) => (['fp32', 'q8', 'q4'] as const).map((dtype) => [model, dtype] as const));

describe.each(VARIANTS)('TechToken encoder %s %s reproduces the recipe references', (modelId, dtype) => {
  it('mean-pooled embeddings, hidden states at code tokens and masked-code logits', async () => {
    const reference = readJson<Reference>(modelId, 'reference.json');
    const manifest = readJson<Manifest>(modelId, 'manifest.json');
    const threshold = reference.tolerance[dtype];
    const engine = await EncoderEngine.create({ source: localModelSource(MODEL_ROOT, modelId), devices: ['cpu'], dtype });
    const { vectors, dim } = await engine.embed(reference.references.map((r) => r.text));
    reference.references.forEach((r, i) => expect(cosine(vectors.subarray(i * dim, (i + 1) * dim), r.embedding)).toBeGreaterThanOrEqual(threshold));
    const checked = await engine.checkReference();
    expect(checked.checks.filter((c) => !c.passed)).toEqual([]);
    expect(checked.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['hidden state at code token 1', 'best masked code among the reference top 5']));
    await engine.destroy();

    const tokenizer = await AutoTokenizer.from_pretrained(modelId);
    reference.references.forEach((r) => expect(tokenizer.encode(r.text)).toEqual(r.input_ids));
    const model = await AutoModel.from_pretrained(modelId, { dtype, device: 'cpu' });
    const run = async (ids: number[]) => model({ input_ids: tensor([ids]), attention_mask: tensor([ids.map(() => 1)]), token_type_ids: tensor([ids.map(() => 0)]) });

    const techtoken = await run(reference.techtoken.input_ids);
    const hidden = techtoken.last_hidden_state.data as Float32Array;
    reference.techtoken.positions.forEach((position, i) => {
      expect(cosine(hidden.subarray(position * dim, (position + 1) * dim), reference.techtoken.hidden_states[i])).toBeGreaterThanOrEqual(threshold);
    });

    const masked = await run(reference.masked.input_ids);
    const vocab = masked.logits.dims[2];
    const logits = masked.logits.data as Float32Array;
    const at = reference.masked.mask_positions[0] * vocab;
    // The recipe ranks the code tokens of one level (subclass tokens, `[H04L]`, where the model has them).
    const subclassToken = /^\[[A-HY]\d\d[A-Z]\]$/;
    const sameLevel = (token: string) => subclassToken.test(token) === subclassToken.test(reference.masked.top5[0].token);
    const codeIds = manifest.code_tokens.filter(sameLevel).map((token) => tokenizer.convert_tokens_to_ids(token));
    const ranked = [...codeIds].sort((a, b) => logits[at + b] - logits[at + a]);
    // The best code agrees in every variant; fp32 also reproduces the logits themselves.
    expect(ranked[0]).toBe(reference.masked.top5[0].id);
    if (dtype === 'fp32') reference.masked.top5.forEach((t) => expect(logits[at + t.id]).toBeCloseTo(t.logit, 2));
    await model.dispose();
  });
});

describe('masked-code prediction on held-out demo patents', () => {
  it('beats the code-frequency baseline by a wide margin', async () => {
    const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
    const heldOut = new Set(manifest.training.held_out_ids);
    const subclassesOf = (p: Patent) => [...new Set(p.codes.map((c) => codeAt('subclass', c)).filter((c): c is string => c !== null))].sort();
    const frequency = new Map<string, number>();
    for (const p of patents.filter((q) => !heldOut.has(q.id))) for (const c of subclassesOf(p)) frequency.set(c, (frequency.get(c) ?? 0) + 1);
    const mostFrequent = [...frequency].sort((a, b) => b[1] - a[1])[0][0];

    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
    const model = await AutoModel.from_pretrained(MODEL_ID, { dtype: 'fp32', device: 'cpu' });
    const [cls, sep, mask] = ['[CLS]', '[SEP]', '[MASK]'].map((t) => tokenizer.convert_tokens_to_ids(t));
    const codeIds = manifest.code_tokens.map((token) => tokenizer.convert_tokens_to_ids(token));
    let modelHits = 0;
    let frequencyHits = 0;
    const test = patents.filter((p) => heldOut.has(p.id));
    for (const patent of test) {
      const gold = subclassesOf(patent);
      const ids = [cls, ...tokenizer.encode(patent.title, { add_special_tokens: false }), sep,
        ...tokenizer.encode(patent.abstract ?? '', { add_special_tokens: false }), sep, ...gold.map(() => mask), sep];
      const output = await model({ input_ids: tensor([ids]), attention_mask: tensor([ids.map(() => 1)]), token_type_ids: tensor([ids.map(() => 0)]) });
      const vocab = output.logits.dims[2];
      const logits = output.logits.data as Float32Array;
      const firstMask = ids.length - 1 - gold.length;
      const best = codeIds.reduce((a, b) => (logits[firstMask * vocab + b] > logits[firstMask * vocab + a] ? b : a));
      if (gold.includes(manifest.code_tokens[codeIds.indexOf(best)].slice(1, -1))) modelHits++;
      if (gold.includes(mostFrequent)) frequencyHits++;
    }
    const modelTop1 = modelHits / test.length;
    const frequencyTop1 = frequencyHits / test.length;
    console.log(`masked-code top-1 on ${test.length} held-out patents: model ${modelTop1.toFixed(3)}, frequency baseline ${frequencyTop1.toFixed(3)}`);
    expect(modelTop1).toBeGreaterThan(frequencyTop1 + 0.3);
    await model.dispose();
  });
});
