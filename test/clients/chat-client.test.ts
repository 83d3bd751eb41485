/**
 * ChatClient over its three backends: the real ONNX chat engine (the bundled Llama on the CPU,
 * called directly instead of through the worker), a scripted web-llm backend (no MLC model can
 * run offline here) and an in-memory settings store. Checks that the choice is kept, that a
 * request's signal becomes abort(taskId) in the engine, that a refused fit never loads, and that
 * switching engines unloads the other one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatEngine, ChatMessage, ChatRequest } from '../../src/core/chat/engine';
import { ChatWorkerEngine } from '../../src/engines/chat-engine';
import { workerOnnxBackend, type ChatBackends } from '../../src/clients/chat-backends';
import { BUNDLED_CHAT_CHOICE, ChatClient, ChatRefusedError, type ChatClientState } from '../../src/clients/chat-client';
import { localModelSource } from '../../src/ml/local-model';
import { collect } from '../ml/chat/collect';

const MODEL_ID = 'ps-llama-yesno-tiny';
const generation = (JSON.parse(readFileSync(resolve('models', MODEL_ID, 'reference.json'), 'utf8')) as {
  generation: { messages: ChatMessage[]; input_ids: number[]; max_new_tokens: number; generated_text: string };
}).generation;
const WEBLLM_MODEL = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';

function backends(options: { webllmFit?: { ok: boolean; reason?: string } } = {}) {
  const engine = new ChatWorkerEngine();
  const calls = { abort: [] as string[], onnxLoads: 0, onnxUnloads: 0, webllmLoads: [] as string[], webllmUnloads: 0, webllmRequests: [] as ChatRequest[] };
  let stored: unknown;
  const webllmEngine: ChatEngine = {
    info: () => ({ kind: 'webllm', model: WEBLLM_MODEL, contextTokens: 4096, device: 'webgpu' }),
    chat: { completions: { create: (request) => (async function* () {
      calls.webllmRequests.push(request);
      yield { delta: 'From web-llm', finish_reason: null };
      yield { delta: '', finish_reason: 'stop', usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } };
    })() } },
    unload: async () => { calls.webllmUnloads++; },
  };
  const b: ChatBackends = {
    onnx: {
      fit: (choice) => engine.fit(choice),
      // The client asks for the bundled model by reference (served by the app); here it comes from the disk.
      load: async (o, task, onProgress) => {
        calls.onnxLoads++;
        return engine.load({ ...o, source: localModelSource('models', MODEL_ID), devices: ['cpu'], runtime: undefined }, task, onProgress);
      },
      generate: (request, taskId, onChunk) => engine.generate(request, taskId, onChunk),
      abort: async (taskId) => { calls.abort.push(taskId); engine.abort(taskId); },
      buildPrompt: async (input) => engine.buildPrompt(input),
      unload: async () => { calls.onnxUnloads++; await engine.unload(); },
    },
    webllm: {
      appConfig: async () => prebuiltAppConfig,
      fit: async () => options.webllmFit ?? { ok: true },
      load: async (modelId, onProgress) => {
        calls.webllmLoads.push(modelId);
        onProgress({ progress: 1, timeElapsed: 0, text: 'Finish loading' });
        return webllmEngine;
      },
    },
    settings: { get: async () => stored, set: async (value) => { stored = value; } },
  };
  return { backends: b, calls, stored: () => stored };
}


describe('ChatClient', () => {
  it('offers the bundled model, web-llm presets with their memory, and a hub model', async () => {
    const client = new ChatClient(backends().backends, () => 'http://127.0.0.1/');
    const choices = await client.choices();
    expect(choices[0].choice).toEqual(BUNDLED_CHAT_CHOICE);
    const webllm = choices.filter((c) => c.choice.kind === 'webllm');
    expect(webllm.map((c) => c.choice.model)).toContain(WEBLLM_MODEL);
    expect(webllm.every((c) => (c.vramMB ?? 0) > 0)).toBe(true);
    expect(choices.some((c) => c.choice.kind === 'hub')).toBe(true);
  });

  it('loads the kept choice (the bundled model by default) on the first question and streams its answer', async () => {
    const { backends: b, stored } = backends();
    const client = new ChatClient(b, () => 'http://127.0.0.1/');
    expect(await client.savedChoice()).toEqual(BUNDLED_CHAT_CHOICE);
    const states: ChatClientState['kind'][] = [];
    client.subscribe((s) => states.push(s.kind));
    const chunks = await collect(client.create({ messages: generation.messages, max_tokens: generation.max_new_tokens }));
    expect(chunks.map((c) => c.delta).join('').trim()).toBe(generation.generated_text.replace(/<\|im_end\|>$/, '').trim());
    expect(chunks.at(-1)?.finish_reason).toBe(generation.generated_text.endsWith('<|im_end|>') ? 'stop' : 'length');
    expect(client.loaded()?.info).toEqual({ kind: 'bundled', model: BUNDLED_CHAT_CHOICE.model, contextTokens: 512, device: 'cpu' });
    expect(states).toEqual(['idle', 'loading', 'ready']);
    expect(stored()).toEqual(BUNDLED_CHAT_CHOICE);
    await client.unload();
  });

  it('turns the request signal into abort(taskId) in the engine: the stream ends with "abort" and fewer tokens', async () => {
    const { backends: b, calls } = backends();
    const client = new ChatClient(b, () => 'http://127.0.0.1/');
    await client.load(BUNDLED_CHAT_CHOICE);
    const controller = new AbortController();
    const chunks = await collect(client.create({ messages: generation.messages, max_tokens: generation.max_new_tokens, signal: controller.signal }), (_, i) => {
      if (i === 1) controller.abort();
    });
    expect(calls.abort).toHaveLength(1);
    expect(calls.abort[0]).toMatch(/^chat-\d+$/);
    expect(chunks.at(-1)?.finish_reason).toBe('abort');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeLessThan(generation.max_new_tokens);
    await client.unload();
  });

  it('refuses a model that does not fit before loading it, and says why', async () => {
    const { backends: b, calls } = backends({ webllmFit: { ok: false, reason: `${WEBLLM_MODEL} needs WebGPU` } });
    const client = new ChatClient(b, () => 'http://127.0.0.1/');
    const states: ChatClientState[] = [];
    client.subscribe((s) => states.push(s));
    const load = client.load({ kind: 'webllm', model: WEBLLM_MODEL });
    await expect(load).rejects.toBeInstanceOf(ChatRefusedError);
    await expect(load).rejects.toThrow(/needs WebGPU/);
    expect(calls.webllmLoads).toEqual([]);
    expect(states.at(-1)).toEqual({ kind: 'error', choice: { kind: 'webllm', model: WEBLLM_MODEL }, message: `${WEBLLM_MODEL} needs WebGPU` });
  });

  it('switches to a web-llm model: the ONNX model is unloaded, questions go to web-llm, and the choice is kept for the next visit', async () => {
    const { backends: b, calls, stored } = backends();
    const client = new ChatClient(b, () => 'http://127.0.0.1/');
    await client.load(BUNDLED_CHAT_CHOICE);
    const progress: (number | null)[] = [];
    const loaded = await client.load({ kind: 'webllm', model: WEBLLM_MODEL }, { onProgress: (p) => progress.push(p.fraction) });
    expect(loaded.info.kind).toBe('webllm');
    expect(progress).toEqual([1]);
    expect(calls.onnxUnloads).toBe(1);
    const chunks = await collect(client.create({ messages: [{ role: 'user', content: 'hello' }] }));
    expect(chunks.map((c) => c.delta).join('')).toBe('From web-llm');
    expect(calls.webllmRequests).toHaveLength(1);
    const prompt = await client.buildPrompt({ question: 'Which patents?', entries: [] });
    expect(prompt.messages.at(-1)?.content).toContain('Question: Which patents?');
    expect(stored()).toEqual({ kind: 'webllm', model: WEBLLM_MODEL });
    const next = new ChatClient(b, () => 'http://127.0.0.1/');
    expect(await next.savedChoice()).toEqual({ kind: 'webllm', model: WEBLLM_MODEL });
    await client.unload();
    expect(calls.webllmUnloads).toBe(1);
  });

  it('loading the same choice again reuses the loaded engine', async () => {
    const { backends: b, calls } = backends();
    const client = new ChatClient(b, () => 'http://127.0.0.1/');
    const first = await client.load(BUNDLED_CHAT_CHOICE);
    expect(await client.load(BUNDLED_CHAT_CHOICE)).toBe(first);
    expect(calls.onnxLoads).toBe(1);
    await client.unload();
  });
});

describe('ChatClient over a real MessageChannel, as the page reaches the ML worker', () => {
  const ports: MessagePort[] = [];
  afterAll(() => ports.forEach((p) => p.close()));

  it('gets every chunk, in order, before the call resolves, and Stop reaches the engine as abort(taskId)', async () => {
    const engine = new ChatWorkerEngine();
    // Exposed like workers/ml.worker.ts exposes it; only the model's source is the disk instead of the app's URL.
    const exposed = Object.assign(Object.create(engine) as ChatWorkerEngine, {
      load: (o: Parameters<ChatWorkerEngine['load']>[0], task: Parameters<ChatWorkerEngine['load']>[1], onProgress: Parameters<ChatWorkerEngine['load']>[2]) =>
        engine.load({ ...o, source: localModelSource('models', MODEL_ID), devices: ['cpu'], runtime: undefined }, task, onProgress),
    });
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    Comlink.expose(exposed, port1);
    const remote = Comlink.wrap<ChatWorkerEngine>(port2);
    const { backends: local } = backends();
    const client = new ChatClient({ ...local, onnx: workerOnnxBackend(() => remote) }, () => 'http://127.0.0.1/');
    await client.load(BUNDLED_CHAT_CHOICE);
    const chunks = await collect(client.create({ messages: generation.messages, max_tokens: generation.max_new_tokens }));
    expect(chunks.map((c) => c.delta).join('').trim()).toBe(generation.generated_text.replace(/<\|im_end\|>$/, '').trim());
    expect(chunks.at(-1)?.finish_reason).toBe(generation.generated_text.endsWith('<|im_end|>') ? 'stop' : 'length');

    const controller = new AbortController();
    const stopped = await collect(client.create({ messages: generation.messages, max_tokens: generation.max_new_tokens, signal: controller.signal }), (_, i) => {
      if (i === 1) controller.abort();
    });
    expect(stopped.at(-1)?.finish_reason).toBe('abort');
    expect(stopped.at(-1)?.usage?.completion_tokens).toBeLessThan(generation.max_new_tokens);
    await client.unload();
    remote[Comlink.releaseProxy]();
  });
});
