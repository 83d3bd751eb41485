/**
 * The web-llm adapter against the interface contract, with a scripted fake engine. No MLC model
 * library can be compiled or downloaded offline here, so no real MLC engine runs in these tests:
 * the fake implements the part of web-llm's MLCEngineInterface the adapter uses
 * (chat.completions.create with streaming, interruptGenerate, unload) — messages in, scripted
 * chunks out, abort mid-stream, an error on load and one mid-stream — and is injected through
 * the adapter's factory parameter. The model list and app config are web-llm's real ones
 * (prebuiltAppConfig), and so are the fit checks' inputs; the GPU is scripted.
 */
import { prebuiltAppConfig, type AppConfig, type ChatCompletionChunk, type ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { WebLlmChatEngine, WebLlmError, type MlcEngineFactory, type MlcEngineLike } from '../../../src/ml/chat/webllm-engine';
import type { FitEnvironment, WebGpuLike } from '../../../src/ml/chat/webllm-fit';
import { webLlmPresets, WEBLLM_PRESET_IDS } from '../../../src/ml/chat/webllm-presets';
import { collect } from './collect';

const MODEL = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const USAGE = { prompt_tokens: 42, completion_tokens: 3, total_tokens: 45 };

function chunk(content: string | null, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null, usage?: typeof USAGE): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: MODEL,
    choices: usage ? [] : [{ index: 0, delta: content === null ? {} : { content, role: 'assistant' }, finish_reason: finish }],
    ...(usage ? { usage: { ...usage, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } } } : {}),
  };
}

/** Answers with the scripted deltas, one per step; after interruptGenerate() it ends as web-llm does ('abort', then usage). */
class ScriptedEngine implements MlcEngineLike {
  readonly requests: ChatCompletionRequestStreaming[] = [];
  interrupts = 0;
  unloaded = false;
  private interrupted = false;
  readonly chat = { completions: { create: async (request: ChatCompletionRequestStreaming) => {
    this.requests.push(request);
    this.interrupted = false;
    return this.answer();
  } } };

  constructor(private readonly deltas: string[], private readonly options: { finish?: 'stop' | 'length'; failAfter?: number } = {}) {}

  interruptGenerate(): void {
    this.interrupts++;
    this.interrupted = true;
  }

  async unload(): Promise<void> {
    this.unloaded = true;
  }

  private async *answer(): AsyncGenerator<ChatCompletionChunk> {
    for (let i = 0; i < this.deltas.length; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if (this.interrupted) {
        yield chunk(null, 'abort');
        yield chunk(null, null, { prompt_tokens: 42, completion_tokens: i, total_tokens: 42 + i });
        return;
      }
      if (this.options.failAfter === i) throw new Error('Device was lost (out of memory)');
      yield chunk(this.deltas[i], i === this.deltas.length - 1 ? this.options.finish ?? 'stop' : null);
    }
    yield chunk(null, null, USAGE);
  }
}

function adapter(limits: Partial<Record<'maxBufferSize' | 'maxStorageBufferBindingSize' | 'maxComputeWorkgroupStorageSize' | 'maxStorageBuffersPerShaderStage', number>> = {}, features = ['shader-f16'], fallback = false): WebGpuLike {
  return {
    requestAdapter: async () => ({
      features: new Set(features),
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 32768, maxStorageBuffersPerShaderStage: 10, ...limits },
      info: { isFallbackAdapter: fallback, architecture: fallback ? 'swiftshader' : 'ampere' },
    }),
  };
}

const GOOD_GPU: FitEnvironment = { gpu: adapter(), deviceMemoryGB: 8 };

