/**
 * Each patent's relevance to one pollutant or one section, for the patent map's colours: the best
 * score among its pairs whose section is that section, or is linked to that pollutant. Pairs are
 * sorted best first within a patent, so the first qualifying pair is the patent's value.
 */
import type { MatchTable } from './match-table';

export type RelevanceTarget = { pollutant: number } | { sectionId: string };

export interface PatentRelevance {
  patentIds: readonly string[];
  /** Per patent of `patentIds`: the best score for the target; NaN where none of its pairs is one. */
  scores: Float32Array;
}

export function patentRelevance(table: MatchTable, target: RelevanceTarget): PatentRelevance {
  const qualifies = sectionMask(table, target);
  const scores = new Float32Array(table.patentCount).fill(Number.NaN);
  for (let p = 0; p < table.patentCount; p++) {
    for (let k = table.patentStart[p]; k < table.patentStart[p + 1]; k++) {
      if (qualifies[table.section[k]] === 1 && Number.isFinite(table.score[k])) { scores[p] = table.score[k]; break; }
    }
  }
  return { patentIds: table.patentIds, scores };
}

function sectionMask(table: MatchTable, target: RelevanceTarget): Uint8Array {
  if ('pollutant' in target) {
    if (!Number.isInteger(target.pollutant) || target.pollutant < 0 || target.pollutant >= table.index.pollutantCount) {
      throw new RangeError(`Pollutant ${target.pollutant} is not in the catalogue.`);
    }
    return table.index.sectionsLinkedTo(target.pollutant);
  }
  const s = table.index.sectionIndex(target.sectionId);
  if (s === -1) throw new RangeError(`Section ${target.sectionId} is not in the catalogue.`);
  const mask = new Uint8Array(table.index.sectionCount);
  mask[s] = 1;
  return mask;
}
