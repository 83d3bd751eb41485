/**
 * The pollution dashboard's computations, pure and synchronous (a worker or a view wires them).
 *
 * API
 * - Build once per job: `new MatchTableBuilder(catalogue, scoreRuleForJob(job.settings))`, then
 *   `addChunk(chunk)` per stored chunk (or `addPair`), then `build()` → MatchTable; or
 *   `matchTableFromPairs(catalogue, pairs, rule)`. Pairs whose section the catalogue lacks are
 *   left out and counted in `table.skipped`; a repeated patent–section pair keeps its best score.
 * - Score rule (ScoreRule): P(Yes) when the pair has one; else the prefilter score only when the
 *   job was not verified; else the pair does not count.
 * - Thresholds: `relevance` (default 0.5) makes a pair a match (score ≥ relevance) and drives
 *   every count; `display` (default 0.68) only filters what lists show (matches with score ≥ it).
 * - `new Dashboard(table, impacts?)` holds the thresholds and caches the counts per relevance and
 *   selection, so changing `display` or reopening a view recounts nothing, and changing
 *   `relevance` is one pass over the matched pairs (no re-sort, no job re-read).
 *   - `pollutants(query?, selection?)`: PollutantRow[] by patents desc then name (search: case-
 *     and accent-insensitive substring); `pollutant(index, { selection })`: its sections, top patents.
 *   - `tree({ relevantOnly, pollutant }, selection?)`: documents → chapters → sections with counts
 *     (rules in tree.ts); `section(id)`: a section's own patents by score; `node(id)`: the
 *     patents behind a node's count (at or below it), each with its best section there.
 *   - `goals()`: per SDG the pollutants affecting it; `sdg({ rankBy })`: per-goal patent counts
 *     and reach, patents ranked by total reach or by one goal's; `patent(id)`: one patent's
 *     sections with their scores, the pollutants and SDGs it reaches.
 * - Selection: `dashboard.select(ids)` (or `table.select`) → PatentSelection; every list and
 *   count above takes one (as an argument or `{ selection }`) and then visits only the selected
 *   patents' pairs: the table, its sort and the catalogue index are reused, nothing is rebuilt.
 * The functions behind the methods (countMatches, rankPollutants, brefTree, …) are exported too.
 */
import type { MatchCounts } from './counts';
import { countMatches } from './counts';
import { type PatentDetail, patentDetail } from './detail';
import { type ListOptions, type PollutantDetail, pollutantDetail, type PollutantRow, rankPollutants } from './pollutants';
import { type GoalPollutants, goalPollutants, ImpactMatrix, type ReachOptions, type SdgImpactTable, type SdgReach, sdgReach } from './sdg';
import { DEFAULT_THRESHOLDS, type MatchTable, type PatentSelection, type Thresholds } from './match-table';
import { type BrefTreeNode, brefTree, type NodePatents, nodePatents, type SectionPatents, sectionPatents, type TreeOptions } from './tree';

export { CatalogueIndex } from './catalogue-index';
export { countMatches, type MatchCounts } from './counts';
export * from './detail';
export * from './match-table';
export * from './pollutants';
export * from './sdg';
export * from './tree';

/** Counts kept per (relevance, selection): enough for a slider's last stops and a toggled selection. */
const CACHED_COUNTS = 4;

export class Dashboard {
  private current: Thresholds;
  private readonly counted: MatchCounts[] = [];
  private readonly impacts: ImpactMatrix | null;

  constructor(readonly table: MatchTable, impacts: SdgImpactTable | null = null, thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    this.impacts = impacts ? new ImpactMatrix(impacts, table.index.pollutantCount) : null;
    this.current = checkThresholds(thresholds);
  }

  get thresholds(): Thresholds {
    return this.current;
  }

  setThresholds(thresholds: Partial<Thresholds>): void {
    this.current = checkThresholds({ ...this.current, ...thresholds });
  }

  select(patentIds: Iterable<string>): PatentSelection {
    return this.table.select(patentIds);
  }

  /** Counts at the current relevance for the selection (the same selection object hits the cache). */
  counts(selection: PatentSelection | null = null): MatchCounts {
    const relevance = this.current.relevance;
    const hit = this.counted.find((c) => c.relevance === relevance && c.selection === selection);
    if (hit) return hit;
    const fresh = countMatches(this.table, relevance, selection);
    this.counted.unshift(fresh);
    this.counted.length = Math.min(this.counted.length, CACHED_COUNTS);
    return fresh;
  }

  pollutants(query = '', selection: PatentSelection | null = null): PollutantRow[] {
    return rankPollutants(this.table, this.counts(selection), query);
  }

  pollutant(index: number, options: ListOptions = {}): PollutantDetail {
    return pollutantDetail(this.table, index, this.current, options);
  }

  tree(options: TreeOptions = {}, selection: PatentSelection | null = null): BrefTreeNode[] {
    return brefTree(this.table, this.counts(selection), options);
  }

  /** The section's own pairs (not those below it), by score. */
  section(sectionId: string, options: ListOptions = {}): SectionPatents {
    return sectionPatents(this.table, sectionId, this.current, options);
  }

  /** The patents behind a tree node's count (at or below it), each with its best section there. */
  node(id: string, options: ListOptions = {}): NodePatents {
    return nodePatents(this.table, id, this.current, options);
  }

  /** [] without an impact table. */
  goals(): GoalPollutants[] {
    return this.impacts ? goalPollutants(this.table.catalogue, this.impacts) : [];
  }

  /** null without an impact table. */
  sdg(options: ReachOptions = {}): SdgReach | null {
    return this.impacts ? sdgReach(this.table, this.impacts, this.current.relevance, options) : null;
  }

  patent(patentId: string): PatentDetail | undefined {
    return patentDetail(this.table, patentId, this.current, this.impacts);
  }
}

function checkThresholds(t: Thresholds): Thresholds {
  for (const key of ['relevance', 'display'] as const) {
    if (!Number.isFinite(t[key])) throw new RangeError(`The ${key} threshold must be a number, not ${t[key]}.`);
  }
  return { relevance: t.relevance, display: t.display };
}
