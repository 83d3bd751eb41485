import type { TechniqueScores } from '../engines/match-engine';
import { datasetStore } from './store-client';

/** One patent's answer, as the Match view lists it and exports it. */
export interface MatchRow {
  rank: number;
  id: string;
  title: string;
  year: number | null;
  /** NaN when the patent's batch failed (see note). */
  probability: number;
  /** Why the answer is partial or missing: text cut to the model's context, or the batch's error. */
  note: string;
}

/** Patent positions by P(Yes), highest first, unscored (NaN) last; ties keep the scores' order. */
export function rankByProbability(probabilities: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: probabilities.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(probabilities[i]) ? Number.NEGATIVE_INFINITY : probabilities[i]);
  return order.sort((a, b) => key(b) - key(a) || a - b);
}

export const TRUNCATED_NOTE = "text cut to fit the model's context";

/** The note of one patent's row: its batch's failure, or that its text was cut. */
export function rowNote(scores: Pick<TechniqueScores, 'truncated' | 'failures' | 'patentIds'>, index: number): string {
  const id = scores.patentIds[index];
  const failure = scores.failures.find((f) => f.patentIds.includes(id));
  if (failure) return `not scored: ${failure.reason}`;
  return scores.truncated[index] ? TRUNCATED_NOTE : '';
}

/** Patents scoring at least `threshold`. */
export function countAbove(probabilities: ArrayLike<number>, threshold: number): number {
  let count = 0;
  for (let i = 0; i < probabilities.length; i++) if (probabilities[i] >= threshold) count++;
  return count;
}

/**
 * Ranks `from` … `to` (exclusive) with their titles and years, read from the store for those
 * patents only: the page shows the top of the list, an export asks for all of it.
 */
export async function matchRows(datasetId: string, scores: TechniqueScores, order: Int32Array, from = 0, to = order.length): Promise<MatchRow[]> {
  const slice = Array.from(order.subarray(from, Math.min(to, order.length)));
  const ids = slice.map((index) => scores.patentIds[index]);
  const patents = new Map((await (await datasetStore()).getPatentsByIds(datasetId, ids)).map((p) => [p.id, p]));
  return slice.map((index, k) => {
    const patent = patents.get(scores.patentIds[index]);
    return {
      rank: from + k + 1, id: scores.patentIds[index], title: patent?.title ?? '', year: patent?.year ?? null,
      probability: scores.probabilities[index], note: rowNote(scores, index),
    };
  });
}
