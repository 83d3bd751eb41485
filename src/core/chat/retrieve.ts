/**
 * Retrieval for a free question: BM25 over the catalogue's sections (title + text when loaded)
 * and the active dataset's patents (title + abstract), searched with the question's content terms
 * (terms.ts), optionally fused by reciprocal rank with an embedding ranking from the active encoder
 * (passed in as a callback: the encoder lives in the ML worker, this file stays pure).
 *
 * Thresholds, each on its own component's scale (RRF only orders, its scores mean nothing alone):
 * an item is kept when its BM25 score ≥ `minBm25` or its embedding similarity ≥ `minSimilarity`.
 * When nothing passes, the result is empty — the signal refusal.ts acts on, instead of handing the
 * model the least bad of unrelated sources.
 *
 * One index holds sections and patents together so a question ranks both on the same idf: a term
 * rare in the whole corpus is telling whichever kind of source carries it.
 */
import type { CatalogueSection } from '../catalogue/types';
import { Bm25Index, type Bm25Params } from '../prefilter/bm25';
import { reciprocalRankFusion } from '../prefilter/fusion';
import { tokenize } from '../prefilter/tokenize';
import type { TopK } from '../similarity';
import type { Patent } from '../types';
import type { ContextItem } from './context';
import { patentItem, sectionItem, type SectionFacts } from './items';
import { contentTerms } from './terms';

/** One entry of an embedding ranking: a source by kind and id, with its similarity to the query. */
export interface RankedSource {
  kind: 'patent' | 'section';
  id: string;
  /** Cosine similarity (or any score on the scale `minSimilarity` is given in). */
  score: number;
}

/** The active encoder's ranking of the sources for a query, best first. */
export type EmbeddingRanker = (query: string) => readonly RankedSource[] | Promise<readonly RankedSource[]>;

export interface RetrievalCorpus {
  sections: readonly CatalogueSection[];
  /** The loaded catalogue texts by section id; sections without one are indexed by title alone. */
  sectionText?: (id: string) => string | null | undefined;
  /** Facts for the section items made from hits (document names, pollutant names). */
  sectionFacts?: Omit<SectionFacts, 'text'>;
  patents: readonly Patent[];
  /**
   * Further names the data is about, beside the section and patent titles: pollutant names, SDG
   * titles, document names, code titles. Together they are the subject vocabulary refusal checks.
   */
  subjects?: readonly string[];
}

export interface RetrieveOptions {
  /** Items returned at most (default 8). */
  limit?: number;
  /** Candidates taken from each ranking before fusion (default 50). */
  candidates?: number;
  /** Lowest BM25 score that keeps an item (default 1.5; see DEFAULT_MIN_BM25). */
  minBm25?: number;
  /** Lowest embedding score that keeps an item (default 0.35). */
  minSimilarity?: number;
  embedding?: EmbeddingRanker;
}

/**
 * BM25 with Lucene's idf: a term found in about a third of the sources scores ≈ 1.0 on one
 * occurrence, a rare term 3–7 (on the shared corpus of 8,671 sections and patents, a question's
 * best source typically scores 10–20). 1.5 keeps a source that shares one fairly rare term or two common
 * ones with the question, and drops one that shares only a word found everywhere ("emission",
 * "process" in a pollution corpus).
 */
export const DEFAULT_MIN_BM25 = 1.5;
/** Sentence encoders give unrelated short texts cosines of 0.1–0.3; related ones rise above 0.4. */
export const DEFAULT_MIN_SIMILARITY = 0.35;

export interface Retrieval {
  /** The items that passed a threshold, best first; empty when none did. */
  items: RetrievedItem[];
  /** The question's content terms the search ran on (terms.ts). */
  terms: string[];
  /**
   * The embedding ranking's best score over all sources, passing or not; null without one. Refusal
   * uses it: a question whose nearest source is far away is off-topic even when a word matches.
   */
  bestSimilarity: number | null;
}

/** How a question's sources were found, as the chat tells the user. */
export interface RetrievalNote {
  /** The encoder whose ranking was fused with BM25; null when retrieval was by words alone. */
  embedding: string | null;
  /** Why the encoder did not take part (null when it did, or when none was offered). */
  reason: string | null;
}

export interface RetrievedItem {
  item: ContextItem;
  /** Fused (RRF) score when an embedding ranking took part, else the BM25 score. */
  score: number;
  /** null when BM25 did not rank the item among its candidates. */
  bm25: number | null;
  /** null without an embedding ranking or when it did not rank the item. */
  similarity: number | null;
  /** Question terms the item contains (what the view can highlight). */
  terms: string[];
}

