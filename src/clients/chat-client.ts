/**
 * The chat engines as the page sees them, wherever they run: the bundled Llama and any ONNX chat
 * model in the ML worker, web-llm's MLC models in web-llm's own worker. One instance
 * (`chatClient`) is shared by the Models view, which picks and loads the engine, and the chat
 * view, which asks it; the user's choice is kept in the app's settings across reloads.
 *
 * API (the chat view codes against this):
 *   choices(): Promise<ChatChoiceOption[]>             bundled, web-llm presets (vramMB, contextTokens), hub examples
 *   savedChoice(): Promise<ChatChoice>                 the kept choice, or the bundled model
 *   fit(choice): Promise<ChatFit>                      before any download; { ok:false, reason } when refused
 *   load(choice?, { onProgress?, signal?, preferGpu?, hubHost? }): Promise<ChatLoadResult>
 *                                                      fit, then load (choice defaults to savedChoice()); keeps the choice;
 *                                                      throws ChatRefusedError (fit), AbortError or the load error
 *   loaded(): ChatLoadResult | null                    what create() would use now
 *   create(request: ChatRequest): AsyncIterable<ChatChunk>
 *                                                      streams the answer; request.signal stops it (the last chunk
 *                                                      then has finish_reason 'abort'); loads savedChoice() first if
 *                                                      nothing is loaded; a failure rejects the iteration
 *   buildPrompt(input: WorkerPromptInput): Promise<Prompt>
 *                                                      core/chat buildPrompt cut to the loaded model's context
 *                                                      (its own tokenizer for ONNX models, an estimate for web-llm)
 *   registerFolder(files: File[]): Promise<OnnxChatChoice>  a picked model folder as a choice
 *   subscribe(listener): () => void                    state changes (loading, loaded, error) for both views
 *   unload(): Promise<void>
 * Types: ChatRequest, ChatChunk, ChatFit, ChatEngineInfo from src/core/chat/engine.ts; ChatChoice,
 * ChatChoiceOption from src/ml/chat/chat-choice.ts (re-exported here).
 */
import { abortError, isAbortError } from '../core/abort';
import { ChunkStream } from '../core/chat/chunk-stream';
import type { ChatChunk, ChatEngine, ChatEngineInfo, ChatFit, ChatRequest } from '../core/chat/engine';
import { buildPrompt, type Prompt } from '../core/chat/prompt';
import type { Progress } from '../core/progress';
import type { WorkerPromptInput } from '../engines/chat-engine';
import {
  answerReserve, BUNDLED_CHAT_CHOICE, choiceKey, hubChatChoice, isChatChoice,
  type ChatChoice, type ChatChoiceOption, type OnnxChatChoice,
} from '../ml/chat/chat-choice';
import { appBaseOf, browserRuntime } from '../ml/locations';
import { browserChatBackends, type ChatBackends } from './chat-backends';
import { registerFolderModel } from './model-client';
import { refusePrivateWebLlm, sourcePrivacy } from './content-policy';

export type { ChatChoice, ChatChoiceOption, OnnxChatChoice, WorkerPromptInput };
export { BUNDLED_CHAT_CHOICE, choiceKey, hubChatChoice };

/** Load progress of any engine: a fraction when known, and words to show. */
export interface ChatLoadProgress {
  fraction: number | null;
  text: string;
}

export interface ChatClientLoadOptions {
  onProgress?: (progress: ChatLoadProgress) => void;
  signal?: AbortSignal;
  /** ONNX models try WebGPU first (a real GPU only), then WASM. Default true. */
  preferGpu?: boolean;
  /** Hub host for `hub:` models (tests point it at a local mimic). */
  hubHost?: string;
}

export interface ChatLoadResult {
  choice: ChatChoice;
  info: ChatEngineInfo;
  /** Why earlier devices were skipped (ONNX models), e.g. "webgpu: no adapter". */
  fallbackReasons: string[];
}

export type ChatClientState =
  | { kind: 'idle' }
  | { kind: 'loading'; choice: ChatChoice; progress: ChatLoadProgress | null }
  | { kind: 'ready'; loaded: ChatLoadResult }
  | { kind: 'error'; choice: ChatChoice; message: string };

