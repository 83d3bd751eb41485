/** Cutting a shortlist into the chunks a job stores, and reading the pairs back. */
import { finalScore, type MatchPair, type MatchPairChunk } from './types';
import type { Shortlist } from './shortlist';

/**
 * Pairs per chunk: one verify batch and one transaction. 64 pairs are 0.3–3 s of the tiny model
 * on a CPU, so a reload loses at most that, and 650,000 × 10 pairs make ~100,000 small records.
 */
export const PAIRS_PER_CHUNK = 64;

export function toChunks(
  datasetId: string, jobId: string, shortlist: Shortlist, patentIds: readonly string[], sectionIds: readonly string[],
  pairsPerChunk = PAIRS_PER_CHUNK,
): MatchPairChunk[] {
  const chunks: MatchPairChunk[] = [];
  const total = shortlist.patent.length;
  for (let start = 0, chunk = 0; start < total; start += pairsPerChunk, chunk++) {
    const end = Math.min(total, start + pairsPerChunk);
    const n = end - start;
    chunks.push({
      datasetId, jobId, chunk,
      patentIds: Array.from(shortlist.patent.subarray(start, end), (p) => patentIds[p]),
      sectionIds: Array.from(shortlist.section.subarray(start, end), (s) => sectionIds[s]),
      prefilter: shortlist.prefilter.slice(start, end),
      prefilterRank: shortlist.rank.slice(start, end),
      pYes: new Float32Array(n).fill(Number.NaN),
      truncated: new Uint8Array(n),
      failed: new Uint8Array(n),
    });
  }
  return chunks;
}

/** Pairs before chunk `chunk` (every chunk but the last is full). */
export function pairsBefore(chunk: number, totalPairs: number, pairsPerChunk = PAIRS_PER_CHUNK): number {
  return Math.min(totalPairs, chunk * pairsPerChunk);
}

export function pairsOf(chunks: readonly MatchPairChunk[]): MatchPair[] {
  return chunks.flatMap((c) => c.patentIds.map((patentId, i) => ({
    patentId,
    sectionId: c.sectionIds[i],
    prefilter: c.prefilter[i],
    prefilterRank: c.prefilterRank[i],
    pYes: Number.isFinite(c.pYes[i]) ? c.pYes[i] : null,
    truncated: c.truncated[i] === 1,
    score: finalScore(c.prefilter[i], c.pYes[i]),
  })));
}