interface Source {
  kind: 'patent' | 'section';
  id: string;
  text: string;
  item: () => ContextItem;
}

export class Retriever {
  private readonly sources: Source[];
  private readonly index: Bm25Index;
  private readonly position = new Map<string, number>();
  private readonly subjectTerms = new Set<string>();

  constructor(corpus: RetrievalCorpus, params: Bm25Params = {}) {
    const textOf = corpus.sectionText ?? (() => null);
    this.sources = [
      ...corpus.sections.map((section): Source => {
        const text = textOf(section.id) ?? null;
        return {
          kind: 'section',
          id: section.id,
          text: text ? `${section.title}\n${text}` : section.title,
          item: () => sectionItem(section, { ...corpus.sectionFacts, text }),
        };
      }),
      ...corpus.patents.map((patent): Source => ({
        kind: 'patent',
        id: patent.id,
        text: patent.abstract ? `${patent.title}\n${patent.abstract}` : patent.title,
        item: () => patentItem(patent),
      })),
    ];
    this.sources.forEach((s, i) => this.position.set(`${s.kind}\u0000${s.id}`, i));
    this.index = new Bm25Index(this.sources.map((s) => s.text), params);
    for (const text of [...corpus.sections.map((s) => s.title), ...corpus.patents.map((p) => p.title), ...(corpus.subjects ?? [])]) {
      for (const term of tokenize(text)) this.subjectTerms.add(term);
    }
  }

  get size(): number {
    return this.sources.length;
  }

  /** Whether any source's text contains the (already tokenized) term. */
  knows(term: string): boolean {
    return this.index.idf(term) !== undefined;
  }

  /**
   * Whether a title or a named subject contains the term. Texts mention much in passing (the shared
   * BREF texts say "capital" 27 times and "France" 8); what a source is about is in its title.
   */
  isSubject(term: string): boolean {
    return this.subjectTerms.has(term);
  }

  async retrieve(question: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    const limit = options.limit ?? 8;
    const candidates = Math.min(options.candidates ?? 50, this.sources.length);
    const minBm25 = options.minBm25 ?? DEFAULT_MIN_BM25;
    const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
    const terms = contentTerms(question);
    if (question.trim() === '' || candidates === 0 || limit <= 0) return { items: [], terms, bestSimilarity: null };

    // BM25 on the content terms only; the encoder gets the question as written (it reads sentences).
    const lexical = this.index.search([terms.join(' ')], candidates);
    const rankings: TopK[] = [lexical];
    if (options.embedding) rankings.push(this.embeddingTopK(await options.embedding(question), candidates));
    const fused = options.embedding ? reciprocalRankFusion(rankings, { k: candidates * 2 }) : null;
    const bestSimilarity = rankings.length > 1 && rankings[1].indices[0] >= 0 ? rankings[1].scores[0] : null;

    const out: RetrievedItem[] = [];
    const rows = fused ?? lexical;
    for (let at = 0; at < rows.k && out.length < limit; at++) {
      const index = rows.indices[at];
      if (index < 0) break;
      const bm25 = fused ? componentScore(fused.components[0], at) : lexical.scores[at];
      const similarity = fused ? componentScore(fused.components[1], at) : null;
      const passes = (bm25 !== null && bm25 >= minBm25) || (similarity !== null && similarity >= minSimilarity);
      if (!passes) continue;
      const source = this.sources[index];
      const words = new Set(tokenize(source.text));
      out.push({ item: source.item(), score: rows.scores[at], bm25, similarity, terms: terms.filter((t) => words.has(t)) });
    }
    return { items: out, terms, bestSimilarity };
  }

  /** The callback's ranking as a one-row TopK over the sources; ids the corpus lacks are dropped. */
  private embeddingTopK(ranked: readonly RankedSource[], k: number): TopK {
    const indices = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    const seen = new Set<number>();
    let n = 0;
    // Sorted here rather than trusted: an encoder's list in id order would otherwise rank by accident.
    for (const r of [...ranked].sort((a, b) => b.score - a.score)) {
      if (n === k) break;
      const index = this.position.get(`${r.kind}\u0000${r.id}`);
      if (index === undefined || seen.has(index) || !Number.isFinite(r.score)) continue;
      seen.add(index);
      indices[n] = index;
      scores[n++] = r.score;
    }
    return { k, rows: 1, indices, scores };
  }
}

function componentScore(component: { ranks: Int32Array; scores: Float32Array }, at: number): number | null {
  return component.ranks[at] === 0 ? null : component.scores[at];
}