/** A model that does not fit this machine, refused before any download. */
export class ChatRefusedError extends Error {
  override name = 'ChatRefusedError';
  constructor(readonly choice: ChatChoice, readonly reason: string) {
    super(reason);
  }
}

/** Real ONNX chat models on the hub the loader can fetch (transformers.js layout, onnx/ folder). */
const HUB_EXAMPLES: ChatChoiceOption[] = [{
  choice: { kind: 'hub', model: 'hub:onnx-community/Llama-3.2-1B-Instruct-q4f16', dtype: 'q4f16' },
  label: 'Llama-3.2-1B-Instruct (ONNX, q4f16)',
  detail: 'ONNX Runtime in the ML worker (WebGPU or WASM), downloaded from the Hugging Face hub when loaded; 1.2 GB',
}];

/** web-llm exposes no tokenizer: about 3 characters a token errs on the safe side for English. */
const estimateTokens = (text: string): number => Math.ceil(text.length / 3);

let taskCounter = 0;

export class ChatClient {
  private current: { loaded: ChatLoadResult; webllm: ChatEngine | null } | null = null;
  private state: ChatClientState = { kind: 'idle' };
  private readonly listeners = new Set<(state: ChatClientState) => void>();
  /** Loads run one after the other; a newer one replaces what an older one loaded. */
  private loading: Promise<unknown> = Promise.resolve();

  constructor(private readonly backends: ChatBackends = browserChatBackends(), private readonly appBase = () => appBaseOf(location.href)) {}

  async choices(): Promise<ChatChoiceOption[]> {
    const bundled: ChatChoiceOption = {
      choice: BUNDLED_CHAT_CHOICE,
      label: 'Patent Space Llama (bundled)',
      detail: 'ps-llama-yesno-tiny, 4 MB, offline, in the ML worker; knows the demo catalogue only and answers roughly; 512-token context',
      contextTokens: 512,
    };
    let webllm: ChatChoiceOption[] = [];
    try {
      const { webLlmPresets } = await import('../ml/chat/webllm-presets');
      webllm = webLlmPresets(await this.backends.webllm.appConfig());
    } catch {
      // Without web-llm's bundle (a failed chunk load) the offline engines are still offered.
    }
    return [bundled, ...webllm, ...HUB_EXAMPLES];
  }

  async savedChoice(): Promise<ChatChoice> {
    const stored = await this.backends.settings.get().catch(() => undefined);
    return isChatChoice(stored) ? stored : BUNDLED_CHAT_CHOICE;
  }

  fit(choice: ChatChoice): Promise<ChatFit> {
    return choice.kind === 'webllm' ? this.backends.webllm.fit(choice.model) : this.backends.onnx.fit(choice);
  }

  loaded(): ChatLoadResult | null {
    return this.current?.loaded ?? null;
  }

