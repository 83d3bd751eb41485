/** A job's pairs as the Match view lists and exports them: ranked by score, with titles. */
import type { JobSection, MatchJobRecord, MatchPair } from '../core/match-job/types';
import { datasetStore } from './store-client';

export interface JobRow {
  rank: number;
  patentId: string;
  title: string;
  year: number | null;
  sectionId: string;
  sectionTitle: string;
  /** The section was matched on its headings, not its own text. */
  sectionHeadingsOnly: boolean;
  prefilter: number;
  prefilterRank: number;
  pYes: number | null;
  score: number;
  truncated: boolean;
}

export interface JobSummary {
  /** Pairs by score, highest first (unverified pairs of a verified job last). */
  order: Int32Array;
  /** Patents with at least one pair at or above the threshold. */
  patentsAbove: number;
  pairsAbove: number;
}

/** The job's pairs ranked; in a verified job a pair without P(Yes) ranks below every answered one. */
export function summarise(job: MatchJobRecord, pairs: readonly MatchPair[], threshold: number): JobSummary {
  const verified = job.settings.verify || job.verifiedBy !== undefined;
  const key = (p: MatchPair): number => (verified ? (p.pYes ?? Number.NEGATIVE_INFINITY) : p.score);
  const order = Int32Array.from(pairs.keys()).sort((a, b) => key(pairs[b]) - key(pairs[a]) || a - b);
  const above = new Set<string>();
  let pairsAbove = 0;
  if (verified) {
    for (const p of pairs) if (p.pYes !== null && p.pYes >= threshold) { pairsAbove++; above.add(p.patentId); }
  }
  return { order, patentsAbove: above.size, pairsAbove };
}

/** Rows `from`..`to` of the ranking, with the patents' titles read from the store. */
export async function jobRows(
  job: MatchJobRecord, pairs: readonly MatchPair[], sections: readonly JobSection[], order: Int32Array, from = 0, to = order.length,
): Promise<JobRow[]> {
  const slice = Array.from(order.subarray(from, to), (i) => pairs[i]);
  const patents = new Map((await (await datasetStore()).getPatentsByIds(job.datasetId, [...new Set(slice.map((p) => p.patentId))])).map((p) => [p.id, p]));
  const bySection = new Map(sections.map((s) => [s.id, s]));
  return slice.map((pair, i) => {
    const patent = patents.get(pair.patentId);
    const section = bySection.get(pair.sectionId);
    return {
      rank: from + i + 1, patentId: pair.patentId, title: patent?.title ?? '', year: patent?.year ?? null,
      sectionId: pair.sectionId, sectionTitle: section?.title ?? '', sectionHeadingsOnly: section ? !section.hasText : false,
      prefilter: pair.prefilter, prefilterRank: pair.prefilterRank, pYes: pair.pYes, score: pair.score, truncated: pair.truncated,
    };
  });
}
