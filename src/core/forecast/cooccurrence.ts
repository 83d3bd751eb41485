import { codeAt } from '../codes';
import type { CodeLevel } from '../types';
import { inRange, type YearRange } from './windows';

/** What a forecast needs of a patent. */
export interface ForecastPatent {
  id: string;
  year: number;
  codes: readonly string[];
  /** Read only by the text-tfidf method. */
  title?: string | null;
  abstract?: string | null;
}

/**
 * Patents reduced to their distinct codes at one level, as compressed rows (CSR): the codes of
 * patent p are codeIds[offsets[p] .. offsets[p+1]), ascending. Code ids index `codes` (sorted).
 * Patents without a code at the level are dropped: they cannot take part in a combination.
 */
export interface IndexedPatents {
  level: CodeLevel;
  codes: string[];
  ids: string[];
  years: Int32Array;
  offsets: Uint32Array;
  codeIds: Uint32Array;
}

/** Counts over the patents of one window. */
export interface WindowCounts {
  range: YearRange;
  /** Patents in the window with at least one code at the level. */
  patents: number;
  /** k_i: number of the window's patents that carry code i. */
  codePatents: Uint32Array;
  /** d_p: number of distinct codes of each of the window's patents, in index order. */
  patentCodeCounts: Uint32Array;
  /** Patents carrying both codes, keyed by {@link pairKey}; only pairs seen at least once. */
  pairs: Map<number, number>;
}

export function indexPatents(patents: readonly ForecastPatent[], level: CodeLevel): IndexedPatents {
  const perPatent: string[][] = [];
  const kept: ForecastPatent[] = [];
  const allCodes = new Set<string>();
  for (const patent of patents) {
    const codes = new Set<string>();
    for (const raw of patent.codes) {
      const code = codeAt(level, raw);
      if (code !== null) codes.add(code);
    }
    if (codes.size === 0) continue;
    kept.push(patent);
    perPatent.push([...codes]);
    for (const code of codes) allCodes.add(code);
  }
  const codes = [...allCodes].sort();
  const idOf = new Map(codes.map((code, i) => [code, i]));
  const offsets = new Uint32Array(kept.length + 1);
  perPatent.forEach((list, p) => { offsets[p + 1] = offsets[p] + list.length; });
  const codeIds = new Uint32Array(offsets[kept.length]);
  perPatent.forEach((list, p) => {
    const ids = list.map((code) => idOf.get(code) as number).sort((a, b) => a - b);
    codeIds.set(ids, offsets[p]);
  });
  return {
    level,
    codes,
    ids: kept.map((p) => p.id),
    years: Int32Array.from(kept, (p) => p.year),
    offsets,
    codeIds,
  };
}

/**
 * One number per unordered pair i < j of n codes. Exact in a double while n² < 2⁵³, i.e. for any
 * code list that fits in memory.
 */
export function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}

export function splitPairKey(key: number, n: number): [number, number] {
  const i = Math.floor(key / n);
  return [i, key - i * n];
}

/**
 * Code, patent and pair counts of the patents whose year lies in `range`. Memory is O(codes +
 * patents + distinct co-occurring pairs); pairs never seen take no space.
 */
export function countWindow(indexed: IndexedPatents, range: YearRange): WindowCounts {
  const n = indexed.codes.length;
  const codePatents = new Uint32Array(n);
  const degrees: number[] = [];
  const pairs = new Map<number, number>();
  const { offsets, codeIds, years } = indexed;
  for (let p = 0; p < years.length; p++) {
    if (!inRange(years[p], range)) continue;
    const start = offsets[p];
    const end = offsets[p + 1];
    degrees.push(end - start);
    for (let a = start; a < end; a++) {
      const i = codeIds[a];
      codePatents[i]++;
      for (let b = a + 1; b < end; b++) {
        const key = i * n + codeIds[b];
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  return { range, patents: degrees.length, codePatents, patentCodeCounts: Uint32Array.from(degrees), pairs };
}

/** The patents of a window as (patent, code) edges, patents in index order: the bipartite graph. */
export function windowEdges(indexed: IndexedPatents, range: YearRange): { offsets: Uint32Array; codes: Uint32Array } {
  const { offsets, codeIds, years } = indexed;
  const kept: number[] = [];
  for (let p = 0; p < years.length; p++) if (inRange(years[p], range)) kept.push(p);
  const outOffsets = new Uint32Array(kept.length + 1);
  kept.forEach((p, r) => { outOffsets[r + 1] = outOffsets[r] + offsets[p + 1] - offsets[p]; });
  const codes = new Uint32Array(outOffsets[kept.length]);
  kept.forEach((p, r) => codes.set(codeIds.subarray(offsets[p], offsets[p + 1]), outOffsets[r]));
  return { offsets: outOffsets, codes };
}