  subscribe(listener: (state: ChatClientState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  load(choice?: ChatChoice, options: ChatClientLoadOptions = {}): Promise<ChatLoadResult> {
    const run = this.loading.catch(() => undefined).then(async () => this.loadNow(choice ?? await this.savedChoice(), options));
    this.loading = run;
    return run;
  }

  async registerFolder(files: File[]): Promise<OnnxChatChoice> {
    return hubChatChoice(await registerFolderModel(files));
  }

  create(request: ChatRequest): AsyncIterable<ChatChunk> {
    const stream = new ChunkStream();
    void this.stream(request, stream).catch((error: unknown) => stream.fail(error));
    return stream;
  }

  async buildPrompt(input: WorkerPromptInput): Promise<Prompt> {
    const current = await this.ensureLoaded();
    if (!current.webllm) return this.backends.onnx.buildPrompt(input);
    const { answerTokens, ...rest } = input;
    return buildPrompt({ ...rest, budget: current.loaded.info.contextTokens - (answerTokens ?? answerReserve(current.loaded.info.contextTokens)), countTokens: estimateTokens });
  }

  async unload(): Promise<void> {
    await this.release();
    this.setState({ kind: 'idle' });
  }

  /** Frees the loaded engine (GPU memory, the ONNX session) without announcing a state. */
  private async release(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current?.webllm) await current.webllm.unload();
    else if (current) await this.backends.onnx.unload();
  }

  private async loadNow(choice: ChatChoice, options: ChatClientLoadOptions): Promise<ChatLoadResult> {
    const { signal } = options;
    if (this.current && choiceKey(this.current.loaded.choice) === choiceKey(choice)) return this.current.loaded;
    this.setState({ kind: 'loading', choice, progress: null });
    const progress = (p: ChatLoadProgress) => {
      options.onProgress?.(p);
      if (this.state.kind === 'loading' && choiceKey(this.state.choice) === choiceKey(choice)) this.setState({ ...this.state, progress: p });
    };
    try {
      if (signal?.aborted) throw abortError();
      const refusal = choice.kind === 'webllm' ? refusePrivateWebLlm(choice.model) : null;
      if (refusal) throw new ChatRefusedError(choice, refusal);
      const fit = await this.fit(choice);
      if (!fit.ok) throw new ChatRefusedError(choice, fit.reason ?? `${choice.model} cannot run here`);
      await this.release();
      let next: { loaded: ChatLoadResult; webllm: ChatEngine | null };
      if (choice.kind === 'webllm') {
        const engine = await this.backends.webllm.load(choice.model, (r) => progress({ fraction: r.progress, text: r.text }));
        if (signal?.aborted) {
          await engine.unload();
          throw abortError();
        }
        next = { loaded: { choice, info: engine.info(), fallbackReasons: [] }, webllm: engine };
      } else {
        next = { loaded: { choice, ...(await this.loadOnnx(choice, options, progress)) }, webllm: null };
      }
      this.current = next;
      await this.backends.settings.set(choice).catch(() => undefined);
      this.setState({ kind: 'ready', loaded: next.loaded });
      return next.loaded;
    } catch (error) {
      this.setState(isAbortError(error) ? { kind: 'idle' } : { kind: 'error', choice, message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  private async loadOnnx(choice: OnnxChatChoice, options: ChatClientLoadOptions, progress: (p: ChatLoadProgress) => void) {
    const appBase = this.appBase();
    const taskId = `chat-load-${++taskCounter}`;
    const onAbort = () => void this.backends.onnx.abort(taskId);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.backends.onnx.load({
        choice,
        source: { kind: 'ref', ref: choice.model, appBase, hubHost: options.hubHost, ...sourcePrivacy() },
        runtime: browserRuntime(appBase),
        devices: options.preferGpu === false ? ['wasm'] : ['webgpu', 'wasm'],
      }, { taskId }, (p: Progress) => progress({
        fraction: p.total > 0 ? p.done / p.total : null,
        text: `${(p.done / 1e6).toFixed(1)} of ${(p.total / 1e6).toFixed(1)} MB`,
      }));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async ensureLoaded(): Promise<{ loaded: ChatLoadResult; webllm: ChatEngine | null }> {
    await this.loading.catch(() => undefined);
    if (!this.current) await this.load();
    if (!this.current) throw new Error('no chat model is loaded');
    return this.current;
  }

  private async stream(request: ChatRequest, stream: ChunkStream): Promise<void> {
    const current = await this.ensureLoaded();
    if (current.webllm) {
      for await (const chunk of current.webllm.chat.completions.create(request)) stream.push(chunk);
      return;
    }
    const { signal, ...rest } = request;
    if (signal?.aborted) {
      stream.push({ delta: '', finish_reason: 'abort' });
      return;
    }
    const taskId = `chat-${++taskCounter}`;
    const onAbort = () => void this.backends.onnx.abort(taskId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The worker waits for each chunk to be delivered, so once this resolves every chunk is in.
      await this.backends.onnx.generate(rest, taskId, (chunk) => stream.push(chunk));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (!stream.closed) throw new Error(`${current.loaded.info.model} ended its answer without a finish reason`);
  }

  private setState(state: ChatClientState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** The app's one chat client (Models view and chat view share the loaded engine). */
export const chatClient = new ChatClient();
