import { describe, expect, it } from 'vitest';
import { checkEncoder, checkYesNo, report, type EncoderProbe, type YesNoProbe } from '../../src/ml/reference-check';

const reference = {
  references: [{ text: 'a b', input_ids: [1, 2], embedding: [0.6, 0.8] }],
  techtoken: { input_ids: [1, 7, 2], positions: [1], hidden_states: [[1, 0]] },
  masked: { input_ids: [1, 9, 2], mask_positions: [1], top5: [{ token: '[H04L]', id: 3, logit: 5 }, { token: '[A61K]', id: 4, logit: 4 }] },
};

function encoderProbe(embedding: number[], best: number): EncoderProbe {
  return {
    embed: async () => ({ vectors: Float32Array.from(embedding), dim: 2 }),
    encode: () => [1, 2],
    forward: async (ids) => {
      const logits = new Float32Array(ids.length * 5);
      logits[1 * 5 + best] = 1;
      return { hidden: Float32Array.from([0, 0, 2, 0, 0, 0]), dim: 2, logits, vocab: 5 };
    },
  };
}

describe('checks against a recipe reference', () => {
  it('passes a model that reproduces the reference, up to scale', async () => {
    const checks = await checkEncoder(encoderProbe([0.3, 0.4], 3), reference, 'fp32');
    expect(checks.map((c) => c.passed)).toEqual([true, true, true, true]);
    expect(report('m', 'encoder', 'fp32', 'cpu', checks).passed).toBe(true);
  });

  it('fails a drifted embedding, a different masked-code winner, or no checks at all', async () => {
    const checks = await checkEncoder(encoderProbe([0.8, 0.6], 4), reference, 'q8');
    expect(checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['embedding of text 1', 'best masked code among the reference top 5']);
    expect(report('m', 'encoder', 'q8', 'cpu', []).passed).toBe(false);
  });

  it('compares q4 Yes/No scores with the recipe\'s q4 emulation, fp32 with its plain output', async () => {
    const prompt = { technique: 'T', patent: 'P', messages: [{ role: 'user', content: 'x' }], text: '<x>', input_ids: [5, 6], p_yes: 0.9, q4_emulated_p_yes: 0.8 };
    const probe = (score: number): YesNoProbe => ({ render: () => '<x>', encode: () => [5, 6], scorePrompts: async () => Float32Array.from([score]) });
    expect((await checkYesNo(probe(0.805), { prompts: [prompt] }, 'q4')).every((c) => c.passed)).toBe(true);
    expect((await checkYesNo(probe(0.805), { prompts: [prompt] }, 'fp32')).at(-1)?.passed).toBe(false);
    const wrongTemplate: YesNoProbe = { ...probe(0.9), render: () => '<y>' };
    expect((await checkYesNo(wrongTemplate, { prompts: [prompt] }, 'fp32')).map((c) => c.passed)).toEqual([false, true, true]);
  });
});
