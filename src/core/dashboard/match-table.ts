/**
 * A matching job's pairs as the dashboard counts them: columns of typed arrays grouped by patent,
 * each patent's pairs sorted by score (best first), with integer ids for patents and sections.
 *
 * Why this shape: 650 k patents × 10 pairs are 6.5 M pairs. As objects they would take gigabytes;
 * as columns 14 bytes a pair (4 more once a section's list is opened). Sorting each patent's pairs once means that for any threshold a
 * patent's matches are a prefix of its pairs, so every count at a new threshold is one pass that
 * stops early in each patent (no re-sorting, no re-reading the job), and a selection of patents is
 * counted by visiting only its patents.
 */
import type { CatalogueSection } from '../catalogue/types';
import type { MatchJobSettings, MatchPair, MatchPairChunk } from '../match-job/types';
import type { Catalogue } from '../catalogue/catalogue';
import { CatalogueIndex } from './catalogue-index';
import { pairsBySection } from './score-order';

/**
 * Which number a pair counts with. P(Yes) always wins when the pair has one. Without it, a pair of
 * a job that was not verified counts with its prefilter score; a pair of a verified job that has no
 * P(Yes) (failed, or still waiting) does not count at all, because its prefilter score is on another
 * scale than P(Yes) and would be mixed into the same threshold.
 */
export interface ScoreRule {
  fallbackToPrefilter: boolean;
}

/** The rule for a job: fall back to the prefilter only when the job has no Yes/No stage. */
export function scoreRuleForJob(settings: Pick<MatchJobSettings, 'verify'>): ScoreRule {
  return { fallbackToPrefilter: !settings.verify };
}

/** The pair's score under the rule; NaN when it does not count (never reaches any threshold). */
export function pairScore(prefilter: number, pYes: number | null, rule: ScoreRule): number {
  if (pYes !== null && Number.isFinite(pYes)) return pYes;
  return rule.fallbackToPrefilter && Number.isFinite(prefilter) ? prefilter : Number.NaN;
}

export interface Thresholds {
  /** A pair is a match when its score ≥ relevance; every count uses it. */
  relevance: number;
  /** Lists (top patents, a section's patents) show matches whose score is also ≥ display. */
  display: number;
}

/** The values the reference dashboard starts with. */
export const DEFAULT_THRESHOLDS: Thresholds = { relevance: 0.5, display: 0.68 };

/**
 * Scores are float32 (the job stores P(Yes) as float32), so a threshold is compared in float32 too:
 * otherwise a pair stored as 0.7 would miss a threshold of 0.7 (fround(0.7) < 0.7).
 */
export function scoreCut(threshold: number): number {
  return Math.fround(threshold);
}

/** The cut lists use: a listed pair is a match (≥ relevance) that passes the display filter. */
export function listCut(thresholds: Thresholds): number {
  return scoreCut(Math.max(thresholds.relevance, thresholds.display));
}

/** A set of patents (the map's selection) as sorted patent numbers of one table. */
export class PatentSelection {
  constructor(
    /** The table whose patent numbers these are (a selection does not carry over to another job). */
    readonly table: MatchTable,
    /** Patent numbers, ascending, without repeats. */
    readonly patents: Int32Array,
    /** Ids asked for that the table does not have (patents without pairs, or another dataset's). */
    readonly unknown: number,
  ) {}
}

class GrowingInts {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

class GrowingFloats {
  data = new Float32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/** Pairs whose section the catalogue does not have: left out of the dashboard, and said so. */
export interface SkippedPairs {
  count: number;
  /** Up to five of the section ids, for the message. */
  examples: string[];
}

/** Collects pairs one at a time (or a stored chunk at a time) so no array of pair objects is needed. */
export class MatchTableBuilder {
  private readonly index: CatalogueIndex;
  private readonly patentIds: string[] = [];
  private readonly patentNumber = new Map<string, number>();
  private readonly patent = new GrowingInts();
  private readonly section = new GrowingInts();
  private readonly prefilter = new GrowingFloats();
  private readonly pYes = new GrowingFloats();
  private readonly skipped: SkippedPairs = { count: 0, examples: [] };
  private built = false;

  constructor(catalogue: Catalogue | CatalogueIndex, private readonly rule: ScoreRule) {
    this.index = catalogue instanceof CatalogueIndex ? catalogue : new CatalogueIndex(catalogue);
  }

