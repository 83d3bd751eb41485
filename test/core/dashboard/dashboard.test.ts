import { describe, expect, it } from 'vitest';
import {
  brefTree,
  type BrefTreeNode,
  countMatches,
  Dashboard,
  DEFAULT_THRESHOLDS,
  MatchTableBuilder,
  matchTableFromPairs,
  pairScore,
  rankPollutants,
  scoreRuleForJob,
  searchKey,
} from '../../../src/core/dashboard/dashboard';
import { AMMONIA, MERCURY, OZONE, SMALL_JOB_PAIRS, smallCatalogue, smallImpacts, ZINC } from './fixture';

const catalogue = smallCatalogue();

/**
 * The hand-checked job (see fixture.ts for the tree). pYes null = no P(Yes).
 *   P1: AA:::1.1.1 0.9 · AA:::1.2 0.6 · BB:::1.1 0.3
 *   P2: AA:::1.1 0.55 · AA:::1.1.1 0.7 · BB:::1 (no P(Yes), prefilter 0.95)
 *   P3: BB:::1.1 0.8 · AA:::2 0.45
 *   P4: AA:::1.2 0.5 (exactly the relevance threshold) · BB:::1 0.2
 *   P5: AA:::1.1.1 0.4
 */
const PAIRS = SMALL_JOB_PAIRS;

const verified = () => matchTableFromPairs(catalogue, PAIRS, scoreRuleForJob({ verify: true }));

/** count per node id, for reading the expectations below at a glance. */
function nodeCounts(counts: ReturnType<typeof countMatches>): Record<string, number> {
  const out: Record<string, number> = {};
  catalogue.documents.forEach((d, i) => { out[d.code] = counts.nodes[i]; });
  catalogue.sections.forEach((s, i) => { out[s.id] = counts.nodes[catalogue.documents.length + i]; });
  return out;
}

function shape(nodes: BrefTreeNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? { [n.id]: shape(n.children) } : n.id));
}

describe('the score rule', () => {
  it('takes P(Yes) when present, the prefilter only for an unverified job, else nothing', () => {
    expect(pairScore(0.3, 0.8, { fallbackToPrefilter: false })).toBe(0.8);
    expect(pairScore(0.3, 0.8, { fallbackToPrefilter: true })).toBe(0.8);
    expect(pairScore(0.3, null, { fallbackToPrefilter: true })).toBe(0.3);
    expect(pairScore(0.3, null, { fallbackToPrefilter: false })).toBeNaN();
    expect(pairScore(0.3, Number.NaN, { fallbackToPrefilter: true })).toBe(0.3);
    expect(scoreRuleForJob({ verify: true })).toEqual({ fallbackToPrefilter: false });
    expect(scoreRuleForJob({ verify: false })).toEqual({ fallbackToPrefilter: true });
  });
});

