import type { TopK } from '../similarity';
import { rankQueries, type RankQueriesOptions } from './rank-queries';
import { tokenize } from './tokenize';

/**
 * Okapi BM25 over a small inverted index: the lexical half of stage 1 (documents = BREF sections,
 * queries = patents). The project's own rather than minisearch, which is not a dependency: at a few
 * thousand documents an index of typed posting lists is a page of code, and owning it pins the
 * exact formula the fusion and the evaluation are measured with.
 *
 *   score(q, d) = Σ_{t ∈ distinct terms of q}  idf(t) · tf(t,d)·(k1 + 1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
 *   idf(t)      = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
 *
 * with k1 = 1.2, b = 0.75 by default, |d| the document's token count after the stop list, and n(t)
 * the documents containing t. The idf is Lucene's, never negative, so a very common term adds
 * little instead of penalising. A query term counts once however often the query repeats it:
 * a patent abstract that says "filter" five times is not five times about filters.
 */

export interface Bm25Params {
  k1?: number;
  b?: number;
}

/** Abort and progress of a search (see rank-queries.ts). */
export type Bm25SearchOptions = RankQueriesOptions;

interface Postings {
  docs: Int32Array;
  tfs: Int32Array;
  idf: number;
}

export class Bm25Index {
  readonly documentCount: number;
  readonly averageLength: number;
  readonly k1: number;
  readonly b: number;
  private readonly postings: Map<string, Postings>;
  /** Per document: k1·(1 − b + b·|d|/avgdl), the length part of the denominator. */
  private readonly lengthNorm: Float64Array;
  private readonly accumulator: Float64Array;
  private readonly touched: Int32Array;

  constructor(documents: readonly string[], params: Bm25Params = {}) {
    this.k1 = params.k1 ?? 1.2;
    this.b = params.b ?? 0.75;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1)) {
      throw new RangeError(`BM25 needs k1 ≥ 0 and 0 ≤ b ≤ 1, got k1 ${this.k1}, b ${this.b}`);
    }
    const n = documents.length;
    this.documentCount = n;
    const lengths = new Int32Array(n);
    const building = new Map<string, { docs: number[]; tfs: number[] }>();
    documents.forEach((text, d) => {
      const tokens = tokenize(text);
      lengths[d] = tokens.length;
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = building.get(term);
        if (list === undefined) building.set(term, (list = { docs: [], tfs: [] }));
        list.docs.push(d);
        list.tfs.push(tf);
      }
    });
    let total = 0;
    for (const length of lengths) total += length;
    this.averageLength = n === 0 ? 0 : total / n;
    this.lengthNorm = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      // An index of empty documents has avgdl 0: every length ratio is then taken as 1.
      const ratio = this.averageLength === 0 ? 1 : lengths[d] / this.averageLength;
      this.lengthNorm[d] = this.k1 * (1 - this.b + this.b * ratio);
    }
    this.postings = new Map();
    for (const [term, list] of building) {
      const df = list.docs.length;
      this.postings.set(term, {
        docs: Int32Array.from(list.docs),
        tfs: Int32Array.from(list.tfs),
        idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)),
      });
    }
    this.accumulator = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  /** Distinct terms in the index. */
  get vocabularySize(): number {
    return this.postings.size;
  }

  /** idf of a (tokenized) term; undefined when no document contains it. */
  idf(term: string): number | undefined {
    return this.postings.get(term)?.idf;
  }

  /**
   * BM25 of `query` against every document (f64), 0 for a document sharing no term. For tests and
   * inspection; {@link search} is the path that ranks.
   */
  scoreAll(query: string): Float64Array {
    const out = new Float64Array(this.documentCount);
    this.accumulate(query, out);
    return out;
  }

  /**
   * The k best documents of each query, as a TopK (row = query). Ranked by the f32 score that is
   * reported, ties to the lower document index; documents sharing no term with the query are not
   * ranked, so a short list is padded with −1 / −Infinity.
   */
  search(queries: readonly string[], k: number, options: Bm25SearchOptions = {}): TopK {
    return rankQueries(queries, this.documentCount, k, (query, row) => {
      const touched = this.accumulate(query, this.accumulator);
      for (let t = 0; t < touched; t++) {
        const d = this.touched[t];
        row[d] = this.accumulator[d];
        this.accumulator[d] = 0;
      }
    }, options);
  }

  /** Adds the query's BM25 into `into` (all zeros where untouched); returns how many documents it touched, listed in `touched`. */
  private accumulate(query: string, into: Float64Array): number {
    const k1PlusOne = this.k1 + 1;
    let touched = 0;
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const { docs, tfs, idf } = list;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        const tf = tfs[i];
        if (into[d] === 0) this.touched[touched++] = d;
        into[d] += (idf * tf * k1PlusOne) / (tf + this.lengthNorm[d]);
      }
    }
    return touched;
  }
}