function factoryOf(engine: MlcEngineLike | Error): MlcEngineFactory & { calls: string[] } {
  const calls: string[] = [];
  const factory = async (modelId: string, options: { appConfig: AppConfig; onProgress: (r: { progress: number; timeElapsed: number; text: string }) => void }) => {
    calls.push(modelId);
    options.onProgress({ progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]' });
    if (engine instanceof Error) throw engine;
    return engine;
  };
  return Object.assign(factory, { calls });
}


describe('web-llm presets from its own app config', () => {
  it('lists the instruct models with web-llm\'s memory and context figures', () => {
    const presets = webLlmPresets(prebuiltAppConfig);
    expect(presets.map((p) => p.choice.model)).toEqual(WEBLLM_PRESET_IDS);
    expect(presets.map((p) => p.choice.model)).toEqual(expect.arrayContaining(['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama-3.2-3B-Instruct-q4f16_1-MLC', 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC']));
    for (const p of presets) {
      expect(p.vramMB).toBeGreaterThan(300);
      expect(p.contextTokens).toBeGreaterThanOrEqual(1024);
    }
    const llama3b = presets.find((p) => p.choice.model === 'Llama-3.2-3B-Instruct-q4f16_1-MLC');
    const llama1b = presets.find((p) => p.choice.model === MODEL);
    expect(llama3b?.vramMB).toBeGreaterThan(llama1b?.vramMB ?? Infinity);
  });

  it('takes every figure from the config it is given, and leaves out ids the config lacks', () => {
    const config: AppConfig = { model_list: [{ ...prebuiltAppConfig.model_list.find((r) => r.model_id === MODEL)!, vram_required_MB: 1234, overrides: { context_window_size: 2048 } }] };
    expect(webLlmPresets(config)).toEqual([expect.objectContaining({ choice: { kind: 'webllm', model: MODEL }, vramMB: 1234, contextTokens: 2048 })]);
  });
});

describe('WebLlmChatEngine with a scripted MLC engine', () => {
  it('sends the messages streamed with usage and maps deltas, finish reason and usage to chunks', async () => {
    const fake = new ScriptedEngine(['Nitrogen', ' oxides', ' [B1].']);
    const factory = factoryOf(fake);
    const progress: number[] = [];
    const engine = await WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory, onProgress: (r) => progress.push(r.progress) });
    expect(factory.calls).toEqual([MODEL]);
    expect(progress).toEqual([0.5]);
    expect(engine.info()).toEqual({ kind: 'webllm', model: MODEL, contextTokens: 4096, device: 'webgpu' });
    const messages = [{ role: 'system' as const, content: 'Use the sources.' }, { role: 'user' as const, content: 'Which pollutants?' }];
    const chunks = await collect(engine.chat.completions.create({ messages, max_tokens: 64 }));
    expect(fake.requests).toEqual([{ messages, stream: true, stream_options: { include_usage: true }, max_tokens: 64, temperature: 0 }]);
    expect(chunks).toEqual([
      { delta: 'Nitrogen', finish_reason: null }, { delta: ' oxides', finish_reason: null }, { delta: ' [B1].', finish_reason: null },
      { delta: '', finish_reason: 'stop', usage: USAGE },
    ]);
    await engine.unload();
    expect(fake.unloaded).toBe(true);
  });

  it('passes on "length"', async () => {
    const engine = await WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory: factoryOf(new ScriptedEngine(['a', 'b'], { finish: 'length' })) });
    expect((await collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'q' }] }))).at(-1)?.finish_reason).toBe('length');
  });

  it('an abort mid-stream calls interruptGenerate and ends with "abort" and fewer tokens', async () => {
    const fake = new ScriptedEngine(['one', ' two', ' three', ' four', ' five', ' six']);
    const engine = await WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory: factoryOf(fake) });
    const controller = new AbortController();
    const chunks = await collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'count' }], signal: controller.signal }), (_, i) => {
      if (i === 1) controller.abort();
    });
    expect(fake.interrupts).toBe(1);
    expect(chunks.map((c) => c.delta).join('')).toBe('one two');
    expect(chunks.at(-1)).toEqual({ delta: '', finish_reason: 'abort', usage: { prompt_tokens: 42, completion_tokens: 2, total_tokens: 44 } });
    // A signal that fired before the call sends nothing to the engine.
    const done = new AbortController();
    done.abort();
    expect(await collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'again' }], signal: done.signal }))).toEqual([{ delta: '', finish_reason: 'abort' }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('unload() during an answer interrupts it (it ends with "abort") and then unloads the engine', async () => {
    const fake = new ScriptedEngine(['one', ' two', ' three', ' four', ' five', ' six']);
    const engine = await WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory: factoryOf(fake) });
    let unloading: Promise<void> | null = null;
    const chunks = await collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'count' }] }), (_, i) => {
      if (i === 0) unloading = engine.unload();
    });
    await unloading;
    expect(fake.interrupts).toBe(1);
    expect(chunks.at(-1)?.finish_reason).toBe('abort');
    expect(fake.unloaded).toBe(true);
    await expect(collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'again' }] }))).rejects.toThrow(`${MODEL} was unloaded`);
  });

  it('turns a load failure into an error naming the model and the cause', async () => {
    const load = WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory: factoryOf(new Error('Failed to fetch')) });
    await expect(load).rejects.toBeInstanceOf(WebLlmError);
    await expect(load).rejects.toThrow(`Could not load ${MODEL} with web-llm: Failed to fetch`);
  });

  it('turns a failure mid-stream into an error after the chunks that came before it', async () => {
    const engine = await WebLlmChatEngine.load(MODEL, { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory: factoryOf(new ScriptedEngine(['a', 'b', 'c'], { failAfter: 2 })) });
    const seen: string[] = [];
    await expect(collect(engine.chat.completions.create({ messages: [{ role: 'user', content: 'q' }] }), (c) => seen.push(c.delta)))
      .rejects.toThrow(`${MODEL} stopped while answering: Device was lost (out of memory)`);
    expect(seen).toEqual(['a', 'b']);
  });

  it('refuses an id web-llm does not have, before the factory', async () => {
    const factory = factoryOf(new ScriptedEngine([]));
    await expect(WebLlmChatEngine.load('No-Such-Model-MLC', { appConfig: prebuiltAppConfig, environment: GOOD_GPU, factory })).rejects.toThrow(/web-llm has no prebuilt model "No-Such-Model-MLC"/);
    expect(factory.calls).toEqual([]);
  });
});

