/**
 * web-llm's MLC engines behind the one chat interface. The engine itself runs in its own worker
 * (workers/webllm.worker.ts, started by CreateWebWorkerMLCEngine): web-llm's handler owns that
 * worker's onmessage, so it cannot share the Comlink ML worker, and this adapter lives on the
 * page, talking to it through web-llm's own client.
 *
 * Messages go to `chat.completions.create({ stream: true, stream_options: { include_usage: true } })`
 * as they are; content deltas become chunks, the usage chunk's counts the last chunk's usage, the
 * request's signal calls `interruptGenerate()` (the stream then ends with 'abort'), and failures on
 * load or mid-stream become errors that name the model and say what happened. The fit check runs
 * before the engine factory is called, so a model that cannot run here is never downloaded.
 */
import type { AppConfig, ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import { StreamQueue, type ChunkStream } from '../../core/chat/chunk-stream';
import type { ChatChunk, ChatEngine, ChatEngineInfo, ChatRequest, ChatUsage, FinishReason } from '../../core/chat/engine';
import { fitWebLlm, type FitEnvironment } from './webllm-fit';
import { contextWindow, modelRecord } from './webllm-presets';

/** The part of web-llm's MLCEngineInterface the adapter uses (tests script it). */
export interface MlcEngineLike {
  chat: { completions: { create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> } };
  interruptGenerate(): void;
  unload(): Promise<void>;
}

export type MlcEngineFactory = (modelId: string, options: { appConfig: AppConfig; onProgress: (report: InitProgressReport) => void }) => Promise<MlcEngineLike>;

/** A web-llm model that was refused, failed to load, or failed while answering. */
export class WebLlmError extends Error {
  override name = 'WebLlmError';
}

export interface WebLlmLoadOptions {
  appConfig: AppConfig;
  environment: FitEnvironment;
  /** Default: web-llm in its own web worker. */
  factory?: MlcEngineFactory;
  onProgress?: (report: InitProgressReport) => void;
}

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', abort: 'abort', tool_calls: 'stop' };

export class WebLlmChatEngine implements ChatEngine {
  readonly chat = { completions: { create: (request: ChatRequest): AsyncIterable<ChatChunk> => this.create(request) } };
  private engine: MlcEngineLike | null;
  /** web-llm answers one request at a time; a second one waits for the first to end. */
  private readonly queue = new StreamQueue();

  private constructor(engine: MlcEngineLike, private readonly details: ChatEngineInfo) {
    this.engine = engine;
  }

  static async load(modelId: string, options: WebLlmLoadOptions): Promise<WebLlmChatEngine> {
    const record = modelRecord(options.appConfig, modelId);
    const fit = await fitWebLlm(record, options.environment);
    if (!fit.ok) throw new WebLlmError(fit.reason ?? `${modelId} cannot run here`);
    const factory = options.factory ?? webWorkerEngineFactory;
    let engine: MlcEngineLike;
    try {
      engine = await factory(modelId, { appConfig: options.appConfig, onProgress: options.onProgress ?? (() => undefined) });
    } catch (error) {
      throw new WebLlmError(`Could not load ${modelId} with web-llm: ${describe(error)}`, { cause: error });
    }
    return new WebLlmChatEngine(engine, { kind: 'webllm', model: modelId, contextTokens: contextWindow(record), device: 'webgpu' });
  }

  info(): ChatEngineInfo {
    return { ...this.details };
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    // A running answer ends with 'abort' instead of holding the unload until it is done.
    engine?.interruptGenerate();
    await this.queue.idle;
    await engine?.unload();
  }

  private create(request: ChatRequest): AsyncIterable<ChatChunk> {
    return this.queue.open((stream) => this.generate(request, stream));
  }

  private async generate(request: ChatRequest, stream: ChunkStream): Promise<void> {
    const engine = this.engine;
    const model = this.details.model;
    if (!engine) throw new WebLlmError(`${model} was unloaded`);
    const signal = request.signal;
    if (signal?.aborted) {
      // Nothing was sent, so there is no usage to report.
      stream.push({ delta: '', finish_reason: 'abort' });
      return;
    }
    const onAbort = () => engine.interruptGenerate();
    signal?.addEventListener('abort', onAbort, { once: true });
    let finish: FinishReason | null = null;
    let usage: ChatUsage | undefined;
    try {
      let chunks: AsyncIterable<ChatCompletionChunk>;
      try {
        chunks = await engine.chat.completions.create({
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          stream: true,
          stream_options: { include_usage: true },
          ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}),
          temperature: request.temperature ?? 0,
        });
      } catch (error) {
        throw new WebLlmError(`${model} could not start an answer: ${describe(error)}`, { cause: error });
      }
      try {
        for await (const chunk of chunks) {
          const choice = chunk.choices[0];
          const delta = choice?.delta.content ?? '';
          if (delta) stream.push({ delta, finish_reason: null });
          if (choice?.finish_reason) finish = FINISH[choice.finish_reason] ?? 'stop';
          if (chunk.usage) usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
        }
      } catch (error) {
        throw new WebLlmError(`${model} stopped while answering: ${describe(error)}`, { cause: error });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    stream.push({ delta: '', finish_reason: signal?.aborted ? 'abort' : finish ?? 'stop', usage });
  }
}

/**
 * web-llm in a worker of its own: the library (6 MB) is loaded only here, when a web-llm model is
 * wanted. Unloading the engine ends its worker.
 */
export const webWorkerEngineFactory: MlcEngineFactory = async (modelId, { appConfig, onProgress }) => {
  const { CreateWebWorkerMLCEngine } = await import('@mlc-ai/web-llm');
  const worker = new Worker(new URL('../../../workers/webllm.worker.ts', import.meta.url), { type: 'module', name: 'webllm' });
  try {
    const engine = await CreateWebWorkerMLCEngine(worker, modelId, { appConfig, initProgressCallback: onProgress });
    return {
      chat: engine.chat,
      interruptGenerate: () => engine.interruptGenerate(),
      unload: async () => {
        try {
          await engine.unload();
        } finally {
          worker.terminate();
        }
      },
    };
  } catch (error) {
    worker.terminate();
    throw error;
  }
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
