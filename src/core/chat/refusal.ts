/**
 * Whether to refuse a question before any model is called. A small model asked about something
 * its sources do not cover answers from its weights, fluently and uncited; deciding here, from the
 * data alone, means no engine can be talked into that.
 *
 * Refuse ('off-topic') when
 * 1. fewer than `minCoverage` (default half) of the question's content terms name a subject of the
 *    data: a word of a section or patent title, a pollutant, goal or document name (the retrieval
 *    corpus's subject vocabulary), or any word of an item in the context. Titles rather than texts:
 *    the shared BREF texts mention "capital" and "France", so "what is the capital of France?"
 *    would pass a check against texts, while no title names either; or
 * 2. the context is empty and the active encoder's nearest source is below `minSimilarity`: a
 *    question can share a title word with the data ("weather") and still be about something else,
 *    which only a semantic score sees. Without an encoder (report mode, a kiosk) rule 1 stands alone.
 * Refuse ('no-source') when the context is empty and retrieval found nothing above its threshold.
 *
 * Never refuse a question that cites a tag in the context ("what does [P1] claim?"), nor one with
 * no content terms of its own when the context is not empty ("summarise these"): both are about
 * the chips.
 */
import { tokenize } from '../prefilter/tokenize';
import { splitCitations } from './citations';
import type { ContextEntry } from './context';
import { itemBody, renderItem } from './render';
import { DEFAULT_MIN_SIMILARITY, type Retrieval } from './retrieve';
import { contentTerms } from './terms';

export type RefusalReason = 'no-source' | 'off-topic';

export interface Refusal {
  reason: RefusalReason;
  /** The sentence the chat shows instead of an answer. */
  message: string;
  /** The question's content terms that no source is about (empty for 'no-source'). */
  unknownTerms: string[];
}

export interface RefusalInput {
  question: string;
  /** The context as it stands before retrieval's items are added. */
  context: readonly ContextEntry[];
  /** What retrieval returned for the question (already thresholded). */
  retrieval: Pick<Retrieval, 'items' | 'bestSimilarity'>;
  /** Whether a term names a subject of the retrieval corpus; Retriever.isSubject fits. */
  isSubject?: (term: string) => boolean;
  /** Share of content terms that must name a subject (default 0.5). */
  minCoverage?: number;
  /** Lowest nearest-source similarity for a question with an empty context (default as retrieval's). */
  minSimilarity?: number;
}

export const NO_SOURCE_MESSAGE =
  "I have no source for that: nothing in this chat's context and none of the catalogue sections or patents in this dataset matches the question, so I will not answer it.";

/** Names the terms no source is about; without terms (the semantic rule) says the sources are too far off. */
export function offTopicMessage(terms: readonly string[]): string {
  const what = terms.length ? `is about ${terms.slice(0, 4).map((t) => `"${t}"`).join(', ')}` : 'is close to the question';
  return `I have no source for that: none of the patents, BREF sections or other items available here ${what}, so I will not answer it.`;
}

export function decideRefusal(input: RefusalInput): Refusal | null {
  const { question, context, retrieval } = input;
  const cited = splitCitations(question, (tag) => context.find((e) => e.tag === tag));
  if (cited.some((p) => p.kind === 'citation' && p.entry !== null)) return null;
  const terms = contentTerms(question);
  if (terms.length === 0) {
    // Nothing to match on: fine when it is about the chips, a refusal when there is nothing at all.
    return context.length > 0 ? null : { reason: 'no-source', message: NO_SOURCE_MESSAGE, unknownTerms: [] };
  }

  const contextWords = new Set<string>();
  for (const e of context) {
    const rendered = renderItem(e.item);
    for (const t of tokenize(`${rendered.head}\n${itemBody(rendered)}`)) contextWords.add(t);
  }
  const unknown = terms.filter((t) => !contextWords.has(t) && !(input.isSubject?.(t) ?? false));
  const coverage = (terms.length - unknown.length) / terms.length;
  if (coverage < (input.minCoverage ?? 0.5) || unknown.length === terms.length) {
    return { reason: 'off-topic', message: offTopicMessage(unknown), unknownTerms: unknown };
  }
  if (context.length === 0) {
    const best = retrieval.bestSimilarity;
    if (best !== null && best < (input.minSimilarity ?? DEFAULT_MIN_SIMILARITY)) {
      return { reason: 'off-topic', message: offTopicMessage([]), unknownTerms: [] };
    }
    if (retrieval.items.length === 0) return { reason: 'no-source', message: NO_SOURCE_MESSAGE, unknownTerms: [] };
  }
  return null;
}
