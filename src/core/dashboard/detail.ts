/**
 * One patent's panel: every section it was paired with (prefilter score, P(Yes), the score it
 * counts with, whether it is a match and whether lists show it), and the pollutants and SDGs it
 * reaches through its matched sections.
 */
import type { CatalogueSection, Pollutant } from '../catalogue/types';
import { patentPollutants } from './counts';
import { listCut, type MatchTable, scoreCut, type Thresholds } from './match-table';
import { type ImpactMatrix, reachOf, type SdgGoal } from './sdg';

export interface DetailSection {
  section: CatalogueSection;
  prefilter: number;
  /** null when the pair was not verified (or the model failed on it). */
  pYes: number | null;
  /** The score under the table's rule; null when the pair does not count. */
  score: number | null;
  /** score ≥ relevance. */
  matched: boolean;
  /** Matched and ≥ display. */
  shown: boolean;
}

export interface DetailPollutant {
  pollutant: Pollutant;
  /** The best matched section linked to it, and that pair's score. */
  section: CatalogueSection;
  score: number;
}

export interface DetailGoal {
  goal: SdgGoal;
  reach: number;
  /** The abated pollutants with impact > 0 on the goal, strongest first. */
  pollutants: { pollutant: Pollutant; impact: number }[];
}

export interface PatentDetail {
  patentId: string;
  /** Best score first (the table's order). */
  sections: DetailSection[];
  /** Best score first. */
  pollutants: DetailPollutant[];
  /** Goals with reach > 0, largest first (empty without an impact table). */
  goals: DetailGoal[];
  totalReach: number;
}

/** undefined when the table has no pair for the patent. */
export function patentDetail(table: MatchTable, patentId: string, thresholds: Thresholds, impacts: ImpactMatrix | null = null): PatentDetail | undefined {
  const p = table.patentNumber(patentId);
  if (p === -1) return undefined;
  const catalogue = table.catalogue;
  const relevance = scoreCut(thresholds.relevance);
  const display = listCut(thresholds);
  const sections: DetailSection[] = [];
  for (let k = table.patentStart[p]; k < table.patentStart[p + 1]; k++) {
    const score = table.score[k];
    const counts = !Number.isNaN(score);
    sections.push({
      section: table.sectionOfPair(k),
      prefilter: table.prefilter[k],
      pYes: Number.isNaN(table.pYes[k]) ? null : table.pYes[k],
      score: counts ? score : null,
      matched: counts && score >= relevance,
      shown: counts && score >= relevance && score >= display,
    });
  }
  const pollutants = patentPollutants(table, p, relevance).map((e): DetailPollutant => ({
    pollutant: catalogue.pollutants[e.pollutant],
    section: table.sectionOfPair(e.pair),
    score: e.score,
  }));
  const goals: DetailGoal[] = [];
  let totalReach = 0;
  if (impacts) {
    const perGoal = new Float64Array(impacts.goalCount);
    totalReach = reachOf(table, impacts, p, relevance, new Int32Array(catalogue.pollutants.length).fill(-1), perGoal);
    impacts.table.goals.forEach((goal, g) => {
      if (!(perGoal[g] > 0)) return;
      const through = pollutants
        .map((e) => ({ pollutant: e.pollutant, impact: impacts.at(g, e.pollutant.index) }))
        .filter((e) => e.impact > 0)
        .sort((a, b) => b.impact - a.impact || a.pollutant.index - b.pollutant.index);
      goals.push({ goal, reach: perGoal[g], pollutants: through });
    });
    goals.sort((a, b) => b.reach - a.reach || a.goal.number - b.goal.number);
  }
  return { patentId, sections, pollutants, goals, totalReach };
}