  add(patentId: string, sectionId: string, prefilter: number, pYes: number | null): void {
    if (this.built) throw new Error('MatchTableBuilder: pairs added after build().');
    const section = this.index.sectionIndex(sectionId);
    if (section === -1) {
      this.skipped.count++;
      if (this.skipped.examples.length < 5 && !this.skipped.examples.includes(sectionId)) this.skipped.examples.push(sectionId);
      return;
    }
    let patent = this.patentNumber.get(patentId);
    if (patent === undefined) {
      patent = this.patentIds.length;
      this.patentIds.push(patentId);
      this.patentNumber.set(patentId, patent);
    }
    this.patent.push(patent);
    this.section.push(section);
    this.prefilter.push(prefilter);
    this.pYes.push(pYes === null ? Number.NaN : pYes);
  }

  addPair(pair: Pick<MatchPair, 'patentId' | 'sectionId' | 'prefilter' | 'pYes'>): void {
    this.add(pair.patentId, pair.sectionId, pair.prefilter, pair.pYes);
  }

  /** A stored chunk as it is (NaN P(Yes) = not verified), without making pair objects. */
  addChunk(chunk: Pick<MatchPairChunk, 'patentIds' | 'sectionIds' | 'prefilter' | 'pYes'>): void {
    for (let i = 0; i < chunk.patentIds.length; i++) {
      const y = chunk.pYes[i];
      this.add(chunk.patentIds[i], chunk.sectionIds[i], chunk.prefilter[i], Number.isFinite(y) ? y : null);
    }
  }

  /** Once: the builder lets go of its columns, so they do not sit next to the table's. */
  build(): MatchTable {
    if (this.built) throw new Error('MatchTableBuilder.build() was already called; start a new builder for another table.');
    this.built = true;
    const n = this.patent.length;
    const patents = this.patentIds.length;
    const patentOf = this.patent.data;
    const sectionOf = this.section.data;
    const prefilter = this.prefilter.data;
    const pYes = this.pYes.data;
    const score = new Float32Array(n);
    for (let i = 0; i < n; i++) score[i] = pairScore(prefilter[i], Number.isFinite(pYes[i]) ? pYes[i] : null, this.rule);

    // Counting sort by patent, then each patent's pairs by score (best first).
    const start = new Int32Array(patents + 1);
    for (let i = 0; i < n; i++) start[patentOf[i] + 1]++;
    for (let p = 0; p < patents; p++) start[p + 1] += start[p];
    const fill = start.slice(0, patents);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[patentOf[i]]++] = i;
    // NaN (does not count) sorts last; equal scores by section number so the order is reproducible.
    const key = (i: number): number => (Number.isNaN(score[i]) ? Number.NEGATIVE_INFINITY : score[i]);
    const before = (a: number, b: number): number => key(b) - key(a) || sectionOf[a] - sectionOf[b];
    for (let p = 0; p < patents; p++) sortSlice(order, start[p], start[p + 1], before);

    // A pair listed twice (same patent and section) keeps its best score: it is one match, not two.
    const seen = new Int32Array(this.index.sectionCount).fill(-1);
    const keptStart = new Int32Array(patents + 1);
    let kept = 0;
    for (let p = 0; p < patents; p++) {
      for (let k = start[p]; k < start[p + 1]; k++) {
        const i = order[k];
        if (seen[sectionOf[i]] === p) continue;
        seen[sectionOf[i]] = p;
        order[kept++] = i;
      }
      keptStart[p + 1] = kept;
    }

