/**
 * SDG reach: which pollutants affect each goal, and how far a patent reaches into each goal through
 * the pollutants it abates. A patent's reach on goal g is Σ impact(g, p) over the distinct
 * pollutants p it abates at the relevance threshold (a pollutant counts once however many matched
 * sections lead to it); its total is the sum over goals.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { Pollutant } from '../catalogue/types';
import { type MatchTable, type PatentSelection, scoreCut } from './match-table';

export interface SdgGoal {
  number: number;
  title: string;
}

/** What the dashboard needs of the SDG × pollutant impacts; the bundled table satisfies it as it is. */
export interface SdgImpactTable {
  readonly goals: readonly SdgGoal[];
  /** Impact of a catalogue pollutant on goal `goalIndex` (place in `goals`); 0 when none. */
  impact(goalIndex: number, cataloguePollutant: number): number;
}

/**
 * The impacts as one goal × pollutant Float64Array, read once: the reach loop runs per matched
 * patent, and a method call with the table's own lookups per (goal, pollutant) would dominate it.
 */
export class ImpactMatrix {
  readonly values: Float64Array;
  readonly goalCount: number;

  constructor(readonly table: SdgImpactTable, readonly pollutantCount: number) {
    this.goalCount = table.goals.length;
    this.values = new Float64Array(this.goalCount * pollutantCount);
    for (let g = 0; g < this.goalCount; g++) {
      for (let p = 0; p < pollutantCount; p++) {
        const v = table.impact(g, p);
        if (!Number.isFinite(v) || v < 0) {
          throw new RangeError(`SDG impact of goal ${table.goals[g].number} on pollutant ${p} is ${v}; impacts must be numbers ≥ 0 (0 for none).`);
        }
        this.values[g * pollutantCount + p] = v;
      }
    }
  }

  at(goal: number, pollutant: number): number {
    return this.values[goal * this.pollutantCount + pollutant];
  }
}

export interface GoalPollutants {
  goal: SdgGoal;
  /** Pollutants with impact > 0 on the goal, strongest first (ties by catalogue order). */
  pollutants: { pollutant: Pollutant; impact: number }[];
}

export function goalPollutants(catalogue: Catalogue, impacts: ImpactMatrix): GoalPollutants[] {
  return impacts.table.goals.map((goal, g) => ({
    goal,
    pollutants: catalogue.pollutants
      .map((pollutant) => ({ pollutant, impact: impacts.at(g, pollutant.index) }))
      .filter((e) => e.impact > 0)
      .sort((a, b) => b.impact - a.impact || a.pollutant.index - b.pollutant.index),
  }));
}

export interface PatentReach {
  patentId: string;
  patent: number;
  /** Per goal (place in `goals`). */
  perGoal: Float64Array;
  total: number;
}

export interface SdgReach {
  relevance: number;
  /** Per goal: patents whose reach on it is > 0. */
  goalPatents: Int32Array;
  /** Per goal: the summed reach of all patents counted (the bar a chart draws). */
  goalReach: Float64Array;
  /** Patents with a total reach > 0. */
  patents: number;
  /** The best `limit` patents by total reach, or by one goal's (ties: the order patents came in). */
  top: PatentReach[];
}

/** Adds the reach of patent p on each goal into `into` (length goalCount); returns its total. */
export function reachOf(table: MatchTable, impacts: ImpactMatrix, patent: number, cut: number, stamp: Int32Array, into: Float64Array): number {
  const { index, patentStart, section } = table;
  const end = table.matchedEnd(patent, cut);
  let total = 0;
  for (let k = patentStart[patent]; k < end; k++) {
    const s = section[k];
    for (let r = index.pollutantStart[s]; r < index.pollutantStart[s + 1]; r++) {
      const q = index.pollutants[r];
      if (stamp[q] === patent) continue;
      stamp[q] = patent;
      for (let g = 0; g < impacts.goalCount; g++) {
        const v = impacts.values[g * impacts.pollutantCount + q];
        into[g] += v;
        total += v;
      }
    }
  }
  return total;
}

export interface ReachOptions {
  selection?: PatentSelection | null;
  /** Longest `top` list (default 50). */
  limit?: number;
  /**
   * Rank by the total (default) or by one goal's reach (its place in `goals`): then `top` holds
   * only the patents that reach that goal, the list behind the goal's patent count.
   */
  rankBy?: 'total' | number;
}

export function sdgReach(table: MatchTable, impacts: ImpactMatrix, relevance: number, options: ReachOptions = {}): SdgReach {
  const cut = scoreCut(relevance);
  const goals = impacts.goalCount;
  const rankBy = options.rankBy ?? 'total';
  if (rankBy !== 'total' && !(Number.isInteger(rankBy) && rankBy >= 0 && rankBy < goals)) {
    throw new RangeError(`rankBy must be 'total' or a goal index 0…${goals - 1}, not ${rankBy}.`);
  }
  const stamp = new Int32Array(table.index.pollutantCount).fill(-1);
  const goalPatents = new Int32Array(goals);
  const goalReach = new Float64Array(goals);
  const reach = new Float64Array(goals);
  const reached: { patent: number; by: number }[] = [];
  let patents = 0;
  table.forEachPatent(options.selection, (p) => {
    reach.fill(0);
    const total = reachOf(table, impacts, p, cut, stamp, reach);
    if (total <= 0) return;
    patents++;
    const by = rankBy === 'total' ? total : reach[rankBy];
    if (by > 0) reached.push({ patent: p, by });
    for (let g = 0; g < goals; g++) {
      if (reach[g] > 0) goalPatents[g]++;
      goalReach[g] += reach[g];
    }
  });
  reached.sort((a, b) => b.by - a.by || a.patent - b.patent);
  const top = reached.slice(0, Math.max(0, options.limit ?? 50)).map(({ patent }): PatentReach => {
    const perGoal = new Float64Array(goals);
    const total = reachOf(table, impacts, patent, cut, stamp.fill(-1), perGoal);
    return { patentId: table.patentIds[patent], patent, perGoal, total };
  });
  return { relevance, goalPatents, goalReach, patents, top };
}