describe('fit refusals happen before anything is downloaded', () => {
  const refused = async (model: string, environment: FitEnvironment, reason: RegExp) => {
    const factory = factoryOf(new ScriptedEngine([]));
    const load = WebLlmChatEngine.load(model, { appConfig: prebuiltAppConfig, environment, factory });
    await expect(load).rejects.toBeInstanceOf(WebLlmError);
    await expect(load).rejects.toThrow(reason);
    expect(factory.calls).toEqual([]);
  };

  it('without WebGPU', () => refused(MODEL, { gpu: undefined }, /needs WebGPU/));
  it('without an adapter', () => refused(MODEL, { gpu: { requestAdapter: async () => null } }, /needs WebGPU, and this browser gives no adapter/));
  it('on a software adapter', () => refused(MODEL, { gpu: adapter({}, ['shader-f16'], true) }, /software fallback/));
  it('an f16 model on a GPU without shader-f16 (pointing at the f32 variant)', () => refused(MODEL, { gpu: adapter({}, []) }, /shader-f16.*Llama-3.2-1B-Instruct-q4f32_1-MLC/));
  it('with too little memory for web-llm\'s estimate', () => refused('Llama-3.2-3B-Instruct-q4f16_1-MLC', { gpu: adapter(), deviceMemoryGB: 2 }, /needs 2\.2 GB of GPU memory .* reports 2 GB/));
  it('with buffers smaller than web-llm\'s runtime needs', () => refused(MODEL, { gpu: adapter({ maxBufferSize: 128 * 2 ** 20 }) }, /needs GPU buffers of 256 MB, this GPU allows 128 MB/));
  it('with too few storage buffers per shader stage', () => refused(MODEL, { gpu: adapter({ maxStorageBuffersPerShaderStage: 8 }) }, /maxStorageBuffersPerShaderStage ≥ 10, this GPU offers 8/));

  it('accepts an f32 model on a GPU without shader-f16, and a small model on a small device', async () => {
    const factory = factoryOf(new ScriptedEngine([]));
    await WebLlmChatEngine.load('Llama-3.2-1B-Instruct-q4f32_1-MLC', { appConfig: prebuiltAppConfig, environment: { gpu: adapter({}, []), deviceMemoryGB: 2 }, factory });
    expect(factory.calls).toEqual(['Llama-3.2-1B-Instruct-q4f32_1-MLC']);
  });
});
