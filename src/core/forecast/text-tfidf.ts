import { codeAt } from '../codes';
import type { CodeLevel } from '../types';
import type { CodeEmbedding } from './candidate-cosine';

/** What the text method reads of a patent (real data may carry `abstract: null`). */
export interface TextPatent {
  codes: readonly string[];
  title?: string | null;
  abstract?: string | null;
}

export interface TfidfOptions {
  /** A term must occur in at least this many patents (default 2: a word of one patent links no codes). */
  minDocumentFrequency?: number;
  /** Keep the terms with the highest document frequency, at most this many (default 4,096). */
  maxTerms?: number;
}

export const TEXT_TFIDF = 'text-tfidf';
export const DEFAULT_TFIDF: Required<TfidfOptions> = { minDocumentFrequency: 2, maxTerms: 4096 };

/** Function words of patent titles: frequent everywhere, so they only add popularity to every code. */
const STOPWORDS = new Set(
  'a an and are as at be by for from has in into is it its of on or that the their this to with which wherein method methods apparatus device devices system systems use using same thereof therefor'.split(' '),
);

export function tokenize(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 1 && !STOPWORDS.has(t) && !/^\d+$/.test(t));
}

/**
 * Code vectors from the words of the patents (title + abstract), no model: each patent is a
 * TF-IDF bag of words with sublinear tf (1 + ln tf) and smoothed idf (ln((1 + N)/(1 + df)) + 1),
 * L2-normalised; a code's vector is the L2-normalised mean of its patents' vectors.
 *
 * The vocabulary is capped (df ≥ minDocumentFrequency, then the maxTerms most frequent terms) so
 * that the code matrix (codes × terms, dense, what the cosine kernels take) stays small: 2,000
 * main groups × 4,096 terms is 32 MB. Patents are kept sparse while they are summed, so the cost
 * is O(tokens + codes·terms) however many patents there are.
 */
export function tfidfCodeVectors(patents: readonly TextPatent[], level: CodeLevel, options: TfidfOptions = {}): CodeEmbedding & { terms: string[] } {
  const { minDocumentFrequency, maxTerms } = { ...DEFAULT_TFIDF, ...options };
  const documents = patents.map((p) => {
    const counts = new Map<string, number>();
    for (const token of tokenize(`${p.title ?? ''} ${p.abstract ?? ''}`)) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const terms = [...df.entries()]
    .filter(([, f]) => f >= minDocumentFrequency)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxTerms)
    .map(([term]) => term);
  const column = new Map(terms.map((term, c) => [term, c]));
  const dim = terms.length;
  const idf = Float64Array.from(terms, (term) => Math.log((1 + patents.length) / (1 + (df.get(term) as number))) + 1);

  const codesOfPatent = patents.map((p) => [...new Set(p.codes.map((code) => codeAt(level, code)).filter((c): c is string => c !== null))]);
  const codes = [...new Set(codesOfPatent.flat())].sort();
  const row = new Map(codes.map((code, r) => [code, r]));
  const vectors = new Float32Array(codes.length * dim);
  const sums = new Float64Array(codes.length * dim);
  const columns: number[] = [];
  const weights: number[] = [];
  documents.forEach((doc, p) => {
    columns.length = 0;
    weights.length = 0;
    let norm = 0;
    for (const [term, tf] of doc) {
      const c = column.get(term);
      if (c === undefined) continue;
      const w = (1 + Math.log(tf)) * idf[c];
      columns.push(c);
      weights.push(w);
      norm += w * w;
    }
    if (norm === 0) return;
    const scale = 1 / Math.sqrt(norm);
    for (const code of codesOfPatent[p]) {
      const base = (row.get(code) as number) * dim;
      for (let a = 0; a < columns.length; a++) sums[base + columns[a]] += weights[a] * scale;
    }
  });
  // The mean's 1/count does not change the direction, so normalising the sum gives the normalised mean.
  for (let r = 0; r < codes.length; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += sums[r * dim + d] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) vectors[r * dim + d] = sums[r * dim + d] * scale;
  }
  return { codes, dim, vectors, terms };
}
