/**
 * The one chat interface every engine implements (the bundled Llama in the ML worker, web-llm's MLC
 * engines, any ONNX chat model from the hub): the shape of OpenAI's `chat.completions.create` and
 * web-llm's `MLCEngineInterface`, reduced to what the chat view uses — messages in, streamed chunks
 * out, an AbortSignal to stop, and token usage at the end. Pure types, so engines, clients, views
 * and Node tests share them without importing a runtime.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** Upper bound on generated tokens (the engine may stop earlier at its end-of-turn token). */
  max_tokens?: number;
  /** 0 (the default) is greedy: the same prompt gives the same answer, which tests rely on. */
  temperature?: number;
  /** Stops generation; the stream then ends with `finish_reason: 'abort'` (no error is thrown). */
  signal?: AbortSignal;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

/** One streamed piece: text to append, and on the last chunk why it ended and the usage. */
export interface ChatChunk {
  delta: string;
  finish_reason: FinishReason | null;
  usage?: ChatUsage;
}

export type ChatEngineKind = 'bundled' | 'webllm' | 'hub';

export interface ChatEngineInfo {
  kind: ChatEngineKind;
  /** Model id as the user chose it (`bundled:ps-llama-yesno-tiny`, a web-llm model id, a hub id). */
  model: string;
  /** Prompt + answer tokens the model accepts; prompts are cut to fit (core/chat/prompt.ts). */
  contextTokens: number;
  /** Where it runs, e.g. `wasm`, `webgpu`. */
  device: string;
}

/** Whether a model can run here, decided before anything is downloaded. */
export interface ChatFit {
  ok: boolean;
  /** Why not, in words a user can act on (e.g. "needs WebGPU", "needs 2.3 GB of GPU memory, this GPU offers 1 GB"). */
  reason?: string;
}

export interface ChatEngine {
  info(): ChatEngineInfo;
  chat: { completions: { create(request: ChatRequest): AsyncIterable<ChatChunk> } };
  unload(): Promise<void>;
}
