import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';
import { mulberry32 } from '../../src/core/random';
import type { Patent } from '../../src/core/types';
import { localModelSource } from '../../src/ml/local-model';
import { YesNoEngine, type YesNoPair } from '../../src/ml/yesno';

const MODEL_ID = 'ps-llama-yesno-tiny';
const MODEL_DIR = resolve('models', MODEL_ID);

interface Reference {
  prompts: { technique: string; patent: string; input_ids: number[]; p_yes: number; q4_emulated_p_yes: number }[];
}
interface Manifest {
  held_out_patent_ids: string[];
}
interface Catalogue {
  techniques: { id: string; sectionTitle: string; description: string }[];
}

const reference = JSON.parse(readFileSync(resolve(MODEL_DIR, 'reference.json'), 'utf8')) as Reference;
const manifest = JSON.parse(readFileSync(resolve(MODEL_DIR, 'manifest.json'), 'utf8')) as Manifest;
const catalogue = JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as Catalogue;
const relevance = JSON.parse(readFileSync('public/demo/technique-relevance.json', 'utf8')) as Record<string, string[]>;
const patents = new Map(readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((line) => {
  const patent = JSON.parse(line) as Patent;
  return [patent.id, patent];
}));

function pairOf(techniqueId: string, patentId: string): YesNoPair {
  const technique = catalogue.techniques.find((t) => t.id === techniqueId);
  const patent = patents.get(patentId);
  if (!technique || !patent) throw new Error(`unknown ${techniqueId} or ${patentId}`);
  return { sectionTitle: technique.sectionTitle, technique: technique.description, patentTitle: patent.title, patentAbstract: patent.abstract ?? '' };
}

describe.each(['fp32', 'q4'] as const)('Yes/No model (%s) through transformers.js', (dtype) => {
  const engine = new YesNoEngine();
  beforeAll(async () => {
    await engine.load({ source: localModelSource('models', MODEL_ID), device: 'cpu', dtype });
  });
  afterAll(async () => {
    await engine.destroy();
  });

  it('renders the prompt of the recipe\'s reference pairs to the same token ids', () => {
    for (const prompt of reference.prompts) {
      expect(engine.promptIds(pairOf(prompt.technique, prompt.patent))).toEqual(prompt.input_ids);
    }
  });

  it('reproduces the recipe\'s P(Yes) for its reference prompts', async () => {
    const scores = await engine.scorePrompts(reference.prompts.map((p) => p.input_ids), { batchSize: 2 });
    // The recipe also rounds its weights the way quantize.py does (q4 blocks of 32, 8-bit
    // embedding) and runs them in torch: ONNX Runtime's MatMulNBits must land on that figure.
    reference.prompts.forEach((p, i) => {
      const expected = dtype === 'fp32' ? p.p_yes : p.q4_emulated_p_yes;
      expect(Math.abs(scores[i] - expected), `${p.technique} × ${p.patent}: ${scores[i]} vs ${expected}`).toBeLessThan(dtype === 'fp32' ? 1e-4 : 5e-3);
    });
  });

  it('passes every check of the app\'s "Check against reference" (the same code the browser runs)', async () => {
    const checked = await engine.checkReference();
    expect(checked.checks.filter((c) => !c.passed)).toEqual([]);
    expect(checked.checks.length).toBe(reference.prompts.length * 3);
    expect(checked.passed).toBe(true);
  });

  it('ranks relevant above irrelevant pairs on held-out patents (ROC AUC ≥ 0.9)', async () => {
    // A seeded sample of held-out pairs keeps this to a few seconds; the recipe's manifest has the AUC on all of them.
    const rng = mulberry32(17);
    const heldOut = manifest.held_out_patent_ids;
    const pairs: { pair: YesNoPair; relevant: boolean }[] = [];
    for (let n = 0; n < 240; n++) {
      const technique = catalogue.techniques[Math.floor(rng() * catalogue.techniques.length)];
      const relevantIds = relevance[technique.id] ?? [];
      const pickRelevant = n % 3 === 0 && relevantIds.some((id) => heldOut.includes(id));
      const pool = pickRelevant ? relevantIds.filter((id) => heldOut.includes(id)) : heldOut;
      const patentId = pool[Math.floor(rng() * pool.length)];
      pairs.push({ pair: pairOf(technique.id, patentId), relevant: relevantIds.includes(patentId) });
    }
    const scores = await engine.score(pairs.map((p) => p.pair), { batchSize: 8 });
    const auc = rocAuc(scores, pairs.map((p) => p.relevant));
    console.log(`Yes/No ${dtype}: AUC ${auc.toFixed(3)} on ${pairs.length} held-out pairs (${pairs.filter((p) => p.relevant).length} relevant)`);
    expect(auc).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the Yes/No model\'s chat path (KV cache) through transformers.js', () => {
  it('greedy generation reproduces the recipe\'s reference answer token for token', async () => {
    const generation = (JSON.parse(readFileSync(resolve(MODEL_DIR, 'reference.json'), 'utf8')) as {
      generation: { input_ids: number[]; max_new_tokens: number; generated_ids: number[]; generated_text: string };
    }).generation;
    const { AutoModelForCausalLM, AutoTokenizer, Tensor, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${resolve('models')}/`;
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
    const model = await AutoModelForCausalLM.from_pretrained(MODEL_ID, { dtype: 'fp32', device: 'cpu' });
    const ids = generation.input_ids;
    const output = await model.generate({
      input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      max_new_tokens: generation.max_new_tokens, do_sample: false,
    }) as InstanceType<typeof Tensor>;
    const generated = Array.from(output.data as BigInt64Array, Number).slice(ids.length);
    // The reference stops at max_new_tokens or at <|im_end|>; generate() may stop at eos too.
    expect(generated.slice(0, generation.generated_ids.length)).toEqual(generation.generated_ids.slice(0, generated.length));
    expect(generated.length).toBeGreaterThan(0);
    expect(generation.generated_text.startsWith(tokenizer.decode(generated, { skip_special_tokens: true }).trim())).toBe(true);
    await model.dispose();
  });
});
