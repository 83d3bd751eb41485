/**
 * The fast counts (sorted per-patent columns, stamps, early stops) against a naive recomputation
 * straight from the pair objects, on random catalogues and jobs: every threshold and selection
 * must give the same numbers. The naive side uses the catalogue's own ancestors() and pollutant
 * lists, not the dashboard's integer index.
 */
import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../../src/core/catalogue/catalogue';
import {
  countMatches,
  ImpactMatrix,
  matchTableFromPairs,
  nodePatents,
  pairScore,
  pollutantDetail,
  type ScoreRule,
  sdgReach,
  sectionPatents,
} from '../../../src/core/dashboard/dashboard';
import { pairsBySection } from '../../../src/core/dashboard/score-order';
import { mulberry32 } from '../../../src/core/random';
import { randomCatalogue } from './fixture';

interface RawPair { patentId: string; sectionId: string; prefilter: number; pYes: number | null }

function randomPairs(rng: () => number, catalogue: Catalogue, patents: number): RawPair[] {
  const pairs: RawPair[] = [];
  for (let p = 0; p < patents; p++) {
    const k = Math.floor(rng() * 6);
    for (let j = 0; j < k; j++) {
      const section = catalogue.sections[Math.floor(rng() * catalogue.sections.length)];
      // Scores on a coarse grid so that ties, repeats and scores equal to a threshold all happen.
      const pYes = rng() < 0.2 ? null : Math.round(rng() * 20) / 20;
      pairs.push({ patentId: `P${p}`, sectionId: section.id, prefilter: Math.round(rng() * 20) / 20, pYes });
    }
  }
  return pairs;
}

/** (patent → section → best counting score), the plain way. */
function bestScores(pairs: RawPair[], rule: ScoreRule): Map<string, Map<string, number>> {
  const best = new Map<string, Map<string, number>>();
  for (const pair of pairs) {
    const score = Math.fround(pairScore(pair.prefilter, pair.pYes === null ? null : Math.fround(pair.pYes), rule));
    if (Number.isNaN(score)) continue;
    const sections = best.get(pair.patentId) ?? new Map<string, number>();
    best.set(pair.patentId, sections);
    sections.set(pair.sectionId, Math.max(score, sections.get(pair.sectionId) ?? Number.NEGATIVE_INFINITY));
  }
  return best;
}

function naiveCounts(catalogue: Catalogue, best: Map<string, Map<string, number>>, threshold: number, only: Set<string> | null) {
  const nodePatents = new Map<string, Set<string>>();
  const pollutantPatents = catalogue.pollutants.map(() => new Set<string>());
  const sectionMatches = new Map<string, number>();
  let pairs = 0;
  let patents = 0;
  for (const [patent, sections] of best) {
    if (only && !only.has(patent)) continue;
    let any = false;
    for (const [id, score] of sections) {
      if (score < Math.fround(threshold)) continue;
      any = true;
      pairs++;
      sectionMatches.set(id, (sectionMatches.get(id) ?? 0) + 1);
      const section = catalogue.section(id)!;
      for (const node of [section.id, ...catalogue.ancestors(id).map((a) => a.id), section.document]) {
        const set = nodePatents.get(node) ?? new Set<string>();
        set.add(patent);
        nodePatents.set(node, set);
      }
      for (const p of section.pollutants) pollutantPatents[p].add(patent);
    }
    if (any) patents++;
  }
  const nodes = [...catalogue.documents.map((d) => d.code), ...catalogue.sections.map((s) => s.id)].map((id) => nodePatents.get(id)?.size ?? 0);
  return { patents, pairs, nodes, pollutants: pollutantPatents.map((s) => s.size), sectionMatches, pollutantPatents };
}

