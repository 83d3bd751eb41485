import type { TopK } from '../similarity';
import { rankQueries, type RankQueriesOptions } from './rank-queries';
import { tokenize } from './tokenize';

/**
 * TF-IDF cosine between queries (patents) and documents (catalogue sections): the text-statistic
 * reference a learned embedding must beat, and on real BREF sections a strong prefilter on its
 * own (the reference dashboard's TF-IDF cosine reached recall@10 0.731). Sparse throughout: a
 * section × vocabulary matrix would be mostly zeros.
 *
 *   w(t, x) = (1 + ln tf(t, x)) · idf(t),   idf(t) = ln((1 + N) / (1 + n(t))) + 1   (smoothed, as scikit-learn)
 *   score(q, d) = Σ_t w(t, q) · w(t, d) / (‖w(·, q)‖ ‖w(·, d)‖)
 *
 * with N documents and n(t) of them containing t; the idf comes from the documents only, so a
 * query's words unknown to the catalogue add nothing. Sublinear tf keeps a section that repeats
 * "filter" forty times from outweighing one that names filters, scrubbers and dust once each.
 */

interface Posting {
  docs: Int32Array;
  weights: Float32Array;
  idf: number;
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokenize(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

export class TfidfIndex {
  readonly documentCount: number;
  private readonly postings = new Map<string, Posting>();
  private readonly accumulator: Float64Array;

  constructor(documents: readonly string[]) {
    const n = documents.length;
    this.documentCount = n;
    const counted = documents.map(termCounts);
    const frequency = new Map<string, number>();
    for (const counts of counted) for (const term of counts.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
    const idf = new Map<string, number>();
    for (const [term, df] of frequency) idf.set(term, Math.log((1 + n) / (1 + df)) + 1);
    const building = new Map<string, { docs: number[]; weights: number[] }>();
    counted.forEach((counts, d) => {
      let norm = 0;
      const weights: [string, number][] = [];
      for (const [term, tf] of counts) {
        const w = (1 + Math.log(tf)) * (idf.get(term) as number);
        weights.push([term, w]);
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      for (const [term, w] of weights) {
        let list = building.get(term);
        if (!list) building.set(term, (list = { docs: [], weights: [] }));
        list.docs.push(d);
        list.weights.push(w / norm);
      }
    });
    for (const [term, list] of building) {
      this.postings.set(term, { docs: Int32Array.from(list.docs), weights: Float32Array.from(list.weights), idf: idf.get(term) as number });
    }
    this.accumulator = new Float64Array(n);
  }

  /** The cosine of one query with every document (0 where they share no term). */
  cosines(query: string): Float64Array {
    const out = new Float64Array(this.documentCount);
    this.accumulate(query, out);
    return out;
  }

  /**
   * Top-k documents per query by TF-IDF cosine, ties to the lower index; documents sharing no
   * term with the query are not ranked (−1 / −Infinity padding), as in Bm25Index.search.
   */
  search(queries: readonly string[], k: number, options: RankQueriesOptions = {}): TopK {
    return rankQueries(queries, this.documentCount, k, (query, row) => {
      this.accumulator.fill(0);
      for (const d of this.accumulate(query, this.accumulator)) row[d] = this.accumulator[d];
    }, options);
  }

  /** Adds the query's cosine into `into`; returns the documents it touched. */
  private accumulate(query: string, into: Float64Array): Set<number> {
    const touched = new Set<number>();
    const counts = termCounts(query);
    let norm = 0;
    const weights: [Posting, number][] = [];
    for (const [term, tf] of counts) {
      const posting = this.postings.get(term);
      if (!posting) continue; // unknown to the catalogue: no idf, no weight
      const w = (1 + Math.log(tf)) * posting.idf;
      weights.push([posting, w]);
      norm += w * w;
    }
    if (norm === 0) return touched;
    norm = Math.sqrt(norm);
    for (const [{ docs, weights: dw }, w] of weights) {
      for (let i = 0; i < docs.length; i++) {
        into[docs[i]] += (w / norm) * dw[i];
        touched.add(docs[i]);
      }
    }
    return touched;
  }
}
