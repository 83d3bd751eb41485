import { AutoModel, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { meanPoolMasked } from '../core/pooling';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { normalizeRows } from '../core/similarity';
import type { CodeLevel, Patent } from '../core/types';
import { ModelLoadError } from '../core/errors';
import { batchOptionsFor, batchTensors, paddingFraction, planBatches, type Batch } from './batching';
import { CodeStateSums, detectCodeTokens, techTokenSequence, type CodeTokenVocabulary, type CodeVectors } from './techtoken';
import type { ModelManifest } from './loader';
import type { ModelDtype } from './model-ref';
import { checkEncoder, isEncoderReference, report, type ModelCheckReport } from './reference-check';
import { onnxWebGpuSkipReason, openModel, wasmThreadsInUse, type ModelSource, type RuntimeOptions } from './runtime';

export type EncoderDevice = 'webgpu' | 'wasm' | 'cpu';

export interface EncoderLoadOptions {
  source: ModelSource;
  runtime?: RuntimeOptions;
  /** Tried in order; the first that loads wins and earlier failures become the fallback notice. */
  devices: EncoderDevice[];
  dtype?: ModelDtype;
  /**
   * Run on WebGPU even when the adapter is a software fallback (SwiftShader). Off by default:
   * there WASM embeds ~17× faster, so 'webgpu' is skipped with that reason.
   */
  forceWebGpu?: boolean;
}

export interface EncoderInfo {
  /** The reference the user chose (`bundled:ps-encoder-tiny`) or the folder model id. */
  modelId: string;
  manifest: ModelManifest | null;
  /** True when no model byte was downloaded for this load. */
  fromCache: boolean;
  device: EncoderDevice;
  dtype: string;
  dim: number;
  maxTokens: number;
  /** Why earlier devices were skipped, e.g. WebGPU failed, or its adapter is a software fallback. */
  fallbackReasons: string[];
  /** ONNX Runtime WASM threads (1 without cross-origin isolation); null when not on WASM. */
  wasmThreads: number | null;
}

export interface EmbedResult {
  /** texts × dim, mean-pooled over real tokens, L2-normalised, in input order. */
  vectors: Float32Array;
  dim: number;
  /** Share of padded positions over all batches: what length-sorting keeps low. */
  paddingFraction: number;
}

export interface EmbedOptions extends TaskOptions {
  batchSize?: number;
  /** Most positions (texts × padded length) per batch; default from batchOptionsFor(). */
  tokenBudget?: number;
}

/** The hidden states at the code tokens of each patent, in patent order then code order. */
export interface CodeTokenStates {
  /** Index of the patent each row belongs to. */
  patents: Uint32Array;
  codes: string[];
  /** rows × dim. */
  vectors: Float32Array;
  dim: number;
}

/** The part of an ONNX Runtime session used directly (transformers.js keeps it in model.sessions). */
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>, fetches: string[]): Promise<Record<string, { data: unknown }>>;
}



/**
 * Patent encoder: tokenise, run the ONNX graph through transformers.js, mean-pool with the
 * attention mask. Plain class: runs on the main thread in tests and behind comlink in the app.
 */
export class EncoderEngine {
  private tokenizer: PreTrainedTokenizer | null = null;
  private model: PreTrainedModel | null = null;
  private loaded: EncoderInfo | null = null;
  /** What the current session was loaded for: the same request reuses it. */
  private loadedFor = '';
  /** Widest activation per position (the FFN size): what sizes a batch (batchOptionsFor). */
  private width = 0;
  private reference: unknown = null;
  private readonly aborts = new AbortRegistry();
  /**
   * Loads and embeds run one after another: disposing a session while a batch still runs on it
   * leaves ONNX Runtime's run queue waiting forever, so a new load waits for the old embed to
   * stop (it checks for cancellation between batches).
   */
  private queue: Promise<unknown> = Promise.resolve();

  private exclusive<R>(work: () => Promise<R>): Promise<R> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  static async create(options: EncoderLoadOptions): Promise<EncoderEngine> {
    const engine = new EncoderEngine();
    await engine.load(options);
    return engine;
  }

