import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress';
import { localModelSource } from '../../src/ml/local-model';
import { EncoderEngine } from '../../src/ml/encoder';

interface ReferenceFile {
  references: { text: string; input_ids: number[]; embedding: number[] }[];
}

const MODEL_ROOT = resolve('models');
const MODEL_ID = 'ps-encoder-tiny';
const reference = JSON.parse(readFileSync(resolve(MODEL_ROOT, MODEL_ID, 'reference.json'), 'utf8')) as ReferenceFile;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] ** 2; nb += b[i] ** 2; }
  return dot / Math.sqrt(na * nb);
}

describe('EncoderEngine with the bundled model (transformers.js, onnxruntime-node)', () => {
  let engine: EncoderEngine;
  beforeAll(async () => {
    engine = await EncoderEngine.create({ source: localModelSource(MODEL_ROOT, MODEL_ID), devices: ['cpu'] });
  });
  afterAll(async () => {
    await engine.destroy();
  });

  it('embeds the recipe\'s fixed texts to its committed reference vectors', async () => {
    const texts = reference.references.map((r) => r.text);
    const { vectors, dim } = await engine.embed(texts, { batchSize: 2 });
    expect(dim).toBe(reference.references[0].embedding.length);
    reference.references.forEach((r, i) => {
      expect(cosine(vectors.subarray(i * dim, (i + 1) * dim), r.embedding)).toBeGreaterThanOrEqual(0.9999);
    });
  });

  it('passes the app\'s "Check against reference" on the bundled model', async () => {
    const checked = await engine.checkReference();
    expect(checked).toMatchObject({ modelId: MODEL_ID, kind: 'encoder', dtype: 'fp32', device: 'cpu', passed: true });
    expect(checked.checks).toHaveLength(reference.references.length * 2);
  });

  it('gives the same vector for a text whether it is batched with longer texts or alone', async () => {
    const short = 'battery anode';
    const long = 'A filter comprising a membrane and a scrubber is disclosed. The sludge is treated.';
    const alone = await engine.embed([short]);
    const mixed = await engine.embed([long, short, long], { batchSize: 3 });
    const dim = alone.dim;
    expect(cosine(alone.vectors, mixed.vectors.subarray(dim, 2 * dim))).toBeGreaterThan(0.99999);
    expect(mixed.paddingFraction).toBeGreaterThan(0);
  });

  it('reports monotone progress ending at the total, and honours cancellation', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `battery cell number ${i}`);
    const seen: Progress[] = [];
    await engine.embed(texts, { batchSize: 3 }, (p) => seen.push(p));
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ done: 10, total: 10, stage: 'embed' });

    const controller = new AbortController();
    controller.abort();
    await expect(engine.embed(texts, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('TechToken code vectors', () => {
  it('recognises the code tokens and averages the hidden state at each code token, as a hand computation does', async () => {
    const engine = await EncoderEngine.create({ source: localModelSource(MODEL_ROOT, MODEL_ID), devices: ['cpu'] });
    const patents = [
      { title: 'Battery anode', abstract: 'Lithium electrolyte.', codes: ['H01M 4/134', 'H02J 7/00'] },
      { title: 'Charging grid', codes: ['H02J 7/00'] },
      { title: 'Untokenised code', codes: ['Z99Z 1/00'] },
    ];
    const vocabulary = engine.codeTokens(patents.flatMap((p) => p.codes));
    expect(vocabulary?.spelling).toMatchObject({ form: 'subclass', prefix: '', suffix: '', lowerCase: false });
    expect(vocabulary?.level).toBe('subclass');
    expect([...(vocabulary?.tokens.keys() ?? [])].sort()).toEqual(['H01M', 'H02J']);
    const result = await engine.embedCodeTokens(patents, vocabulary!, { batchSize: 2 });
    expect(result.codes).toEqual(['H01M', 'H02J']);
    expect(Array.from(result.counts)).toEqual([1, 2]);

    // Hand computation for H01M: the hidden state at its token in the single patent carrying it.
    const { AutoModel, AutoTokenizer, Tensor } = await import('@huggingface/transformers');
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
    const model = await AutoModel.from_pretrained(MODEL_ID, { dtype: 'fp32', device: 'cpu' });
    const ids = [tokenizer.convert_tokens_to_ids('[CLS]'), ...tokenizer.encode('Battery anode', { add_special_tokens: false }),
      tokenizer.convert_tokens_to_ids('[SEP]'), ...tokenizer.encode('Lithium electrolyte.', { add_special_tokens: false }),
      tokenizer.convert_tokens_to_ids('[SEP]'), tokenizer.convert_tokens_to_ids('H01M'), tokenizer.convert_tokens_to_ids('H02J'),
      tokenizer.convert_tokens_to_ids('[SEP]')];
    const tensor = (values: number[]) => new Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
    const out = await model({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), token_type_ids: tensor(ids.map(() => 0)) });
    const hidden = out.last_hidden_state.data as Float32Array;
    const position = ids.length - 3;
    const expected = hidden.slice(position * result.dim, (position + 1) * result.dim);
    expect(cosine(result.vectors.subarray(0, result.dim), expected)).toBeGreaterThan(0.99999);
    await model.dispose();
    await engine.destroy();
  });
});