    const section = this.index.sectionCount <= 0xffff ? new Uint16Array(kept) : new Int32Array(kept);
    const columns = { prefilter: new Float32Array(kept), pYes: new Float32Array(kept), score: new Float32Array(kept) };
    for (let k = 0; k < kept; k++) {
      const i = order[k];
      section[k] = sectionOf[i];
      columns.prefilter[k] = prefilter[i];
      columns.pYes[k] = pYes[i];
      columns.score[k] = score[i];
    }
    this.patent.data = new Int32Array(0);
    this.section.data = new Int32Array(0);
    this.prefilter.data = new Float32Array(0);
    this.pYes.data = new Float32Array(0);
    return new MatchTable(this.index, this.rule, this.patentIds, keptStart, section, columns.prefilter, columns.pYes, columns.score,
      { ...this.skipped, examples: [...this.skipped.examples] }, n - kept, this.patentNumber);
  }
}

/** Insertion sort for the usual handful of pairs, the engine's sort for a long list. */
function sortSlice(order: Int32Array, from: number, to: number, before: (a: number, b: number) => number): void {
  if (to - from > 24) {
    order.subarray(from, to).sort(before);
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const v = order[k];
    let j = k - 1;
    while (j >= from && before(order[j], v) > 0) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
}

/** Builds a table from pair objects (views and tests; a stored job is better fed chunk by chunk). */
export function matchTableFromPairs(
  catalogue: Catalogue | CatalogueIndex,
  pairs: Iterable<Pick<MatchPair, 'patentId' | 'sectionId' | 'prefilter' | 'pYes'>>,
  rule: ScoreRule,
): MatchTable {
  const builder = new MatchTableBuilder(catalogue, rule);
  for (const pair of pairs) builder.addPair(pair);
  return builder.build();
}

export class MatchTable {
  private patentNumbers: Map<string, number> | null = null;
  private bySectionIndex: { start: Int32Array; pairs: Int32Array } | null = null;

  constructor(
    readonly index: CatalogueIndex,
    readonly rule: ScoreRule,
    /** Patent number → id, in the order patents first appeared. */
    readonly patentIds: readonly string[],
    /** The pairs of patent p are `patentStart[p] … patentStart[p+1]`, best score first. */
    readonly patentStart: Int32Array,
    /** Per pair: the section's place in `catalogue.sections`. */
    readonly section: Uint16Array | Int32Array,
    readonly prefilter: Float32Array,
    /** NaN where the pair has no P(Yes). */
    readonly pYes: Float32Array,
    /** The score under `rule`; NaN where the pair does not count. */
    readonly score: Float32Array,
    readonly skipped: SkippedPairs,
    /** Pairs dropped because the same patent–section pair came again (the best was kept). */
    readonly duplicates: number,
    /** The builder's id → number map, when it has one (else built on first lookup). */
    patentNumbers: Map<string, number> | null = null,
  ) {
    this.patentNumbers = patentNumbers;
  }

  get catalogue(): Catalogue {
    return this.index.catalogue;
  }

  get patentCount(): number {
    return this.patentIds.length;
  }

  get pairCount(): number {
    return this.score.length;
  }

  /** Patent number of an id, -1 when the table has no pair for it. */
  patentNumber(id: string): number {
    this.patentNumbers ??= new Map(this.patentIds.map((p, i) => [p, i]));
    return this.patentNumbers.get(id) ?? -1;
  }

  /** End of patent p's matched prefix: its pairs `patentStart[p] … end` have score ≥ cut. */
  matchedEnd(patent: number, cut: number): number {
    let k = this.patentStart[patent];
    const end = this.patentStart[patent + 1];
    while (k < end && this.score[k] >= cut) k++;
    return k;
  }

  /** The patent a pair belongs to (binary search over the patent offsets). */
  patentOfPair(pair: number): number {
    let lo = 0;
    let hi = this.patentIds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.patentStart[mid] <= pair) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  sectionOfPair(pair: number): CatalogueSection {
    return this.index.catalogue.sections[this.section[pair]];
  }

  /** The patents of the ids (unknown ids counted, not fatal: a selection may hold unmatched patents). */
  select(ids: Iterable<string>): PatentSelection {
    const numbers: number[] = [];
    let unknown = 0;
    for (const id of ids) {
      const p = this.patentNumber(id);
      if (p === -1) unknown++;
      else numbers.push(p);
    }
    const sorted = Int32Array.from(new Set(numbers)).sort();
    return new PatentSelection(this, sorted, unknown);
  }

  /** Throws when the selection was made on another table (its patent numbers mean other patents here). */
  checkSelection(selection: PatentSelection | null | undefined): void {
    if (selection && selection.table !== this) throw new Error('This selection was made on another match table; select the patents again on this one.');
  }

  /** Calls fn for every patent in the selection (all patents when there is none). */
  forEachPatent(selection: PatentSelection | null | undefined, fn: (patent: number) => void): void {
    this.checkSelection(selection);
    if (selection) for (const p of selection.patents) fn(p);
    else for (let p = 0; p < this.patentIds.length; p++) fn(p);
  }

  /**
   * Per section, its pairs best score first: `pairs[start[s] … start[s+1])`. Built on first use
   * (4 bytes a pair), since only a section's patent list needs it.
   */
  bySection(): { start: Int32Array; pairs: Int32Array } {
    if (this.bySectionIndex) return this.bySectionIndex;
    const { start, pairs } = pairsBySection(this.section, this.score, this.index.sectionCount);
    this.bySectionIndex = { start, pairs };
    return this.bySectionIndex;
  }
}