describe('fast counting against a naive recomputation', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees on random job ${seed}`, () => {
      const rng = mulberry32(seed);
      const catalogue = randomCatalogue(rng, 3, 30, 6);
      const pairs = randomPairs(rng, catalogue, 60);
      const rule: ScoreRule = { fallbackToPrefilter: seed % 2 === 0 };
      const table = matchTableFromPairs(catalogue, pairs, rule);
      const best = bestScores(pairs, rule);
      const impacts = new ImpactMatrix({
        goals: [{ number: 1, title: 'g1' }, { number: 2, title: 'g2' }],
        impact: (g, p) => ((g + 1) * (p + 2)) % 5,
      }, catalogue.pollutants.length);
      const selectedIds = [...best.keys()].filter(() => rng() < 0.4);
      const selection = table.select(selectedIds);

      for (const threshold of [0, 0.25, 0.5, 0.55, 0.68, 0.95, 1.01]) {
        for (const [sel, only] of [[null, null], [selection, new Set(selectedIds)]] as const) {
          const fast = countMatches(table, threshold, sel);
          const naive = naiveCounts(catalogue, best, threshold, only);
          expect([fast.patents, fast.pairs]).toEqual([naive.patents, naive.pairs]);
          expect(Array.from(fast.nodes)).toEqual(naive.nodes);
          expect(Array.from(fast.pollutants)).toEqual(naive.pollutants);

          const thresholds = { relevance: threshold, display: 0.6 };
          for (const p of catalogue.pollutants) expect(pollutantDetail(table, p.index, thresholds, { selection: sel }).patents).toBe(naive.pollutants[p.index]);
          for (const s of catalogue.sections) expect(sectionPatents(table, s.id, thresholds, { selection: sel }).patents).toBe(naive.sectionMatches.get(s.id) ?? 0);
          const nodeIds = [...catalogue.documents.map((d) => d.code), ...catalogue.sections.map((s) => s.id)];
          expect(nodeIds.map((id) => nodePatents(table, id, thresholds, { selection: sel }).patents)).toEqual(naive.nodes);

          // SDG reach: each patent's abated pollutants, summed per goal.
          const totals = new Map<string, number>();
          const perGoal = [new Map<string, number>(), new Map<string, number>()];
          for (const [p, set] of naive.pollutantPatents.entries()) {
            for (const patent of set) {
              totals.set(patent, (totals.get(patent) ?? 0) + impacts.at(0, p) + impacts.at(1, p));
              for (const g of [0, 1]) perGoal[g].set(patent, (perGoal[g].get(patent) ?? 0) + impacts.at(g, p));
            }
          }
          const goalCounts = perGoal.map((m) => [...m.values()].filter((v) => v > 0).length);
          const reached = [...totals.values()].filter((t) => t > 0).length;
          const fastReach = sdgReach(table, impacts, threshold, { selection: sel, limit: 1000 });
          expect(fastReach.patents).toBe(reached);
          for (const r of fastReach.top) expect(r.total).toBe(totals.get(r.patentId));
          expect(Array.from(fastReach.goalPatents)).toEqual(goalCounts);
          expect(sdgReach(table, impacts, threshold, { selection: sel, limit: 1000, rankBy: 1 }).top.length).toBe(goalCounts[1]);
        }
      }
    });
  }
});

describe('the per-section order', () => {
  it('matches a comparator sort: section, score descending (NaN last, negatives below 0), pair number', () => {
    const rng = mulberry32(11);
    const n = 5000;
    const sections = 7;
    const section = new Uint16Array(n);
    const score = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      section[i] = Math.floor(rng() * sections);
      const r = rng();
      score[i] = r < 0.05 ? Number.NaN : r < 0.1 ? -Math.round(rng() * 8) / 8 : r < 0.15 ? 0 : Math.round(rng() * 16) / 16;
    }
    const key = (i: number) => (Number.isNaN(score[i]) ? Number.NEGATIVE_INFINITY : score[i]);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => section[a] - section[b] || key(b) - key(a) || a - b);
    const { start, pairs } = pairsBySection(section, score, sections);
    expect(Array.from(pairs)).toEqual(expected);
    for (let s = 0; s < sections; s++) expect(start[s + 1] - start[s]).toBe(section.filter((x) => x === s).length);
  });
});
