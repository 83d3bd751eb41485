import { codeAt } from '../core/codes';
import type { CodeLevel } from '../core/types';
import { readSpellings, spellCode, spellsLevel, type CodeTokenSpelling } from './code-token-spelling';

export interface CodeTokenVocabulary {
  /** How this model writes a code at `level` as a token, read from its vocabulary. */
  spelling: CodeTokenSpelling;
  level: CodeLevel;
  /** Canonical code at `level` → its token id, for the codes that have one. */
  tokens: Map<string, number>;
  /** Share of the dataset's codes at `level` that have a token. */
  coverage: number;
}

const LEVELS: CodeLevel[] = ['subclass', 'main_group', 'subgroup'];
/** Below this share of the dataset's codes the model is not treated as a TechToken model for it. */
export const MIN_TECHTOKEN_COVERAGE = 0.5;

/**
 * Recognises a TechToken model from its vocabulary: one token per code, in whatever spelling the
 * vocabulary uses (`[H04L]`, `H04L`, `<H04L>`, `ipc_h04l`, `[H04L12/00]`…; code-token-spelling.ts).
 * Picks the spelling and level covering most of the dataset's codes (only `level` when given: a
 * model may have tokens at several levels); null when the model has no code tokens for this data.
 */
export function detectCodeTokens(vocabulary: Map<string, number>, datasetCodes: Iterable<string>, level?: CodeLevel): CodeTokenVocabulary | null {
  const codes = [...datasetCodes];
  const spellings = readSpellings(vocabulary.keys());
  let best: CodeTokenVocabulary | null = null;
  for (const candidate of level ? [level] : LEVELS) {
    const atLevel = [...new Set(codes.map((c) => codeAt(candidate, c)).filter((c): c is string => c !== null))];
    if (atLevel.length === 0) continue;
    for (const spelling of spellings.filter((s) => spellsLevel(s, candidate))) {
      const tokens = new Map<string, number>();
      for (const code of atLevel) {
        const id = vocabulary.get(spellCode(code, spelling));
        if (id !== undefined) tokens.set(code, id);
      }
      const coverage = tokens.size / atLevel.length;
      if (!best || coverage > best.coverage) best = { spelling, level: candidate, tokens, coverage };
    }
  }
  return best && best.coverage >= MIN_TECHTOKEN_COVERAGE ? best : null;
}

/** The part of a tokenizer a TechToken sequence needs (transformers.js's PreTrainedTokenizer has it). */
export interface SequenceTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  convert_tokens_to_ids(token: string): number;
}

export interface TechTokenSequence {
  ids: number[];
  /** The patent's codes that have a token, sorted, each with its position in `ids`. */
  codePositions: { code: string; position: number }[];
}

/** `[CLS] title [SEP] abstract [SEP] [c1] … [cn] [SEP]`, text truncated so the code tokens always fit. */
export function techTokenSequence(
  tokenizer: SequenceTokenizer,
  patent: { title: string; abstract?: string; codes: string[] },
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

export interface CodeVectors {
  /** Sorted. */
  codes: string[];
  /** codes × dim, the mean hidden state at each code's token (not normalised). */
  vectors: Float32Array;
  counts: Uint32Array;
}

/**
 * Sums of the hidden states at code tokens, per code, and their means: a TechToken code vector is
 * the mean over the patents carrying the code. Fed by the encoder batch by batch, or from stored
 * per-patent states (the shipped demo vectors), so both end in the same vectors.
 */
export class CodeStateSums {
  private readonly row: Map<string, number>;
  private readonly sums: Float32Array;
  private readonly counts: Uint32Array;
  readonly codes: string[];

  constructor(codes: Iterable<string>, private readonly dim: number) {
    this.codes = [...new Set(codes)].sort();
    this.row = new Map(this.codes.map((code, i) => [code, i]));
    this.sums = new Float32Array(this.codes.length * dim);
    this.counts = new Uint32Array(this.codes.length);
  }

  /** Adds the state `hidden[offset … offset + dim)` of one code token. */
  add(code: string, hidden: Float32Array, offset: number): void {
    const target = this.row.get(code);
    if (target === undefined) throw new Error(`${code} is not one of the codes being summed`);
    this.counts[target]++;
    const base = target * this.dim;
    for (let d = 0; d < this.dim; d++) this.sums[base + d] += hidden[offset + d];
  }

  means(): CodeVectors {
    const vectors = this.sums.slice();
    for (let c = 0; c < this.codes.length; c++) {
      if (this.counts[c] > 0) for (let d = 0; d < this.dim; d++) vectors[c * this.dim + d] /= this.counts[c];
    }
    return { codes: this.codes, vectors, counts: this.counts.slice() };
  }
}
