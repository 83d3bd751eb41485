/**
 * The bundled Llama behind the chat interface (transformers.js, onnxruntime-node on the CPU):
 * concatenated chunks equal the recipe's greedy generation (models/ps-llama-yesno-tiny/reference.json,
 * made by torch), usage comes from the tokenizer, and max_tokens / abort end the stream with
 * 'length' / 'abort'.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/chat/engine';
import { OnnxChatModel } from '../../../src/ml/chat/onnx-chat';
import { localModelSource } from '../../../src/ml/local-model';
import { collect } from './collect';

const MODEL_ID = 'ps-llama-yesno-tiny';
const generation = (JSON.parse(readFileSync(resolve('models', MODEL_ID, 'reference.json'), 'utf8')) as {
  eos_id: number;
  generation: { messages: ChatMessage[]; input_ids: number[]; max_new_tokens: number; generated_ids: number[]; generated_text: string };
}).generation;


describe('the bundled Llama through the chat interface', () => {
  let engine: OnnxChatModel;
  beforeAll(async () => {
    engine = await OnnxChatModel.load({ source: localModelSource('models', MODEL_ID), kind: 'bundled', model: `bundled:${MODEL_ID}`, device: 'cpu', dtype: 'fp32' });
  });
  afterAll(async () => {
    await engine.unload();
  });

  it('renders the reference prompt to the recipe token ids and reports the model context', () => {
    expect(engine.promptIds(generation.messages)).toEqual(generation.input_ids);
    expect(engine.info()).toEqual({ kind: 'bundled', model: `bundled:${MODEL_ID}`, contextTokens: 512, device: 'cpu' });
  });

  it('streams token by token the text of the recipe greedy generation, with usage from the tokenizer', async () => {
    const chunks = await collect(engine.chat.completions.create({ messages: generation.messages, max_tokens: generation.max_new_tokens }));
    const text = chunks.map((c) => c.delta).join('');
    // The recipe's greedy run either met <|im_end|> (the stream then stops there, without showing it)
    // or generated exactly max_new_tokens (the stream then ends on the length).
    const endsTurn = generation.generated_text.endsWith('<|im_end|>');
    expect(text.trim()).toBe(generation.generated_text.replace(/<\|im_end\|>$/, '').trim());
    expect(chunks.length).toBeGreaterThan(generation.generated_ids.length / 2);
    expect(chunks.slice(0, -1).every((c) => c.finish_reason === null && c.usage === undefined)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.finish_reason).toBe(endsTurn ? 'stop' : 'length');
    expect(last?.usage?.prompt_tokens).toBe(generation.input_ids.length);
    if (!endsTurn) expect(last?.usage?.completion_tokens).toBe(generation.max_new_tokens);
    else expect([generation.generated_ids.length - 1, generation.generated_ids.length]).toContain(last?.usage?.completion_tokens);
    expect(last?.usage?.total_tokens).toBe((last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0));
  });

  it('gives "length" at a smaller max_tokens, with the prefix of the same text', async () => {
    const chunks = await collect(engine.chat.completions.create({ messages: generation.messages, max_tokens: 5 }));
    const text = chunks.map((c) => c.delta).join('');
    expect(chunks.at(-1)?.finish_reason).toBe('length');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
    expect(text.length).toBeGreaterThan(0);
    expect(generation.generated_text.startsWith(text.trim())).toBe(true);
    expect(text.trim().length).toBeLessThan(generation.generated_text.length);
  });

  it('stops at <|im_end|> with "stop" when the answer ends before max_tokens', async () => {
    const chunks = await collect(engine.chat.completions.create({ messages: generation.messages, max_tokens: 200 }));
    const last = chunks.at(-1);
    expect(last?.finish_reason).toBe('stop');
    expect(last?.usage?.completion_tokens).toBeLessThan(200);
    expect(chunks.map((c) => c.delta).join('')).not.toContain('<|im_end|>');
  });

  it('ends with "abort" and fewer tokens when the signal fires mid-stream', async () => {
    const controller = new AbortController();
    const chunks = await collect(engine.chat.completions.create({ messages: generation.messages, max_tokens: generation.max_new_tokens, signal: controller.signal }), (_, i) => {
      if (i === 2) controller.abort();
    });
    const last = chunks.at(-1);
    expect(last?.finish_reason).toBe('abort');
    expect(last?.usage?.completion_tokens).toBeGreaterThanOrEqual(3);
    expect(last?.usage?.completion_tokens).toBeLessThan(generation.max_new_tokens);
    expect(generation.generated_text.startsWith(chunks.map((c) => c.delta).join('').trim())).toBe(true);
  });

  it('ends at once with "abort" and no tokens when the signal fired before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const chunks = await collect(engine.chat.completions.create({ messages: generation.messages, signal: controller.signal }));
    expect(chunks).toEqual([{ delta: '', finish_reason: 'abort', usage: { prompt_tokens: generation.input_ids.length, completion_tokens: 0, total_tokens: generation.input_ids.length } }]);
  });

  it('unload() during an answer ends it with "abort" instead of waiting for max_tokens', async () => {
    const other = await OnnxChatModel.load({ source: localModelSource('models', MODEL_ID), kind: 'bundled', model: `bundled:${MODEL_ID}`, device: 'cpu', dtype: 'fp32' });
    let unloading: Promise<void> | null = null;
    const chunks = await collect(other.chat.completions.create({ messages: generation.messages, max_tokens: generation.max_new_tokens }), (_, i) => {
      if (i === 1) unloading = other.unload();
    });
    await unloading;
    expect(chunks.at(-1)?.finish_reason).toBe('abort');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeLessThan(generation.max_new_tokens);
    expect(() => other.countTokens('x')).toThrow(/was unloaded/);
  });

  it('refuses a prompt longer than the context with a clear error', async () => {
    const long = 'catalogue '.repeat(600);
    await expect(collect(engine.chat.completions.create({ messages: [{ role: 'user', content: long }] }))).rejects.toThrow(/accepts 512/);
  });
});
