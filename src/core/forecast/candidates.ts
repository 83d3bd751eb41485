import { countWindow, type IndexedPatents, type WindowCounts } from './cooccurrence';
import type { ForecastWindows } from './windows';

/**
 * Candidate pairs, ascending by (first, second) with first < second (code ids of IndexedPatents).
 * Sorted by first code so that scorers can work one row of codes at a time.
 */
export interface CandidatePairs {
  /** Number of codes the ids refer to. */
  codeCount: number;
  first: Uint32Array;
  second: Uint32Array;
  length: number;
}

export interface CandidateSelection {
  pairs: CandidatePairs;
  /** Codes carried by at least one patent of the embedding window, ascending. */
  embedCodes: Uint32Array;
  /** Counts over every patent up to the end of the embedding window ("ever", for the rule). */
  history: WindowCounts;
}

/**
 * Candidates = unordered pairs {i, j} of distinct codes that both occur on some patent of the
 * embedding window and that no patent of any year up to the end of the embedding window carries
 * together. Every year before the embedding window counts, also years before the learning window,
 * so a "new" combination is new to the whole record available at forecast time.
 */
export function selectCandidates(indexed: IndexedPatents, windows: ForecastWindows): CandidateSelection {
  const n = indexed.codes.length;
  const history = countWindow(indexed, { from: Number.NEGATIVE_INFINITY, to: windows.embed.to });
  const embed = countWindow(indexed, windows.embed);
  const present: number[] = [];
  for (let i = 0; i < n; i++) if (embed.codePatents[i] > 0) present.push(i);
  const embedCodes = Uint32Array.from(present);
  const isPresent = new Uint8Array(n);
  for (const i of present) isPresent[i] = 1;

  let seenAmongPresent = 0;
  for (const key of history.pairs.keys()) {
    const i = Math.floor(key / n);
    if (isPresent[i] && isPresent[key - i * n]) seenAmongPresent++;
  }
  const length = (present.length * (present.length - 1)) / 2 - seenAmongPresent;
  const first = new Uint32Array(length);
  const second = new Uint32Array(length);
  let next = 0;
  for (let a = 0; a < present.length; a++) {
    const i = present[a];
    for (let b = a + 1; b < present.length; b++) {
      const j = present[b];
      if (history.pairs.has(i * n + j)) continue;
      first[next] = i;
      second[next] = j;
      next++;
    }
  }
  return { pairs: { codeCount: n, first, second, length }, embedCodes, history };
}
