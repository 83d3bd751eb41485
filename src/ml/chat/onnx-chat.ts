/**
 * Any ONNX chat model (the bundled ps-llama-yesno-tiny, a hub id, a URL, a picked folder) behind
 * the one chat interface, through transformers.js's own generation loop over the KV cache: the
 * prompt is the model's chat template, tokens are streamed one by one as they are sampled
 * (a streamer's put()), greedy unless a temperature is given, and generation stops at the
 * model's end-of-turn token, at max_tokens, at the context length, or when the request's signal
 * fires (a stopping criterion checked after every step), which ends the stream with 'abort'.
 */
import {
  AutoModelForCausalLM, AutoTokenizer, InterruptableStoppingCriteria, Tensor, TextStreamer,
  type PreTrainedModel, type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { TaskOptions } from '../../core/abort';
import { StreamQueue, type ChunkStream } from '../../core/chat/chunk-stream';
import type { ChatChunk, ChatEngine, ChatEngineInfo, ChatEngineKind, ChatMessage, ChatRequest, FinishReason } from '../../core/chat/engine';
import { ModelLoadError } from '../../core/errors';
import type { ProgressCallback } from '../../core/progress';
import type { ModelDtype } from '../model-ref';
import { DEFAULT_MAX_TOKENS } from './chat-choice';
import { openModel, type ModelSource, type RuntimeOptions } from '../runtime';

export interface OnnxChatLoadOptions {
  source: ModelSource;
  /** 'bundled' for the app's own model, 'hub' for any other (hub, URL, folder). */
  kind: Extract<ChatEngineKind, 'bundled' | 'hub'>;
  /** The model as the user chose it (ChatEngineInfo.model). */
  model: string;
  device: 'webgpu' | 'wasm' | 'cpu';
  dtype: ModelDtype;
  runtime?: RuntimeOptions;
}

/** When the model's config states no context length. */
const DEFAULT_CONTEXT = 2048;
/** End-of-turn tokens of the common chat templates, used when present in the vocabulary. */
const END_OF_TURN_TOKENS = ['<|im_end|>', '<|eot_id|>', '<|end|>', '<end_of_turn>', '<|endoftext|>'];

export class OnnxChatModel implements ChatEngine {
  readonly chat = { completions: { create: (request: ChatRequest): AsyncIterable<ChatChunk> => this.create(request) } };
  /** One generation at a time: the session and its cache are not shared between runs. */
  private readonly queue = new StreamQueue();
  /** The running generation's stop switch, so unload() need not wait for a long answer. */
  private running: InterruptableStoppingCriteria | null = null;

  private constructor(
    private tokenizer: PreTrainedTokenizer | null,
    private model: PreTrainedModel | null,
    private readonly details: ChatEngineInfo,
    private readonly endIds: ReadonlySet<number>,
  ) {}

  static async load(options: OnnxChatLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<OnnxChatModel> {
    let model: PreTrainedModel | null = null;
    try {
      const opened = await openModel(options.source, options.dtype, options.runtime ?? {}, task, onProgress);
      const tokenizer = await AutoTokenizer.from_pretrained(opened.modelId);
      if (!tokenizer.chat_template) throw new Error('its tokenizer has no chat template, so it is not a chat model');
      model = await AutoModelForCausalLM.from_pretrained(opened.modelId, { device: options.device, dtype: options.dtype });
      const config = model.config as { max_position_embeddings?: unknown };
      const contextTokens = typeof config.max_position_embeddings === 'number' && config.max_position_embeddings > 0 ? config.max_position_embeddings : DEFAULT_CONTEXT;
      const info: ChatEngineInfo = { kind: options.kind, model: options.model, contextTokens, device: options.device };
      return new OnnxChatModel(tokenizer, model, info, endTokenIds(tokenizer, model));
    } catch (error) {
      await model?.dispose();
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ModelLoadError(options.model, error);
    }
  }

  info(): ChatEngineInfo {
    return { ...this.details };
  }

  /** The prompt's token ids: the messages rendered with the model's chat template, ready for the answer. */
  promptIds(messages: readonly ChatMessage[]): number[] {
    const { tokenizer } = this.ready();
    // Rendered as text, then encoded: the template's own tokenize path returns an encoding object.
    const text = tokenizer.apply_chat_template(messages.map((m) => ({ role: m.role, content: m.content })), { tokenize: false, add_generation_prompt: true }) as string;
    return tokenizer.encode(text, { add_special_tokens: false });
  }

  /** Tokens of a text as this model counts them (for the prompt builder's budget). */
  countTokens(text: string): number {
    return this.ready().tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  async unload(): Promise<void> {
    this.running?.interrupt();
    await this.queue.idle;
    await this.model?.dispose();
    this.model = null;
    this.tokenizer = null;
  }

  private create(request: ChatRequest): AsyncIterable<ChatChunk> {
    return this.queue.open((stream) => this.generate(request, stream));
  }

  private async generate(request: ChatRequest, stream: ChunkStream): Promise<void> {
    const { tokenizer, model } = this.ready();
    const ids = this.promptIds(request.messages);
    const room = this.details.contextTokens - ids.length;
    if (room <= 0) {
      throw new RangeError(`the prompt has ${ids.length} tokens and ${this.details.model} accepts ${this.details.contextTokens}: shorten the context`);
    }
    const maxTokens = Math.max(1, Math.min(request.max_tokens ?? DEFAULT_MAX_TOKENS, room));
    const usage = (completion: number) => ({ prompt_tokens: ids.length, completion_tokens: completion, total_tokens: ids.length + completion });
    const signal = request.signal;
    if (signal?.aborted) {
      stream.push({ delta: '', finish_reason: 'abort', usage: usage(0) });
      return;
    }
    const generated: number[] = [];
    let emitted = '';
    const decode = () => tokenizer.decode(generated.filter((id) => !this.endIds.has(id)), { skip_special_tokens: true });
    const interrupt = new InterruptableStoppingCriteria();
    const onAbort = () => interrupt.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running = interrupt;
    // Its token callback sees every sampled token (its own text callback waits for whole words);
    // deltas are cut from the decoded answer so far, which keeps multi-token characters whole.
    const onTokens = (tokens: bigint[]) => {
      // A token sampled in the step during which the signal fired is not shown.
      if (signal?.aborted || generated.length >= maxTokens) return;
      generated.push(...tokens.map(Number));
      const text = decode();
      // Hold back a partial multi-byte character until its last byte arrives.
      if (text.endsWith('\uFFFD') || !text.startsWith(emitted) || text.length === emitted.length) return;
      const delta = text.slice(emitted.length);
      emitted = text;
      stream.push({ delta, finish_reason: null });
    };
    const streamer = new TextStreamer(tokenizer, { skip_prompt: true, callback_function: () => undefined, token_callback_function: onTokens });
    try {
      const temperature = request.temperature ?? 0;
      await model.generate({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        max_new_tokens: maxTokens,
        do_sample: temperature > 0,
        ...(temperature > 0 ? { temperature } : {}),
        eos_token_id: [...this.endIds],
        streamer,
        stopping_criteria: [interrupt],
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running = null;
    }
    const finish: FinishReason = signal?.aborted || interrupt.interrupted ? 'abort' : this.endIds.has(generated.at(-1) ?? -1) ? 'stop' : 'length';
    const text = decode();
    stream.push({ delta: text.startsWith(emitted) ? text.slice(emitted.length) : '', finish_reason: finish, usage: usage(generated.length) });
  }

  private ready(): { tokenizer: PreTrainedTokenizer; model: PreTrainedModel } {
    if (!this.tokenizer || !this.model) throw new Error(`${this.details.model} was unloaded`);
    return { tokenizer: this.tokenizer, model: this.model };
  }
}

/** The generation config's eos ids, the tokenizer's eos, and the chat template's end-of-turn token. */
function endTokenIds(tokenizer: PreTrainedTokenizer, model: PreTrainedModel): Set<number> {
  const ids = new Set<number>();
  const add = (value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'number') ids.add(v);
  };
  add((model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
  add((model.config as { eos_token_id?: unknown }).eos_token_id);
  add((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);
  const vocabulary = tokenizer.get_vocab();
  for (const token of END_OF_TURN_TOKENS) add(vocabulary.get(token));
  return ids;
}
