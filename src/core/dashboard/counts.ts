/**
 * Everything the dashboard counts at one relevance threshold, in one pass over the pairs: distinct
 * patents per tree node (document, chapter, section) and per pollutant.
 *
 * "Distinct" is kept with stamp arrays: a node's (or pollutant's) stamp holds the last patent that
 * was counted there, so a patent matched at two sections of one chapter counts once for the chapter.
 * Each patent's pairs are sorted best first, so the pass stops at the first pair under the cut: the
 * cost is O(matched pairs × (depth + pollutants per section)), never a re-sort, and with a selection
 * only the selected patents are visited.
 */
import { type MatchTable, type PatentSelection, scoreCut } from './match-table';

export interface MatchCounts {
  relevance: number;
  /** The selection counted, null for all patents. */
  selection: PatentSelection | null;
  /** Patents with at least one match. */
  patents: number;
  /** Matched pairs. */
  pairs: number;
  /** Per tree node (documents, then sections; see CatalogueIndex): patents matched at or below it. */
  nodes: Int32Array;
  /** Per catalogue pollutant: patents matched at a section linked to it. */
  pollutants: Int32Array;
}

export function countMatches(table: MatchTable, relevance: number, selection: PatentSelection | null = null): MatchCounts {
  const { index, patentStart, section } = table;
  const cut = scoreCut(relevance);
  const nodes = new Int32Array(index.nodeCount);
  const pollutants = new Int32Array(index.pollutantCount);
  const nodeStamp = new Int32Array(index.nodeCount).fill(-1);
  const pollutantStamp = new Int32Array(index.pollutantCount).fill(-1);
  const { rollupStart, rollup, pollutantStart, pollutants: pollutantList } = index;
  let patents = 0;
  let pairs = 0;
  table.forEachPatent(selection, (p) => {
    const end = table.matchedEnd(p, cut);
    const begin = patentStart[p];
    if (end === begin) return;
    patents++;
    pairs += end - begin;
    for (let k = begin; k < end; k++) {
      const s = section[k];
      for (let r = rollupStart[s]; r < rollupStart[s + 1]; r++) {
        const node = rollup[r];
        if (nodeStamp[node] !== p) {
          nodeStamp[node] = p;
          nodes[node]++;
        }
      }
      for (let r = pollutantStart[s]; r < pollutantStart[s + 1]; r++) {
        const q = pollutantList[r];
        if (pollutantStamp[q] !== p) {
          pollutantStamp[q] = p;
          pollutants[q]++;
        }
      }
    }
  });
  return { relevance, selection, patents, pairs, nodes, pollutants };
}

/**
 * The pollutants a patent abates at the cut (sections matched ≥ cut and linked to them), each with
 * its best score and the section giving it, in the order first reached (best score first).
 */
export function patentPollutants(table: MatchTable, patent: number, cut: number): { pollutant: number; score: number; pair: number }[] {
  const { index, patentStart, section, score } = table;
  const out: { pollutant: number; score: number; pair: number }[] = [];
  const end = table.matchedEnd(patent, cut);
  for (let k = patentStart[patent]; k < end; k++) {
    const s = section[k];
    for (let r = index.pollutantStart[s]; r < index.pollutantStart[s + 1]; r++) {
      const q = index.pollutants[r];
      if (!out.some((o) => o.pollutant === q)) out.push({ pollutant: q, score: score[k], pair: k });
    }
  }
  return out;
}
