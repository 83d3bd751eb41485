/**
 * The pollutant cards: every catalogue pollutant with the number of distinct patents that abate it
 * (a patent abates a pollutant when one of its matches, at the relevance threshold, is a section
 * linked to the pollutant), ranked, searchable by name; and one pollutant's sections and top patents.
 */
import type { CatalogueSection, Pollutant } from '../catalogue/types';
import type { MatchCounts } from './counts';
import { listCut, type MatchTable, type PatentSelection, scoreCut, type Thresholds } from './match-table';

export interface PollutantRow {
  pollutant: Pollutant;
  /** Distinct patents abating it (see MatchCounts.pollutants). */
  patents: number;
  /** Catalogue sections linked to it. */
  sections: number;
}

/** Lower case without accents or other combining marks, so `pcdd` finds `PCDD/PCDF` and `ozone` finds `Ózone`. */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Pollutants whose name contains the query (case- and accent-insensitive; an empty query keeps
 * all), by patent count descending, then by name so equal counts keep a stable, readable order.
 */
export function rankPollutants(table: MatchTable, counts: MatchCounts, query = ''): PollutantRow[] {
  const needle = searchKey(query.trim());
  const catalogue = table.catalogue;
  const rows = catalogue.pollutants
    .filter((p) => needle === '' || searchKey(p.name).includes(needle))
    .map((p): PollutantRow => ({ pollutant: p, patents: counts.pollutants[p.index], sections: catalogue.sectionsWith(p.index).length }));
  return rows.sort((a, b) => b.patents - a.patents || compareNames(a.pollutant.name, b.pollutant.name));
}

/** By search key, then by the raw name: the same order in every browser and in Node. */
function compareNames(a: string, b: string): number {
  const ka = searchKey(a);
  const kb = searchKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A patent in a pollutant's or a section's list. */
export interface ListedPatent {
  patentId: string;
  /** Patent number in the table. */
  patent: number;
  /** The pair it is listed with: its best section for the pollutant, or the section's own pair. */
  pair: number;
  section: CatalogueSection;
  score: number;
}

export interface PollutantDetail {
  pollutant: Pollutant;
  /** Catalogue sections linked to it, in catalogue order. */
  sections: readonly CatalogueSection[];
  /** Patents abating it at the relevance threshold (the card's number). */
  patents: number;
  /** Patents whose best linked section also passes the display threshold. */
  shown: number;
  /** The best `limit` of those, by score descending (ties: the order patents came in). */
  top: ListedPatent[];
}

export interface ListOptions {
  selection?: PatentSelection | null;
  /** Longest list returned (default 50). */
  limit?: number;
}

export function pollutantDetail(table: MatchTable, pollutant: number, thresholds: Thresholds, options: ListOptions = {}): PollutantDetail {
  const catalogue = table.catalogue;
  const entry = catalogue.pollutants[pollutant];
  if (!entry) throw new RangeError(`Pollutant ${pollutant} is not in the catalogue (it has ${catalogue.pollutants.length}).`);
  const linked = table.index.sectionsLinkedTo(pollutant);
  const relevance = scoreCut(thresholds.relevance);
  const display = listCut(thresholds);
  const { patentStart, section, score } = table;
  let patents = 0;
  const bestPair: number[] = [];
  table.forEachPatent(options.selection, (p) => {
    // Pairs are best first, so the first linked pair is the patent's best for this pollutant.
    for (let k = patentStart[p]; k < patentStart[p + 1] && score[k] >= relevance; k++) {
      if (!linked[section[k]]) continue;
      patents++;
      if (score[k] >= display) bestPair.push(k);
      return;
    }
  });
  const top = topPairs(table, bestPair, options.limit ?? 50);
  return { pollutant: entry, sections: catalogue.sectionsWith(pollutant), patents, shown: bestPair.length, top };
}

/** The best `limit` pairs by score; pairs arrive in patent order, which breaks ties. */
export function topPairs(table: MatchTable, pairs: number[], limit: number): ListedPatent[] {
  const { score } = table;
  const ranked = pairs.map((pair, at) => ({ pair, at })).sort((a, b) => score[b.pair] - score[a.pair] || a.at - b.at);
  return ranked.slice(0, Math.max(0, limit)).map(({ pair }) => {
    const patent = table.patentOfPair(pair);
    return { patentId: table.patentIds[patent], patent, pair, section: table.sectionOfPair(pair), score: score[pair] };
  });
}
