/**
 * The ONNX chat engines in the ML worker (the bundled Llama, hub/URL/folder chat models), reached
 * over Comlink. The chat interface's AbortSignal and AsyncIterable cannot cross postMessage, so
 * generate() takes a task id (abort(taskId) stops it, like every engine here) and a callback that
 * receives each chunk; it resolves once the last chunk (with its finish reason) has been sent.
 */
import { AbortRegistry, type TaskOptions } from '../core/abort';
import { buildPrompt, type Prompt, type PromptInput } from '../core/chat/prompt';
import type { ChatChunk, ChatEngineInfo, ChatFit, ChatRequest } from '../core/chat/engine';
import type { ProgressCallback } from '../core/progress';
import { parseModelRef } from '../ml/model-ref';
import { answerReserve, type OnnxChatChoice } from '../ml/chat/chat-choice';
import { OnnxChatModel } from '../ml/chat/onnx-chat';
import { loadOnFirstDevice, type ModelSource, type RuntimeOptions } from '../ml/runtime';

type ChatDevice = 'webgpu' | 'wasm' | 'cpu';


export interface ChatLoadOptions {
  choice: OnnxChatChoice;
  source: ModelSource;
  runtime?: RuntimeOptions;
  /** Tried in order; the first that loads wins and earlier failures become the fallback notice. */
  devices: ChatDevice[];
  /** Run on WebGPU even on a software fallback adapter (skipped otherwise: WASM is faster there). */
  forceWebGpu?: boolean;
}

export interface ChatLoaded {
  info: ChatEngineInfo;
  /** Why earlier devices were not used (e.g. "webgpu: no adapter"), shown beside the engine. */
  fallbackReasons: string[];
}

/** A chat request as it crosses to the worker: everything but the signal. */
export type ChatGenerateRequest = Omit<ChatRequest, 'signal'>;

/**
 * Prompt input as it crosses to the worker: the engine counts with its own tokenizer, and the
 * budget is its context minus `answerTokens` (default answerReserve(context); give the request's
 * max_tokens so the answer has the room it may use).
 */
export type WorkerPromptInput = Omit<PromptInput, 'countTokens' | 'budget'> & { answerTokens?: number };

export class ChatWorkerEngine {
  private model: OnnxChatModel | null = null;
  private loaded: ChatLoaded | null = null;
  private loadedFor = '';
  private readonly aborts = new AbortRegistry();

  /**
   * Before any download, only a malformed reference is refused: every variant runs on WASM (ONNX
   * Runtime casts half-precision operators it lacks to fp32 there, slowly), and a model's size is
   * known only once its files arrive.
   */
  async fit(choice: OnnxChatChoice): Promise<ChatFit> {
    try {
      parseModelRef(choice.model);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** abort(taskId) stops a download in progress (the loader checks the signal between files and chunks). */
  async load(options: ChatLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<ChatLoaded> {
    const request = JSON.stringify([options.choice, options.devices, options.forceWebGpu === true]);
    if (this.loaded && this.model && this.loadedFor === request) return this.loaded;
    await this.unload();
    const signal = this.aborts.begin(task.taskId, task.signal);
    try {
      const { value, fallbackReasons } = await loadOnFirstDevice(options.devices, options.forceWebGpu === true, (device) => OnnxChatModel.load({
        source: options.source, kind: options.choice.kind, model: options.choice.model,
        device, dtype: options.choice.dtype, runtime: options.runtime,
      }, { signal }, onProgress), options.choice.model);
      this.model = value;
      this.loaded = { info: value.info(), fallbackReasons };
      this.loadedFor = request;
      return this.loaded;
    } finally {
      this.aborts.end(task.taskId);
    }
  }

  /** The loaded engine, or null. */
  info(): ChatLoaded | null {
    return this.loaded;
  }

  /** Token count of each text with the loaded model's tokenizer. */
  countTokens(texts: string[]): number[] {
    const model = this.ready();
    return texts.map((t) => model.countTokens(t));
  }

  /** The grounded prompt cut to the loaded model's context, counted with its own tokenizer. */
  buildPrompt(input: WorkerPromptInput): Prompt {
    const model = this.ready();
    const { answerTokens, ...rest } = input;
    return buildPrompt({ ...rest, budget: model.info().contextTokens - (answerTokens ?? answerReserve(model.info().contextTokens)), countTokens: (t) => model.countTokens(t) });
  }

  /** Streams the answer to onChunk; abort(taskId) ends it with finish_reason 'abort'. */
  async generate(request: ChatGenerateRequest, taskId: string, onChunk: (chunk: ChatChunk) => void | Promise<void>): Promise<void> {
    const model = this.ready();
    const signal = this.aborts.begin(taskId);
    try {
      // Awaited: a proxied callback travels on its own port, so without the round trip the call's
      // own resolution could reach the page before the last chunk does.
      for await (const chunk of model.chat.completions.create({ ...request, signal })) await onChunk(chunk);
    } finally {
      this.aborts.end(taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  async unload(): Promise<void> {
    const model = this.model;
    this.model = null;
    this.loaded = null;
    this.loadedFor = '';
    await model?.unload();
  }

  private ready(): OnnxChatModel {
    if (!this.model) throw new Error('no chat model is loaded: load one in Models first');
    return this.model;
  }
}
