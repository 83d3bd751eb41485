/**
 * Stage 1 of a matching job: which (patent, section) pairs the Yes/No model will be asked about.
 *
 * Each patent keeps its k best sections by the chosen ranking (TF-IDF cosine over the texts, the
 * encoder's cosine, or their reciprocal rank fusion); with `sectionK` each section also brings its
 * best patents by cosine, so a section no patent ranks first still gets candidates. Pairs come out
 * in patent order, then rank, each pair once.
 */
import { throwIfAborted } from '../abort';
import type { CrossTopK } from '../prefilter/cross-topk';
import { reciprocalRankFusion } from '../prefilter/fusion';
import { TfidfIndex } from '../prefilter/tfidf';
import type { TopK } from '../similarity';
import type { JobSection, PrefilterMethod } from './types';

export interface ShortlistInput {
  /** The patents' texts (title + abstract), in the order of `patentIds`. */
  patentTexts: readonly string[];
  sections: readonly JobSection[];
  method: PrefilterMethod;
  k: number;
  sectionK: number;
  /** The cosine top-k both ways, for methods that use the encoder (computed with k = max(k, sectionK)). */
  dense?: CrossTopK;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface Shortlist {
  /** Pair → patent row. */
  patent: Int32Array;
  /** Pair → section row. */
  section: Int32Array;
  prefilter: Float32Array;
  /** 1-based rank within the patent's list; 0 for pairs only the section side brought. */
  rank: Int32Array;
}

/** What a section is matched on by the lexical index and the encoder: its title, then its text. */
export function sectionDocument(section: JobSection): string {
  return section.text && section.text !== section.title ? `${section.title}. ${section.text}` : section.title;
}

export function usesEncoder(method: PrefilterMethod): boolean {
  return method !== 'tfidf';
}

export function buildShortlist(input: ShortlistInput): Shortlist {
  const { patentTexts, sections, method, k, sectionK } = input;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
  if (!Number.isInteger(sectionK) || sectionK < 0) throw new RangeError(`sectionK must be a whole number ≥ 0, got ${sectionK}`);
  if ((usesEncoder(method) || sectionK > 0) && !input.dense) throw new Error(`the ${method} prefilter needs the encoder's cosines`);
  throwIfAborted(input.signal);
  const lexical = method === 'embedding' ? null
    : new TfidfIndex(sections.map(sectionDocument)).search(patentTexts, k, { signal: input.signal, onProgress: input.onProgress });
  let ranking: TopK;
  if (method === 'tfidf' && lexical) ranking = lexical;
  else if (method === 'embedding') ranking = input.dense?.perPatent as TopK;
  else ranking = reciprocalRankFusion([input.dense?.perPatent as TopK, lexical as TopK], { k });

  const patent: number[] = [];
  const section: number[] = [];
  const prefilter: number[] = [];
  const rank: number[] = [];
  const taken = new Set<number>();
  const extra = sectionK > 0 ? sectionSide(input.dense as CrossTopK, sectionK, patentTexts.length) : null;
  for (let p = 0; p < patentTexts.length; p++) {
    taken.clear();
    for (let r = 0; r < Math.min(k, ranking.k); r++) {
      const s = ranking.indices[p * ranking.k + r];
      if (s < 0) break;
      taken.add(s);
      patent.push(p); section.push(s); prefilter.push(ranking.scores[p * ranking.k + r]); rank.push(r + 1);
    }
    for (const [s, score] of extra?.[p] ?? []) {
      if (taken.has(s)) continue;
      taken.add(s);
      patent.push(p); section.push(s); prefilter.push(score); rank.push(0);
    }
  }
  return { patent: Int32Array.from(patent), section: Int32Array.from(section), prefilter: Float32Array.from(prefilter), rank: Int32Array.from(rank) };
}

/** Per patent, the sections that list it among their best `sectionK` patents, with the cosine. */
function sectionSide(dense: CrossTopK, sectionK: number, patents: number): [number, number][][] {
  const { perSection } = dense;
  const byPatent: [number, number][][] = Array.from({ length: patents }, () => []);
  for (let s = 0; s < perSection.rows; s++) {
    for (let r = 0; r < Math.min(sectionK, perSection.k); r++) {
      const p = perSection.indices[s * perSection.k + r];
      if (p < 0) break;
      byPatent[p].push([s, perSection.scores[s * perSection.k + r]]);
    }
  }
  return byPatent;
}
