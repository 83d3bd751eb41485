import { AutoModel, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { meanPoolMasked } from '../core/pooling';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { normalizeRows } from '../core/similarity';
import { codeAt } from '../core/codes';
import type { CodeLevel, Patent } from '../core/types';
import { ModelLoadError } from '../core/errors';
import { detectCodeTokens, type CodeTokenVocabulary } from './techtoken';
import type { ModelManifest } from './loader';
import type { ModelDtype } from './model-ref';
import { checkEncoder, isEncoderReference, report, type ModelCheckReport } from './reference-check';
import { openModel, webgpuUnavailableReason, type ModelSource, type RuntimeOptions } from './runtime';

export type EncoderDevice = 'webgpu' | 'wasm' | 'cpu';

export interface EncoderLoadOptions {
  source: ModelSource;
  runtime?: RuntimeOptions;
  /** Tried in order; the first that loads wins and earlier failures become the fallback notice. */
  devices: EncoderDevice[];
  dtype?: ModelDtype;
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
  /** Why earlier devices were skipped, e.g. WebGPU failed and WASM ran instead. */
  fallbackReasons: string[];
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
}

const DEFAULT_BATCH_SIZE = 32;
/**
 * Batch lengths are rounded up to a multiple of this. GPU execution providers compile kernels per
 * input shape, so fewer distinct lengths mean far fewer compilations (on SwiftShader each costs
 * seconds); the extra positions are masked out and do not change the vectors.
 */
const SEQUENCE_LENGTH_BUCKET = 16;

/**
 * Patent encoder: tokenise, run the ONNX graph through transformers.js, mean-pool with the
 * attention mask. Plain class: runs on the main thread in tests and behind comlink in the app.
 */
export class EncoderEngine {
  private tokenizer: PreTrainedTokenizer | null = null;
  private model: PreTrainedModel | null = null;
  private loaded: EncoderInfo | null = null;
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
    const current = this.loaded;
    // Same model on a device the caller still accepts: keep the session instead of rebuilding it.
    if (current && current.modelId === name && current.dtype === dtype
      && options.devices.indexOf(current.device) === 0) return current;
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
        const unavailable = await webgpuUnavailableReason();
        if (unavailable) {
          fallbackReasons.push(`webgpu: ${unavailable}`);
          continue;
        }
      }
      try {
        const model = await AutoModel.from_pretrained(opened.modelId, { device, dtype });
        await this.model?.dispose();
        this.model = model;
        this.reference = opened.reference;
        const config = model.config as unknown as { hidden_size: number; max_position_embeddings: number };
        this.loaded = {
          modelId: name, manifest: opened.manifest, fromCache: opened.fromCache, device, dtype, dim: config.hidden_size,
          maxTokens: config.max_position_embeddings, fallbackReasons,
        };
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
    return this.exclusive(() => this.embedNow(texts, { ...options, signal }, onProgress));
  }

  private async embedNow(texts: string[], options: EmbedOptions & { signal: AbortSignal }, onProgress?: ProgressCallback): Promise<EmbedResult> {
    const { tokenizer, model, loaded } = this.ready();
    const signal = options.signal;
    try {
      const tracker = new ProgressTracker('embed', 'patents', texts.length, onProgress);
      tracker.report(0);
      const ids = texts.map((text) => truncate(tokenizer.encode(text), loaded.maxTokens));
      // Sorting by length keeps each batch's padding small; results go back to input order.
      const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
      const vectors = new Float32Array(texts.length * loaded.dim);
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      let padded = 0;
      let positions = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        throwIfAborted(signal);
        const batch = order.slice(start, start + batchSize);
        const longest = Math.max(...batch.map((i) => ids[i].length));
        const seqLen = Math.min(loaded.maxTokens, Math.ceil(longest / SEQUENCE_LENGTH_BUCKET) * SEQUENCE_LENGTH_BUCKET);
        const inputIds = new BigInt64Array(batch.length * seqLen);
        const mask = new BigInt64Array(batch.length * seqLen);
        batch.forEach((textIndex, row) => {
          ids[textIndex].forEach((id, t) => {
            inputIds[row * seqLen + t] = BigInt(id);
            mask[row * seqLen + t] = 1n;
          });
          padded += seqLen - ids[textIndex].length;
        });
        positions += batch.length * seqLen;
        const dims = [batch.length, seqLen];
        const output = await model({
          input_ids: new Tensor('int64', inputIds, dims),
          attention_mask: new Tensor('int64', mask, dims),
          token_type_ids: new Tensor('int64', new BigInt64Array(batch.length * seqLen), dims),
        });
        const hidden = output.last_hidden_state as Tensor;
        const pooled = meanPoolMasked(hidden.data as Float32Array, mask, batch.length, seqLen, loaded.dim);
        batch.forEach((textIndex, row) => vectors.set(pooled.subarray(row * loaded.dim, (row + 1) * loaded.dim), textIndex * loaded.dim));
        tracker.report(start + batch.length);
      }
      tracker.finish();
      return {
        vectors: normalizeRows(vectors, texts.length, loaded.dim),
        dim: loaded.dim,
        paddingFraction: positions === 0 ? 0 : padded / positions,
      };
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  /** The model's token ids for `codes` (at the level it covers best), or null when it has none. */
  codeTokens(codes: Iterable<string>): CodeTokenVocabulary | null {
    const { tokenizer } = this.ready();
    return detectCodeTokens(tokenizer.get_vocab(), codes);
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
    return this.exclusive(() => this.embedCodeTokensNow(patents, vocabulary, signal, options.batchSize ?? DEFAULT_BATCH_SIZE, onProgress))
      .finally(() => this.aborts.end(options.taskId));
  }

  private async embedCodeTokensNow(
    patents: Pick<Patent, 'title' | 'abstract' | 'codes'>[],
    vocabulary: CodeTokenVocabulary,
    signal: AbortSignal,
    batchSize: number,
    onProgress?: ProgressCallback,
  ): Promise<CodeTokenEmbedding> {
    const { tokenizer, model, loaded } = this.ready();
    const tracker = new ProgressTracker('embed', 'patents', patents.length, onProgress);
    const codes = [...vocabulary.tokens.keys()].sort();
    const row = new Map(codes.map((code, i) => [code, i]));
    const sums = new Float32Array(codes.length * loaded.dim);
    const counts = new Uint32Array(codes.length);
    const sequences = patents.map((patent) => techTokenSequence(tokenizer, patent, vocabulary, loaded.maxTokens));
    for (let start = 0; start < sequences.length; start += batchSize) {
      throwIfAborted(signal);
      const batch = sequences.slice(start, start + batchSize).filter((s) => s.codePositions.length > 0);
      if (batch.length > 0) {
        const longest = Math.max(...batch.map((s) => s.ids.length));
        const seqLen = Math.min(loaded.maxTokens, Math.ceil(longest / SEQUENCE_LENGTH_BUCKET) * SEQUENCE_LENGTH_BUCKET);
        const inputIds = new BigInt64Array(batch.length * seqLen);
        const mask = new BigInt64Array(batch.length * seqLen);
        batch.forEach((sequence, r) => sequence.ids.forEach((id, t) => {
          inputIds[r * seqLen + t] = BigInt(id);
          mask[r * seqLen + t] = 1n;
        }));
        const dims = [batch.length, seqLen];
        const output = await model({
          input_ids: new Tensor('int64', inputIds, dims),
          attention_mask: new Tensor('int64', mask, dims),
          token_type_ids: new Tensor('int64', new BigInt64Array(batch.length * seqLen), dims),
        });
        const hidden = (output.last_hidden_state as Tensor).data as Float32Array;
        batch.forEach((sequence, r) => sequence.codePositions.forEach(({ code, position }) => {
          const target = row.get(code) as number;
          const offset = (r * dims[1] + position) * loaded.dim;
          counts[target]++;
          for (let d = 0; d < loaded.dim; d++) sums[target * loaded.dim + d] += hidden[offset + d];
        }));
      }
      tracker.report(Math.min(start + batchSize, sequences.length));
    }
    tracker.finish();
    for (let c = 0; c < codes.length; c++) {
      if (counts[c] > 0) for (let d = 0; d < loaded.dim; d++) sums[c * loaded.dim + d] /= counts[c];
    }
    return { codes, vectors: sums, counts, dim: loaded.dim, level: vocabulary.level };
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

export interface CodeTokenEmbedding {
  codes: string[];
  /** codes × dim, the mean hidden state at each code's token (not normalised). */
  vectors: Float32Array;
  counts: Uint32Array;
  dim: number;
  level: CodeLevel;
}

interface TechTokenSequence {
  ids: number[];
  codePositions: { code: string; position: number }[];
}

/** `[CLS] title [SEP] abstract [SEP] [c1] … [cn] [SEP]`, text truncated so the code tokens always fit. */
function techTokenSequence(
  tokenizer: PreTrainedTokenizer,
  patent: Pick<Patent, 'title' | 'abstract' | 'codes'>,
  vocabulary: CodeTokenVocabulary,
  maxTokens: number,
): TechTokenSequence {
  const codes = [...new Set(patent.codes.map((c) => codeAt(vocabulary.level, c)).filter((c): c is string => c !== null && vocabulary.tokens.has(c)))].sort();
  const cls = tokenizer.convert_tokens_to_ids('[CLS]');
  const sep = tokenizer.convert_tokens_to_ids('[SEP]');
  const text = [tokenizer.encode(patent.title, { add_special_tokens: false })];
  if (patent.abstract) text.push(tokenizer.encode(patent.abstract, { add_special_tokens: false }));
  const room = maxTokens - codes.length - 2 - text.length;
  const titleIds = text[0].slice(0, Math.max(1, room));
  const abstractIds = text.length > 1 ? text[1].slice(0, Math.max(0, room - titleIds.length)) : null;
  const ids = [cls, ...titleIds, sep, ...(abstractIds ? [...abstractIds, sep] : [])];
  const codePositions = codes.map((code) => {
    ids.push(vocabulary.tokens.get(code) as number);
    return { code, position: ids.length - 1 };
  });
  ids.push(sep);
  return { ids, codePositions };
}

function sourceName(source: ModelSource): string {
  return source.kind === 'path' ? source.id : source.ref;
}

/** Keeps [CLS] … [SEP] shape when a text is longer than the model's positions. */
function truncate(ids: number[], maxTokens: number): number[] {
  if (ids.length <= maxTokens) return ids;
  return [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]];
}