describe('counts at the relevance threshold', () => {
  it('counts distinct patents per pollutant and ranks by count, then name', () => {
    const table = verified();
    const counts = countMatches(table, 0.5);
    // Matches ≥ 0.5: P1 1.1.1, 1.2 · P2 1.1.1, 1.1 (BB:::1 has no P(Yes) in a verified job) · P3 BB:::1.1 · P4 1.2.
    expect(counts.patents).toBe(4);
    expect(counts.pairs).toBe(6);
    // Ammonia (1.1, 1.1.1): P1, P2 (P2 twice, counted once) = 2. Zinc (1.1, BB:::1): P2 = 1; P3's
    // BB:::1.1 is below BB:::1 but not linked itself, so it does not count. Ózone (1.2): P1, P4 = 2.
    expect(Array.from(counts.pollutants)).toEqual([2, 1, 2, 0]);
    // Ammonia and Ózone tie at 2: by name ('ammonia' < 'ozone').
    expect(rankPollutants(table, counts).map((r) => [r.pollutant.name, r.patents, r.sections])).toEqual([
      ['Ammonia', 2, 2], ['Ózone', 2, 1], ['Zinc', 1, 2], ['Mercury', 0, 0],
    ]);
  });

  it('searches pollutant names without case or accents', () => {
    const table = verified();
    const counts = countMatches(table, 0.5);
    expect(searchKey('Ózone')).toBe('ozone');
    expect(rankPollutants(table, counts, 'OZO').map((r) => r.pollutant.name)).toEqual(['Ózone']);
    expect(rankPollutants(table, counts, 'óZ').map((r) => r.pollutant.name)).toEqual(['Ózone']);
    expect(rankPollutants(table, counts, ' m ').map((r) => r.pollutant.name)).toEqual(['Ammonia', 'Mercury']);
    expect(rankPollutants(table, counts, 'xyz')).toEqual([]);
  });

  it('rolls distinct patents up the tree', () => {
    const counts = nodeCounts(countMatches(verified(), 0.5));
    // AA: P1, P2, P4 (P2 matched twice under AA:::1.1, once in the count). AA:::2: P3 has 0.45 only.
    expect(counts).toEqual({
      'AA': 3, 'AA:::1': 3, 'AA:::1.1': 2, 'AA:::1.1.1': 2, 'AA:::1.2': 2, 'AA:::2': 0,
      'BB': 1, 'BB:::1': 1, 'BB:::1.1': 1,
    });
  });

  it('moves exactly as expected when the threshold changes', () => {
    const table = verified();
    // ≥ 0.68: P1 1.1.1 (0.9), P2 1.1.1 (0.7), P3 BB:::1.1 (0.8); P1's 0.6 and P4's 0.5 drop out.
    const high = countMatches(table, 0.68);
    expect([high.patents, high.pairs]).toEqual([3, 3]);
    expect(Array.from(high.pollutants)).toEqual([2, 0, 0, 0]);
    expect(nodeCounts(high)).toEqual({
      'AA': 2, 'AA:::1': 2, 'AA:::1.1': 2, 'AA:::1.1.1': 2, 'AA:::1.2': 0, 'AA:::2': 0,
      'BB': 1, 'BB:::1': 1, 'BB:::1.1': 1,
    });
    // ≥ 0.3: adds P1 BB:::1.1 (0.3), P3 AA:::2 (0.45), P5 1.1.1 (0.4); still not P4's 0.2 nor P2's BB:::1.
    const low = countMatches(table, 0.3);
    expect([low.patents, low.pairs]).toEqual([5, 9]);
    expect(Array.from(low.pollutants)).toEqual([3, 1, 2, 0]);
    expect(nodeCounts(low)).toEqual({
      'AA': 5, 'AA:::1': 4, 'AA:::1.1': 3, 'AA:::1.1.1': 3, 'AA:::1.2': 2, 'AA:::2': 1,
      'BB': 2, 'BB:::1': 2, 'BB:::1.1': 2,
    });
    // Back to 0.5 gives the first counts again (nothing in the table changed).
    expect(Array.from(countMatches(table, 0.5).pollutants)).toEqual([2, 1, 2, 0]);
  });

  it('counts an unverified pair with its prefilter score only in an unverified job', () => {
    const table = matchTableFromPairs(catalogue, PAIRS, scoreRuleForJob({ verify: false }));
    const counts = nodeCounts(countMatches(table, 0.5));
    // P2's BB:::1 now counts with 0.95: BB and BB:::1 gain P2; BB:::1.1 (P3 only) does not.
    expect([counts['BB'], counts['BB:::1'], counts['BB:::1.1']]).toEqual([2, 2, 1]);
    // Zinc was already P2's through AA:::1.1: still one patent.
    expect(countMatches(table, 0.5).pollutants[ZINC]).toBe(1);
    // And it is now P2's best pair.
    expect(new Dashboard(table).patent('P2')!.sections.map((s) => s.section.id)).toEqual(['BB:::1', 'AA:::1.1.1', 'AA:::1.1']);
  });
});