  load(options: EncoderLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<EncoderInfo> {
    // Registered now, not when the queue reaches it, so a cancel while waiting is not lost.
    const signal = this.aborts.begin(task.taskId, task.signal);
    return this.exclusive(() => this.loadNow(options, { ...task, signal }, onProgress))
      .finally(() => this.aborts.end(task.taskId));
  }

  private async loadNow(options: EncoderLoadOptions, task: TaskOptions & { signal: AbortSignal }, onProgress?: ProgressCallback): Promise<EncoderInfo> {
    const dtype = options.dtype ?? 'fp32';
    const name = sourceName(options.source);
    // Same model asked for the same way: keep the session instead of rebuilding it (also when an
    // earlier device was skipped: the answer would be the same).
    const request = JSON.stringify([name, dtype, options.devices, options.forceWebGpu === true]);
    if (this.loaded && this.loadedFor === request) return this.loaded;
    const fallbackReasons: string[] = [];
    const signal = task.signal;
    let opened;
    try {
      opened = await openModel(options.source, dtype, options.runtime ?? {}, { signal }, onProgress);
      this.tokenizer = await AutoTokenizer.from_pretrained(opened.modelId);
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ModelLoadError(name, error);
    }
    for (const device of options.devices) {
      if (device === 'webgpu') {
        const skip = await onnxWebGpuSkipReason(options.forceWebGpu === true);
        if (skip) {
          fallbackReasons.push(`webgpu: ${skip}`);
          continue;
        }
      }
      try {
        const model = await AutoModel.from_pretrained(opened.modelId, { device, dtype });
        await this.model?.dispose();
        this.model = model;
        this.reference = opened.reference;
        const config = model.config as unknown as { hidden_size: number; max_position_embeddings: number; intermediate_size?: number };
        this.width = Math.max(config.hidden_size, config.intermediate_size ?? 4 * config.hidden_size);
        this.loaded = {
          modelId: name, manifest: opened.manifest, fromCache: opened.fromCache, device, dtype, dim: config.hidden_size,
          maxTokens: config.max_position_embeddings, fallbackReasons, wasmThreads: device === 'wasm' ? wasmThreadsInUse() : null,
        };
        this.loadedFor = request;
        return this.loaded;
      } catch (error) {
        fallbackReasons.push(`${device}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new ModelLoadError(name, fallbackReasons.join('; '));
  }

  info(): EncoderInfo | null {
    return this.loaded;
  }

  embed(texts: string[], options: EmbedOptions = {}, onProgress?: ProgressCallback): Promise<EmbedResult> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    return this.exclusive(() => this.embedNow(texts, { ...options, signal }, onProgress))
      .finally(() => this.aborts.end(options.taskId));
  }

  private async embedNow(texts: string[], options: EmbedOptions & { signal: AbortSignal }, onProgress?: ProgressCallback): Promise<EmbedResult> {
    const { tokenizer, loaded } = this.ready();
    const tracker = new ProgressTracker('embed', 'patents', texts.length, onProgress);
    tracker.report(0);
    const sequences = texts.map((text) => truncate(tokenizer.encode(text), loaded.maxTokens));
    const vectors = new Float32Array(texts.length * loaded.dim);
    let done = 0;
    const padding = await this.runBatches(sequences, options, options.signal, (batch, mask, hidden) => {
      const pooled = meanPoolMasked(hidden, mask, batch.rows.length, batch.seqLen, loaded.dim);
      batch.rows.forEach((textIndex, row) => vectors.set(pooled.subarray(row * loaded.dim, (row + 1) * loaded.dim), textIndex * loaded.dim));
      done += batch.rows.length;
      tracker.report(done);
    });
    tracker.finish();
    return { vectors: normalizeRows(vectors, texts.length, loaded.dim), dim: loaded.dim, paddingFraction: padding };
  }

  /**
   * Length-sorted padded batches of `sequences` through the graph; `onBatch` gets each batch's
   * last_hidden_state (rows × seqLen × dim). Returns the share of padded positions.
   */
  private async runBatches(
    sequences: number[][],
    limits: { batchSize?: number; tokenBudget?: number },
    signal: AbortSignal,
    onBatch: (batch: Batch, mask: BigInt64Array, hidden: Float32Array) => void,
  ): Promise<number> {
    const { loaded } = this.ready();
    const lengths = sequences.map((s) => s.length);
    // onnxruntime-node (device 'cpu') runs its own pool over every core: plan as for threads.
    const plan = batchOptionsFor(loaded.device, loaded.wasmThreads ?? 2, this.width, limits.batchSize);
    const batches = planBatches(lengths, { ...plan, tokenBudget: limits.tokenBudget ?? plan.tokenBudget }).map((batch) => ({ ...batch, seqLen: Math.min(batch.seqLen, loaded.maxTokens) }));
    for (const batch of batches) {
      throwIfAborted(signal);
      const { inputIds, mask } = batchTensors(sequences, batch);
      onBatch(batch, mask, await this.hiddenStates(inputIds, mask, [batch.rows.length, batch.seqLen]));
    }
    return paddingFraction(lengths, batches);
  }

  /**
   * last_hidden_state of one batch. On WASM/CPU the session is asked for that output alone, so
   * ONNX Runtime skips the masked-LM head (its logits are batch × seqLen × vocab, the largest
   * tensor the graph makes; up to 2× faster on the bundled models). On WebGPU the run goes through
   * transformers.js, which serialises GPU runs across sessions.
   */
  private async hiddenStates(inputIds: BigInt64Array, mask: BigInt64Array, dims: number[]): Promise<Float32Array> {
    const { model, loaded } = this.ready();
    const inputs: Record<string, Tensor> = {
      input_ids: new Tensor('int64', inputIds, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', new BigInt64Array(inputIds.length), dims),
    };
    const session = (model.sessions as Record<string, OrtSession | undefined>).model;
    if (loaded.device !== 'webgpu' && session?.outputNames.includes('last_hidden_state')) {
      const feeds = Object.fromEntries(session.inputNames.filter((n) => n in inputs).map((n) => [n, inputs[n].ort_tensor]));
      const output = await session.run(feeds, ['last_hidden_state']);
      return output.last_hidden_state.data as Float32Array;
    }
    const output = await model(inputs);
    return (output.last_hidden_state as Tensor).data as Float32Array;
  }

  /**
   * The model's token ids for `codes`, at `level` when given (a model may have tokens at several
   * levels), else at the level it covers best; null when it has none.
   */
  codeTokens(codes: Iterable<string>, level?: CodeLevel): CodeTokenVocabulary | null {
    const { tokenizer } = this.ready();
    return detectCodeTokens(tokenizer.get_vocab(), codes, level);
  }

  /**
   * TechToken code vectors (the seed's definition): each patent is fed as
   * `[CLS] title [SEP] abstract [SEP] [code]… [SEP]`, and a code's vector is the mean over the
   * patents carrying it of the output hidden state at its token. Codes come out sorted.
   */
  embedCodeTokens(
    patents: Pick<Patent, 'title' | 'abstract' | 'codes'>[],
    vocabulary: CodeTokenVocabulary,
    options: EmbedOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<CodeTokenEmbedding> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    return this.exclusive(() => this.embedCodeTokensNow(patents, vocabulary, signal, options.batchSize, onProgress))
      .finally(() => this.aborts.end(options.taskId));
  }

  private async embedCodeTokensNow(
    patents: Pick<Patent, 'title' | 'abstract' | 'codes'>[],
    vocabulary: CodeTokenVocabulary,
    signal: AbortSignal,
    batchSize: number | undefined,
    onProgress?: ProgressCallback,
  ): Promise<CodeTokenEmbedding> {
    const { loaded } = this.ready();
    const sums = new CodeStateSums(vocabulary.tokens.keys(), loaded.dim);
    await this.visitCodeStates(patents, vocabulary, signal, batchSize, onProgress, (_, code, hidden, offset) => sums.add(code, hidden, offset));
    return { ...sums.means(), dim: loaded.dim, level: vocabulary.level };
  }

  /**
   * The hidden state at every code token of every patent, unaveraged: what the demo's shipped
   * vectors hold, so a sample of them can be recomputed and compared in the browser.
   */
  codeTokenStates(
    patents: Pick<Patent, 'title' | 'abstract' | 'codes'>[],
    vocabulary: CodeTokenVocabulary,
    options: EmbedOptions = {},
  ): Promise<CodeTokenStates> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    return this.exclusive(async () => {
      const { loaded } = this.ready();
      const rows: { patent: number; code: string; state: Float32Array }[] = [];
      await this.visitCodeStates(patents, vocabulary, signal, options.batchSize, undefined, (patent, code, hidden, offset) => {
        rows.push({ patent, code, state: hidden.slice(offset, offset + loaded.dim) });
      });
      rows.sort((a, b) => a.patent - b.patent || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      const vectors = new Float32Array(rows.length * loaded.dim);
      rows.forEach((r, i) => vectors.set(r.state, i * loaded.dim));
      return { patents: Uint32Array.from(rows, (r) => r.patent), codes: rows.map((r) => r.code), vectors, dim: loaded.dim };
    }).finally(() => this.aborts.end(options.taskId));
  }

  /** Runs every patent that has a code token and hands over the state at each of its code tokens. */
  private async visitCodeStates(
    patents: Pick<Patent, 'title' | 'abstract' | 'codes'>[],
    vocabulary: CodeTokenVocabulary,
    signal: AbortSignal,
    batchSize: number | undefined,
    onProgress: ProgressCallback | undefined,
    visit: (patentIndex: number, code: string, hidden: Float32Array, offset: number) => void,
  ): Promise<void> {
    const { tokenizer, loaded } = this.ready();
    const tracker = new ProgressTracker('embed', 'patents', patents.length, onProgress);
    const all = patents.map((patent) => techTokenSequence(tokenizer, patent, vocabulary, loaded.maxTokens));
    const withCodes = all.map((_, i) => i).filter((i) => all[i].codePositions.length > 0);
    let done = patents.length - withCodes.length;
    await this.runBatches(withCodes.map((i) => all[i].ids), { batchSize }, signal, (batch, _mask, hidden) => {
      batch.rows.forEach((row, r) => {
        const patentIndex = withCodes[row];
        for (const { code, position } of all[patentIndex].codePositions) visit(patentIndex, code, hidden, (r * batch.seqLen + position) * loaded.dim);
      });
      done += batch.rows.length;
      tracker.report(done);
    });
    tracker.finish();
  }

  /** Hidden states and (when the graph has them) logits of one token sequence, unpadded. */
  forward(ids: number[]): Promise<{ hidden: Float32Array; dim: number; logits: Float32Array | null; vocab: number }> {
    return this.exclusive(async () => {
      const { model } = this.ready();
      const dims = [1, ids.length];
      const output = await model({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), dims),
        attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
        token_type_ids: new Tensor('int64', new BigInt64Array(ids.length), dims),
      });
      const hidden = output.last_hidden_state as Tensor;
      const logits = output.logits as Tensor | undefined;
      return {
        hidden: hidden.data as Float32Array, dim: hidden.dims[2],
        logits: logits ? logits.data as Float32Array : null, vocab: logits ? logits.dims[2] : 0,
      };
    });
  }

  /** Runs the recipe's reference inputs (reference.json) on the loaded model and backend. */
  async checkReference(): Promise<ModelCheckReport> {
    const { tokenizer, loaded } = this.ready();
    if (!isEncoderReference(this.reference)) throw new Error(`${loaded.modelId} has no reference.json to check against`);
    const checks = await checkEncoder({
      embed: (texts) => this.embed(texts, { batchSize: 2 }),
      encode: (text) => tokenizer.encode(text),
      forward: (ids) => this.forward(ids),
    }, this.reference, loaded.dtype as ModelDtype);
    return report(loaded.modelId, 'encoder', loaded.dtype, loaded.device, checks);
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  async destroy(): Promise<void> {
    await this.model?.dispose();
    this.model = null;
    this.tokenizer = null;
    this.loaded = null;
    this.reference = null;
  }

  private ready(): { tokenizer: PreTrainedTokenizer; model: PreTrainedModel; loaded: EncoderInfo } {
    if (!this.tokenizer || !this.model || !this.loaded) throw new Error('EncoderEngine.load() must finish before embed()');
    return { tokenizer: this.tokenizer, model: this.model, loaded: this.loaded };
  }
}

export interface CodeTokenEmbedding extends CodeVectors {
  dim: number;
  level: CodeLevel;
}

function sourceName(source: ModelSource): string {
  return source.kind === 'path' ? source.id : source.ref;
}

/** Keeps [CLS] … [SEP] shape when a text is longer than the model's positions. */
function truncate(ids: number[], maxTokens: number): number[] {
  if (ids.length <= maxTokens) return ids;
  return [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]];
}
