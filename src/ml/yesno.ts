import { AutoModelForCausalLM, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { ModelLoadError } from '../core/errors';
import type { ModelDtype } from './model-ref';
import { checkYesNo, isYesNoReference, report, type ModelCheckReport } from './reference-check';
import { openModel, type ModelSource, type RuntimeOptions } from './runtime';

/** One question: is this patent relevant to this pollution-abatement technique? */
export interface YesNoPair {
  sectionTitle: string;
  technique: string;
  patentTitle: string;
  patentAbstract: string;
}

export interface YesNoPrompt {
  system: string;
  /** With placeholders {section_title} {technique} {patent_title} {patent_abstract}. */
  user: string;
}

/** The seed's prompt (the reference dashboard's BREF matching), used when a model's manifest has none. */
export const SEED_YES_NO_PROMPT: YesNoPrompt = {
  system: 'You are an engineer expert of environmental regulations.',
  user: 'Section title: {section_title}\nPollution abatement process: {technique}\nPatent: {patent_title}. {patent_abstract}\n'
    + 'Is the patent relevant to the pollution abatement process? Only answer Yes or No.',
};

/** The chat messages of one pair: the prompt's placeholders filled with the pair's texts. */
export function promptMessages(prompt: YesNoPrompt, pair: YesNoPair): { role: 'system' | 'user'; content: string }[] {
  const fill = (template: string) => template
    .replaceAll('{section_title}', pair.sectionTitle)
    .replaceAll('{technique}', pair.technique)
    .replaceAll('{patent_title}', pair.patentTitle)
    .replaceAll('{patent_abstract}', pair.patentAbstract);
  return [{ role: 'system', content: fill(prompt.system) }, { role: 'user', content: fill(prompt.user) }];
}

export interface YesNoLoadOptions {
  source: ModelSource;
  runtime?: RuntimeOptions;
  device: 'webgpu' | 'wasm' | 'cpu';
  dtype?: ModelDtype;
}

const DEFAULT_BATCH_SIZE = 8;
/** When the model's config states no context length. */
const DEFAULT_MAX_CONTEXT = 512;

/** The prompt of one pair as the model sees it, and whether its text (process text or patent) had to be cut to fit. */
export interface FittedPrompt {
  ids: number[];
  truncated: boolean;
}

/** P(Yes) per pair (NaN where its batch failed), the pairs whose patent text was cut, and failed batches' reasons. */
export interface YesNoScores {
  probabilities: Float32Array;
  truncated: Uint8Array;
  failures: { pairs: number[]; reason: string }[];
}

/**
 * P(Yes) for (technique, patent) pairs with a causal LM: one forward pass per pair, no generation;
 * P(Yes) = softmax over the Yes and No logits at the last prompt position.
 */
export class YesNoEngine {
  private tokenizer: PreTrainedTokenizer | null = null;
  private model: PreTrainedModel | null = null;
  private prompt: YesNoPrompt = SEED_YES_NO_PROMPT;
  private answerIds: { yes: number; no: number } | null = null;
  private loaded: { modelId: string; dtype: ModelDtype; device: string; reference: unknown } | null = null;
  private maxContext = DEFAULT_MAX_CONTEXT;
  private readonly aborts = new AbortRegistry();

  async load(options: YesNoLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<void> {
    const name = options.source.kind === 'path' ? options.source.id : options.source.ref;
    try {
      const opened = await openModel(options.source, options.dtype ?? 'q4', options.runtime ?? {}, task, onProgress);
      this.tokenizer = await AutoTokenizer.from_pretrained(opened.modelId);
      await this.model?.dispose();
      this.model = await AutoModelForCausalLM.from_pretrained(opened.modelId, { device: options.device, dtype: options.dtype ?? 'q4' });
      const promptFromManifest = opened.manifest?.prompt;
      const user = promptFromManifest?.user_template ?? promptFromManifest?.user;
      this.prompt = promptFromManifest && user ? { system: promptFromManifest.system, user } : SEED_YES_NO_PROMPT;
      this.answerIds = answerTokenIds(this.tokenizer);
      const configured = (this.model.config as { max_position_embeddings?: unknown }).max_position_embeddings;
      this.maxContext = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_MAX_CONTEXT;
      this.loaded = { modelId: name, dtype: options.dtype ?? 'q4', device: options.device, reference: opened.reference };
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ModelLoadError(name, error);
    }
  }

  /** The prompt token ids of one pair, as the model sees them (chat template applied). */
  promptIds(pair: YesNoPair): number[] {
    const { tokenizer } = this.ready();
    const text = this.render(promptMessages(this.prompt, pair));
    return tokenizer.encode(text, { add_special_tokens: false });
  }

  /** The prompt text of chat messages, as the model's chat template renders it. */
  render(messages: { role: string; content: string }[]): string {
    const { tokenizer } = this.ready();
    return tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
  }

  /** Runs the recipe's reference prompts (reference.json) on the loaded model and backend. */
  async checkReference(): Promise<ModelCheckReport> {
    const { tokenizer } = this.ready();
    const loaded = this.loaded;
    if (!loaded || !isYesNoReference(loaded.reference)) throw new Error(`${loaded?.modelId ?? 'the model'} has no reference.json to check against`);
    const checks = await checkYesNo({
      render: (messages) => this.render(messages),
      encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
      scorePrompts: (ids) => this.scorePrompts(ids, { batchSize: 2 }),
    }, loaded.reference, loaded.dtype);
    return report(loaded.modelId, 'yes-no', loaded.dtype, loaded.device, checks);
  }

  /**
   * The prompt of a pair cut to the model's context, since a prompt past the context length
   * makes ONNX Runtime fail the run. The instruction and the section title are always kept. The
   * patent keeps up to half of the room they leave (all of it when it is shorter); a long process
   * text (a real BREF section runs to thousands of tokens) is cut to what remains, and only then
   * the patent's abstract, then its title (longest prefix that fits, binary search on characters).
   */
  fitPrompt(pair: YesNoPair): FittedPrompt {
    const whole = this.promptIds(pair);
    if (whole.length <= this.maxContext) return { ids: whole, truncated: false };
    const length = (p: YesNoPair) => this.promptIds(p).length;
    const bare = length({ ...pair, technique: '', patentTitle: '', patentAbstract: '' });
    if (bare > this.maxContext) throw new RangeError(`the instruction and section title alone exceed the model's context of ${this.maxContext} tokens`);
    const patentTokens = length({ ...pair, technique: '' }) - bare;
    const reserve = Math.min(patentTokens, Math.floor((this.maxContext - bare) / 2));
    let technique = pair.technique;
    if (length({ ...pair, patentTitle: '', patentAbstract: '' }) > this.maxContext - reserve) {
      const cut = longestPrefix(technique.length, (n) => length({ ...pair, technique: technique.slice(0, n), patentTitle: '', patentAbstract: '' }) <= this.maxContext - reserve);
      technique = technique.slice(0, cut);
    }
    const fitted = { ...pair, technique };
    const fits = (p: YesNoPair) => length(p) <= this.maxContext;
    if (fits(fitted)) return { ids: this.promptIds(fitted), truncated: true };
    const abstract = longestPrefix(pair.patentAbstract.length, (n) => fits({ ...fitted, patentAbstract: pair.patentAbstract.slice(0, n) }));
    if (abstract > 0 || fits({ ...fitted, patentAbstract: '' })) {
      return { ids: this.promptIds({ ...fitted, patentAbstract: pair.patentAbstract.slice(0, abstract) }), truncated: true };
    }
    const title = longestPrefix(pair.patentTitle.length, (n) => fits({ ...fitted, patentTitle: pair.patentTitle.slice(0, n), patentAbstract: '' }));
    return { ids: this.promptIds({ ...fitted, patentTitle: pair.patentTitle.slice(0, title), patentAbstract: '' }), truncated: true };
  }

  async score(pairs: YesNoPair[], options: TaskOptions & { batchSize?: number } = {}, onProgress?: ProgressCallback): Promise<Float32Array> {
    const result = await this.scoreFitted(pairs, options, onProgress);
    if (result.failures.length > 0) throw new Error(result.failures[0].reason);
    return result.probabilities;
  }

  /** Like score, but prompts are cut to the context, and a failed batch costs only its own pairs. */
  async scoreFitted(pairs: YesNoPair[], options: TaskOptions & { batchSize?: number } = {}, onProgress?: ProgressCallback): Promise<YesNoScores> {
    const fitted = pairs.map((pair) => this.fitPrompt(pair));
    const failures: YesNoScores['failures'] = [];
    const probabilities = await this.scorePrompts(fitted.map((f) => f.ids), { ...options, onBatchError: (batch, reason) => failures.push({ pairs: batch, reason }) }, onProgress);
    return { probabilities, truncated: Uint8Array.from(fitted, (f) => (f.truncated ? 1 : 0)), failures };
  }

  /** P(Yes) for prompts already turned into token ids (see promptIds). */
  async scorePrompts(
    ids: number[][],
    options: TaskOptions & { batchSize?: number; onBatchError?: (pairs: number[], reason: string) => void } = {},
    onProgress?: ProgressCallback,
  ): Promise<Float32Array> {
    const { model, answerIds } = this.ready();
    const signal = this.aborts.begin(options.taskId, options.signal);
    try {
      const tracker = new ProgressTracker('match', 'pairs', ids.length, onProgress);
      const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
      const probabilities = new Float32Array(ids.length);
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      for (let start = 0; start < order.length; start += batchSize) {
        throwIfAborted(signal);
        const batch = order.slice(start, start + batchSize);
        const seqLen = Math.max(...batch.map((i) => ids[i].length));
        const inputIds = new BigInt64Array(batch.length * seqLen);
        const mask = new BigInt64Array(batch.length * seqLen);
        const positions = new BigInt64Array(batch.length * seqLen);
        // Right padding: with causal attention the padded tail cannot change earlier positions.
        batch.forEach((pairIndex, row) => ids[pairIndex].forEach((id, t) => {
          inputIds[row * seqLen + t] = BigInt(id);
          mask[row * seqLen + t] = 1n;
          positions[row * seqLen + t] = BigInt(t);
        }));
        const dims = [batch.length, seqLen];
        let output: { logits?: unknown };
        try {
          output = await model({
            input_ids: new Tensor('int64', inputIds, dims),
            attention_mask: new Tensor('int64', mask, dims),
            position_ids: new Tensor('int64', positions, dims),
          });
        } catch (error) {
          // One failed batch must not lose the others: its pairs get NaN and the reason is reported.
          if (!options.onBatchError || (error instanceof Error && error.name === 'AbortError')) throw error;
          for (const pairIndex of batch) probabilities[pairIndex] = Number.NaN;
          options.onBatchError(batch, error instanceof Error ? error.message : String(error));
          tracker.report(start + batch.length);
          continue;
        }
        const logits = output.logits as Tensor;
        const vocab = logits.dims[2];
        const data = logits.data as Float32Array;
        batch.forEach((pairIndex, row) => {
          const last = (row * seqLen + ids[pairIndex].length - 1) * vocab;
          probabilities[pairIndex] = yesProbability(data[last + answerIds.yes], data[last + answerIds.no]);
        });
        tracker.report(start + batch.length);
      }
      tracker.finish();
      return probabilities;
    } finally {
      this.aborts.end(options.taskId);
    }
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  async destroy(): Promise<void> {
    await this.model?.dispose();
    this.model = null;
    this.tokenizer = null;
    this.loaded = null;
  }

  private ready(): { tokenizer: PreTrainedTokenizer; model: PreTrainedModel; answerIds: { yes: number; no: number } } {
    if (!this.tokenizer || !this.model || !this.answerIds) throw new Error('YesNoEngine.load() must finish before score()');
    return { tokenizer: this.tokenizer, model: this.model, answerIds: this.answerIds };
  }
}

/** softmax over the two answer logits, computed stably. */
export function yesProbability(yesLogit: number, noLogit: number): number {
  return 1 / (1 + Math.exp(noLogit - yesLogit));
}

/** `Yes`/`No` as single tokens (byte-level BPE vocabularies may write them with a leading `Ġ`). */
function answerTokenIds(tokenizer: PreTrainedTokenizer): { yes: number; no: number } {
  const vocabulary = tokenizer.get_vocab();
  const find = (word: string) => vocabulary.get(word) ?? vocabulary.get(`Ġ${word}`) ?? vocabulary.get(`▁${word}`);
  const yes = find('Yes');
  const no = find('No');
  if (yes === undefined || no === undefined) throw new Error('the model has no single "Yes" and "No" tokens, so it cannot answer Yes/No in one pass');
  return { yes, no };
}

/** The largest n in [0, max] with fits(n) true, for a fits that holds up to some n and not after (0 when none). */
function longestPrefix(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}