describe('the tree', () => {
  const table = verified();
  const counts = countMatches(table, 0.5);

  it('shows every node without relevant-only, with the pollutant link marked', () => {
    const all = brefTree(table, counts, { pollutant: ZINC });
    expect(shape(all)).toEqual([{ AA: [{ 'AA:::1': [{ 'AA:::1.1': ['AA:::1.1.1'] }, 'AA:::1.2'] }, 'AA:::2'] }, { BB: [{ 'BB:::1': ['BB:::1.1'] }] }]);
    expect(all[0].children[0].linked).toBe(true);
    expect(all[0].children[1].linked).toBe(false);
    expect(all[0].count).toBe(3);
  });

  it('relevant-only hides nodes with no patents when no pollutant is selected', () => {
    expect(shape(brefTree(table, counts, { relevantOnly: true }))).toEqual([
      { AA: [{ 'AA:::1': [{ 'AA:::1.1': ['AA:::1.1.1'] }, 'AA:::1.2'] }] }, { BB: [{ 'BB:::1': ['BB:::1.1'] }] },
    ]);
  });

  it('relevant-only with a pollutant keeps the nodes linked to it, whatever their count', () => {
    // Zinc is on AA:::1.1 (so AA:::1 and AA are linked through it) and BB:::1. 1.1.1, 1.2, AA:::2
    // and BB:::1.1 list no zinc and have none below them.
    expect(shape(brefTree(table, counts, { relevantOnly: true, pollutant: ZINC }))).toEqual([
      { AA: [{ 'AA:::1': ['AA:::1.1'] }] }, { BB: ['BB:::1'] },
    ]);
    // At 0.68 Ózone has no patent, but its section stays as a gap (count 0).
    const high = brefTree(table, countMatches(table, 0.68), { relevantOnly: true, pollutant: OZONE });
    expect(shape(high)).toEqual([{ AA: [{ 'AA:::1': ['AA:::1.2'] }] }]);
    expect(high[0].children[0].children[0].count).toBe(0);
    expect(brefTree(table, counts, { relevantOnly: true, pollutant: MERCURY })).toEqual([]);
  });

  it('lists a section\'s own patents by score, filtered by the display threshold', () => {
    const dashboard = new Dashboard(table);
    // AA:::1.1.1: P1 0.9, P2 0.7 match and pass 0.68; P5's 0.4 is no match.
    const s = dashboard.section('AA:::1.1.1');
    expect([s.patents, s.shown]).toEqual([2, 2]);
    expect(s.top.map((t) => t.patentId)).toEqual(['P1', 'P2']);
    expect(s.top[0].score).toBeCloseTo(0.9, 6);
    // AA:::1.1's own pair is P2's 0.55: a match, not shown at 0.68.
    expect(dashboard.section('AA:::1.1')).toMatchObject({ patents: 1, shown: 0, top: [] });
    expect(() => dashboard.section('ZZ:::1')).toThrow(/not in the catalogue/);
  });

  it('lists the patents behind a node\'s count, each once with its best section below the node', () => {
    const dashboard = new Dashboard(table);
    // AA (count 3): P1's best under AA is 1.1.1 (0.9), P2's 1.1.1 (0.7), P4's 1.2 (0.5, not shown at 0.68).
    const aa = dashboard.node('AA');
    expect([aa.patents, aa.shown]).toEqual([3, 2]);
    expect(aa.top.map((t) => [t.patentId, t.section.id])).toEqual([['P1', 'AA:::1.1.1'], ['P2', 'AA:::1.1.1']]);
    // AA:::1.1 (count 2): its own pair (P2 0.55) and 1.1.1's (P1 0.9, P2 0.7): P1, P2 once each.
    dashboard.setThresholds({ display: 0.5 });
    expect(dashboard.node('AA:::1.1').top.map((t) => [t.patentId, t.section.id])).toEqual([['P1', 'AA:::1.1.1'], ['P2', 'AA:::1.1.1']]);
    expect(dashboard.node('BB').top.map((t) => t.patentId)).toEqual(['P3']);
    expect(() => dashboard.node('CC')).toThrow(/neither a document nor a section/);
  });
});

