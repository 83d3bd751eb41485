/**
 * The ML worker's chat engine as the page reaches it: task ids instead of signals, chunks through
 * a callback, the prompt fitted with the loaded model's own tokenizer, and a hub model loaded
 * through the shared loader from a local server with the hub's layout (no network).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatContext } from '../../src/core/chat/context';
import type { ChatChunk, ChatMessage } from '../../src/core/chat/engine';
import { patentItem } from '../../src/core/chat/items';
import { ChatWorkerEngine } from '../../src/engines/chat-engine';
import { BUNDLED_CHAT_CHOICE } from '../../src/ml/chat/chat-choice';
import { localModelSource } from '../../src/ml/local-model';
import { startHubMimic, type HubMimic } from '../ml/hub-mimic';

const MODEL_ID = 'ps-llama-yesno-tiny';
const generation = (JSON.parse(readFileSync(resolve('models', MODEL_ID, 'reference.json'), 'utf8')) as {
  generation: { messages: ChatMessage[]; input_ids: number[]; max_new_tokens: number; generated_text: string };
}).generation;

describe('ChatWorkerEngine with the bundled Llama', () => {
  const engine = new ChatWorkerEngine();
  beforeAll(async () => {
    await engine.load({ choice: BUNDLED_CHAT_CHOICE, source: localModelSource('models', MODEL_ID), devices: ['cpu'] });
  });
  afterAll(async () => {
    await engine.unload();
  });

  it('reports what it loaded, and keeps it for the same request', async () => {
    const first = engine.info();
    expect(first?.info).toEqual({ kind: 'bundled', model: BUNDLED_CHAT_CHOICE.model, contextTokens: 512, device: 'cpu' });
    const again = await engine.load({ choice: BUNDLED_CHAT_CHOICE, source: localModelSource('models', MODEL_ID), devices: ['cpu'] });
    expect(again).toBe(first);
  });

  it('sends every chunk through the callback before generate() resolves, ending with the reference text', async () => {
    const chunks: ChatChunk[] = [];
    await engine.generate({ messages: generation.messages, max_tokens: generation.max_new_tokens }, 'g1', (c) => { chunks.push(c); });
    expect(chunks.map((c) => c.delta).join('').trim()).toBe(generation.generated_text.replace(/<\|im_end\|>$/, '').trim());
    expect(chunks.at(-1)?.finish_reason).toBe(generation.generated_text.endsWith('<|im_end|>') ? 'stop' : 'length');
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(generation.input_ids.length);
  });

  it('abort(taskId) mid-stream ends the stream with "abort" and fewer tokens', async () => {
    const chunks: ChatChunk[] = [];
    await engine.generate({ messages: generation.messages, max_tokens: generation.max_new_tokens }, 'g2', (c) => {
      chunks.push(c);
      if (chunks.length === 2) engine.abort('g2');
    });
    expect(chunks.at(-1)?.finish_reason).toBe('abort');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeLessThan(generation.max_new_tokens);
    // Another task's id stops nothing.
    const other: ChatChunk[] = [];
    await engine.generate({ messages: generation.messages, max_tokens: 6 }, 'g3', (c) => {
      other.push(c);
      engine.abort('g2');
    });
    expect(other.at(-1)?.finish_reason).toBe('length');
  });

  it('fits the grounded prompt to the model context with its own tokenizer', () => {
    const context = new ChatContext();
    const abstract = 'A fabric filter removes dust from the flue gas of a boiler. '.repeat(120);
    context.add(patentItem({ id: 'DEMO-000001', title: 'Fabric filter', abstract }));
    context.add(patentItem({ id: 'DEMO-000002', title: 'Wet scrubber', abstract: 'A scrubber washes sulphur dioxide out of the gas.' }));
    // The rules of the system prompt alone take 365 of the tiny model's 512 tokens.
    const prompt = engine.buildPrompt({ question: 'Which patents remove dust?', entries: context.entries, answerTokens: 40 });
    const [counted] = engine.countTokens([prompt.messages.map((m) => m.content).join('')]);
    expect(prompt.tokens).toBeLessThanOrEqual(512 - 40);
    expect(counted).toBeLessThanOrEqual(512 - 40);
    expect(prompt.shortened).toContain('P1');
    expect(prompt.omitted).toEqual([]);
    expect(prompt.note).toMatch(/shortened/);
    expect(prompt.messages[1].content).toContain('[P1]');
    expect(prompt.messages[1].content).toContain('Question: Which patents remove dust?');
  });

  it('refuses a malformed model reference before any download', async () => {
    expect(await engine.fit({ kind: 'hub', model: 'nonsense', dtype: 'q4' })).toEqual({ ok: false, reason: expect.stringMatching(/not a model reference/) });
    expect(await engine.fit(BUNDLED_CHAT_CHOICE)).toEqual({ ok: true });
    expect(await engine.fit({ kind: 'hub', model: 'hub:onnx-community/Llama-3.2-1B-Instruct-q4f16', dtype: 'q4f16' })).toEqual({ ok: true });
  });
});

describe('ChatWorkerEngine with a hub chat model', () => {
  let hub: HubMimic;
  beforeAll(async () => {
    hub = await startHubMimic({ 'test-org/chat-tiny': `models/${MODEL_ID}`, 'test-org/chat-abort': `models/${MODEL_ID}` });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('downloads it through the loader with progress and streams the same greedy answer', async () => {
    const engine = new ChatWorkerEngine();
    const seen: number[] = [];
    const choice = { kind: 'hub' as const, model: 'hub:test-org/chat-tiny', dtype: 'q4' as const };
    const loaded = await engine.load({ choice, source: { kind: 'ref', ref: choice.model, appBase: 'http://127.0.0.1/', hubHost: hub.host }, devices: ['cpu'] }, {}, (p) => seen.push(p.done));
    expect(loaded.info.kind).toBe('hub');
    expect(loaded.info.model).toBe('hub:test-org/chat-tiny');
    expect(hub.requests.some((r) => r.path === '/test-org/chat-tiny/resolve/main/onnx/model_q4.onnx')).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    const chunks: ChatChunk[] = [];
    await engine.generate({ messages: generation.messages, max_tokens: 8 }, 'h1', (c) => { chunks.push(c); });
    expect(chunks.at(-1)?.finish_reason).toBe('length');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(8);
    expect(chunks.map((c) => c.delta).join('').trim().length).toBeGreaterThan(0);
    await engine.unload();
    expect(() => engine.countTokens(['x'])).toThrow(/no chat model is loaded/);
  });

  it('abort(taskId) stops a download in progress: the load rejects with AbortError and nothing is loaded', async () => {
    const engine = new ChatWorkerEngine();
    const choice = { kind: 'hub' as const, model: 'hub:test-org/chat-abort', dtype: 'fp32' as const };
    const load = engine.load({ choice, source: { kind: 'ref', ref: choice.model, appBase: 'http://127.0.0.1/', hubHost: hub.host }, devices: ['cpu'] }, { taskId: 'l1' }, () => engine.abort('l1'));
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    expect(engine.info()).toBeNull();
    expect(hub.requests.some((r) => r.path === '/test-org/chat-abort/resolve/main/onnx/model.onnx')).toBe(false);
  });

  it('names the model and the reason when a hub model cannot be loaded', async () => {
    const engine = new ChatWorkerEngine();
    const choice = { kind: 'hub' as const, model: 'hub:test-org/missing', dtype: 'q4' as const };
    await expect(engine.load({ choice, source: { kind: 'ref', ref: choice.model, appBase: 'http://127.0.0.1/', hubHost: hub.host }, devices: ['cpu'] }))
      .rejects.toThrow(/could not load hub:test-org\/missing: cpu: /);
  });
});