describe('pollutant detail and the display threshold', () => {
  it('lists the best linked section per patent, only above the display threshold', () => {
    const dashboard = new Dashboard(verified());
    const ammonia = dashboard.pollutant(AMMONIA);
    expect(ammonia.sections.map((s) => s.id)).toEqual(['AA:::1.1', 'AA:::1.1.1']);
    // P2's best ammonia section is 1.1.1 (0.7), not 1.1 (0.55).
    expect(ammonia.top.map((t) => [t.patentId, t.section.id])).toEqual([['P1', 'AA:::1.1.1'], ['P2', 'AA:::1.1.1']]);
    // Ózone: P1 (0.6) and P4 (0.5) match; neither reaches 0.68 ...
    expect(dashboard.pollutant(OZONE)).toMatchObject({ patents: 2, shown: 0, top: [] });
    // ... until display is lowered; counts do not move with display.
    dashboard.setThresholds({ display: 0.5 });
    expect(dashboard.pollutant(OZONE).top.map((t) => t.patentId)).toEqual(['P1', 'P4']);
    expect(dashboard.pollutants()[1].patents).toBe(2);
    expect(dashboard.thresholds).toEqual({ relevance: 0.5, display: 0.5 });
    expect(() => dashboard.pollutant(9)).toThrow(RangeError);
  });
});

describe('SDG reach', () => {
  const dashboard = new Dashboard(verified(), smallImpacts());

  it('lists the pollutants affecting each goal, strongest first', () => {
    expect(dashboard.goals().map((g) => [g.goal.number, g.pollutants.map((p) => [p.pollutant.name, p.impact])])).toEqual([
      [3, [['Mercury', 9], ['Ózone', 5], ['Ammonia', 2]]],
      [6, [['Ammonia', 4], ['Zinc', 3]]],
      [14, [['Mercury', 7], ['Zinc', 1]]],
    ]);
  });

  it('sums each abated pollutant once per goal and ranks patents by total', () => {
    // P1 abates Ammonia + Ózone: goal 3 2+5, goal 6 4, goal 14 0 = 11.
    // P2 abates Ammonia (1.1 and 1.1.1, once) + Zinc: goal 3 2, goal 6 4+3, goal 14 1 = 10.
    // P4 abates Ózone: goal 3 5 = 5. P3 (BB:::1.1, no pollutant) and P5 (no match) reach nothing.
    const reach = dashboard.sdg()!;
    expect(reach.top.map((r) => [r.patentId, Array.from(r.perGoal), r.total])).toEqual([
      ['P1', [7, 4, 0], 11], ['P2', [2, 7, 1], 10], ['P4', [5, 0, 0], 5],
    ]);
    expect(reach.patents).toBe(3);
    expect(Array.from(reach.goalPatents)).toEqual([3, 2, 1]);
    expect(Array.from(reach.goalReach)).toEqual([14, 11, 1]);
  });

  it('ranks by one goal when asked, listing only the patents that reach it', () => {
    // Goal 6 (index 1): P2 7, P1 4; P4 reaches goal 3 only.
    expect(dashboard.sdg({ rankBy: 1 })!.top.map((r) => [r.patentId, r.perGoal[1]])).toEqual([['P2', 7], ['P1', 4]]);
    // Goal 14 (index 2): P2 alone.
    expect(dashboard.sdg({ rankBy: 2 })!.top.map((r) => r.patentId)).toEqual(['P2']);
    expect(() => dashboard.sdg({ rankBy: 3 })).toThrow(RangeError);
  });

  it('rejects an impact that is not a number ≥ 0', () => {
    expect(() => new Dashboard(verified(), { goals: [{ number: 1, title: 'x' }], impact: () => Number.NaN })).toThrow(/impacts must be numbers/);
  });
});

describe('the selection filter', () => {
  it('restricts every list and count to the selected patents', () => {
    const dashboard = new Dashboard(verified(), smallImpacts());
    const selection = dashboard.select(['P4', 'P2', 'P2', 'not-in-job']);
    expect(Array.from(selection.patents)).toEqual([1, 3]);
    expect(selection.unknown).toBe(1);
    const counts = dashboard.counts(selection);
    // P2: 1.1.1, 1.1 · P4: 1.2.
    expect([counts.patents, counts.pairs]).toEqual([2, 3]);
    expect(Array.from(counts.pollutants)).toEqual([1, 1, 1, 0]);
    expect(nodeCounts(counts)).toEqual({
      'AA': 2, 'AA:::1': 2, 'AA:::1.1': 1, 'AA:::1.1.1': 1, 'AA:::1.2': 1, 'AA:::2': 0,
      'BB': 0, 'BB:::1': 0, 'BB:::1.1': 0,
    });
    expect(shape(dashboard.tree({ relevantOnly: true }, selection))).toEqual([{ AA: [{ 'AA:::1': [{ 'AA:::1.1': ['AA:::1.1.1'] }, 'AA:::1.2'] }] }]);
    expect(dashboard.pollutant(AMMONIA, { selection }).top.map((t) => t.patentId)).toEqual(['P2']);
    expect(dashboard.section('AA:::1.1.1', { selection })).toMatchObject({ patents: 1, shown: 1 });
    expect(dashboard.sdg({ selection })!.top.map((r) => r.patentId)).toEqual(['P2', 'P4']);
    // The same selection object is served from the cache; all patents are still counted apart.
    expect(dashboard.counts(selection)).toBe(counts);
    expect(dashboard.counts().patents).toBe(4);
    // A selection belongs to its table: another job's patent numbers would mean other patents.
    expect(() => countMatches(verified(), 0.5, selection)).toThrow(/another match table/);
  });
});

describe('patent detail', () => {
  it('shows every pair with its scores, and the pollutants and SDGs its matches reach', () => {
    const d = new Dashboard(verified(), smallImpacts()).patent('P2')!;
    expect(d.sections.map((s) => [s.section.id, s.pYes === null ? null : Number(s.pYes.toFixed(4)), s.score === null ? null : Number(s.score.toFixed(4)), s.matched, s.shown])).toEqual([
      ['AA:::1.1.1', 0.7, 0.7, true, true],
      ['AA:::1.1', 0.55, 0.55, true, false],
      ['BB:::1', null, null, false, false],
    ]);
    expect(d.sections[2].prefilter).toBeCloseTo(0.95, 6);
    expect(d.pollutants.map((p) => [p.pollutant.name, p.section.id])).toEqual([['Ammonia', 'AA:::1.1.1'], ['Zinc', 'AA:::1.1']]);
    expect(d.goals.map((g) => [g.goal.number, g.reach, g.pollutants.map((p) => p.pollutant.name)])).toEqual([
      [6, 7, ['Ammonia', 'Zinc']], [3, 2, ['Ammonia']], [14, 1, ['Zinc']],
    ]);
    expect(d.totalReach).toBe(10);
    expect(new Dashboard(verified()).patent('nope')).toBeUndefined();
  });
});

describe('building the table', () => {
  it('keeps the best of a repeated pair, skips unknown sections and reads stored chunks', () => {
    const builder = new MatchTableBuilder(catalogue, { fallbackToPrefilter: false });
    builder.addChunk({
      patentIds: ['P1', 'P1', 'P1', 'P2'],
      sectionIds: ['AA:::1.2', 'ZZ:::9', 'AA:::1.2', 'AA:::2'],
      prefilter: Float32Array.of(0.1, 0.1, 0.1, 0.1),
      pYes: Float32Array.of(0.6, 0.9, 0.65, Number.NaN),
    });
    const table = builder.build();
    expect(table.skipped).toEqual({ count: 1, examples: ['ZZ:::9'] });
    expect(table.duplicates).toBe(1);
    expect(table.pairCount).toBe(2);
    expect(table.score[0]).toBeCloseTo(0.65, 6);
    expect(table.score[1]).toBeNaN();
    expect(DEFAULT_THRESHOLDS).toEqual({ relevance: 0.5, display: 0.68 });
  });

  it('compares thresholds in float32, the precision scores are stored in', () => {
    const table = matchTableFromPairs(catalogue, [{ patentId: 'P', sectionId: 'AA:::2', prefilter: 0, pYes: 0.7 }], { fallbackToPrefilter: false });
    expect(countMatches(table, 0.7).patents).toBe(1);
    expect(countMatches(table, 0.7000001).patents).toBe(0);
  });
});
