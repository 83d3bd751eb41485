import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../../src/core/catalogue/decode';
import { encodeSdgImpacts, parseSdgSource, pollutantKey, reconcilePollutants, serializeSdgImpacts } from '../../../src/core/reference/sdg-encode';
import { parseSdgImpacts } from '../../../src/core/reference/sdg';
import { ReferenceFormatError, ReferenceSourceError } from '../../../src/core/reference/types';

/** A made-up source: goals out of order, one name differing from the catalogue's in case and spacing only, one with no catalogue pollutant. */
const SOURCE = JSON.stringify({
  'SDG 3': { title: 'Good Health', pollutants: [{ name: 'Zinc', impact: 60 }, { name: 'mercury  and compounds(as Hg)', impact: 30 }, { name: 'Plastic', impact: 10 }] },
  'SDG 1': { title: 'No Poverty', pollutants: [{ name: 'Zinc', impact: 10 }] },
});
const CATALOGUE = { fingerprint: 'cafe0001', pollutants: ['Ammonia', 'Mercury and compounds (as Hg)', 'Zinc'] };

function tiny(source = SOURCE) {
  return encodeSdgImpacts(parseSdgSource(source), CATALOGUE, 'test source');
}

describe('SDG impacts from a small source', () => {
  it('builds the goals × pollutants matrix with 0 where the source has no figure', () => {
    const file = tiny();
    expect(file.goals).toEqual([[1, 'No Poverty'], [3, 'Good Health']]);
    // Sorted by UTF-16 code units: capitals first.
    expect(file.pollutants).toEqual([
      ['Plastic', -1, 'none'],
      ['Zinc', 2, 'exact'],
      ['mercury  and compounds(as Hg)', 1, 'normalised'],
    ]);
    expect(file.impacts).toEqual([[0, 10, 0], [10, 60, 30]]);
    expect(file.counts).toEqual({ goals: 2, pollutants: 3, impacts: 4, matched: 2, sdgUnmatched: 1, catalogueWithoutSdg: 1 });
    expect(file.sdgUnmatched).toEqual(['Plastic']);
    expect(file.catalogueWithoutSdg).toEqual([[0, 'Ammonia']]);
    expect(file.catalogue).toEqual({ fingerprint: 'cafe0001', pollutants: 3 });
  });

  it('gives the same bytes whatever the order of goals and pollutants in the source', () => {
    const reordered = JSON.stringify({
      'SDG 1': { title: 'No Poverty', pollutants: [{ name: 'Zinc', impact: 10 }] },
      'SDG 3': { title: 'Good Health', pollutants: [{ name: 'Plastic', impact: 10 }, { name: 'mercury  and compounds(as Hg)', impact: 30 }, { name: 'Zinc', impact: 60 }] },
    });
    const text = serializeSdgImpacts(tiny());
    expect(serializeSdgImpacts(tiny(reordered))).toBe(text);
    expect(serializeSdgImpacts(tiny())).toBe(text);
    const changed = SOURCE.replace('"impact":60', '"impact":30');
    expect(serializeSdgImpacts(tiny(changed))).not.toBe(text);
  });

  it('reads back what it wrote', () => {
    const impacts = parseSdgImpacts(serializeSdgImpacts(tiny()));
    expect(impacts.goals.map((g) => g.number)).toEqual([1, 3]);
    expect(impacts.impact(3, 1)).toBe(60);
    expect(impacts.impact(1, 2)).toBe(0);
    expect(impacts.ofCataloguePollutant(1)?.name).toBe('mercury  and compounds(as Hg)');
    expect(impacts.ofCataloguePollutant(0)).toBeNull();
    expect(impacts.goalsOfCataloguePollutant(2).map((g) => [g.goal.number, g.impact])).toEqual([[3, 60], [1, 10]]);
    expect(impacts.goalsOfCataloguePollutant(0)).toEqual([]);
    expect(impacts.pollutantsAffecting(3).map((p) => [p.pollutant.name, p.impact])).toEqual([['Zinc', 60], ['mercury  and compounds(as Hg)', 30], ['Plastic', 10]]);
    expect(impacts.sdgUnmatched.map((p) => p.name)).toEqual(['Plastic']);
    expect(impacts.catalogueWithoutSdg).toEqual([[0, 'Ammonia']]);
    expect(impacts.fitsCatalogue('cafe0001')).toBe(true);
    expect(impacts.fitsCatalogue('cafe0002')).toBe(false);
    expect(() => impacts.impact(2, 0)).toThrow(/SDG 2 is not in the impact table/);
    expect(() => impacts.impact(1, 3)).toThrow(RangeError);
  });
});

describe('pollutant name reconciliation', () => {
  it('ignores case, spacing and punctuation, and nothing else', () => {
    expect(pollutantKey(' Total organic carbon(as total C or COD/3) (TOC)')).toBe(pollutantKey('total organic carbon (as total C or COD/3) (TOC)'));
    expect(pollutantKey('Benzo(g,h,i)perylene')).toBe(pollutantKey('BENZO (G, H, I) PERYLENE'));
    expect(pollutantKey('Ethylbenzene')).not.toBe(pollutantKey('Ethyl benzene'));
    expect(pollutantKey('1,2-dichloroethane')).not.toBe(pollutantKey('12-dichloroethane'));
  });

  it('prefers the exact name, and ties nothing to a key two catalogue pollutants share', () => {
    const result = reconcilePollutants(['TOLUENE', 'toluene', 'Xylenes '], ['TOLUENE', 'Toluene', 'Xylenes']);
    expect(result.ties).toEqual([{ catalogueIndex: 0, match: 'exact' }, { catalogueIndex: -1, match: 'none' }, { catalogueIndex: 2, match: 'normalised' }]);
    expect(result.sdgUnmatched).toEqual(['toluene']);
    expect(result.catalogueWithoutSdg).toEqual([[1, 'Toluene']]);
  });

  it('refuses two SDG pollutants on one catalogue pollutant', () => {
    expect(() => reconcilePollutants(['Zinc', 'zinc'], ['Zinc'])).toThrow(/"Zinc" and "zinc" are both the catalogue pollutant "Zinc"/);
  });
});

describe('a malformed SDG source', () => {
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a bad goal key', JSON.stringify({ 'Goal 1': { title: 'x', pollutants: [] } }), /goal key "Goal 1" is not "SDG <number>"/],
    ['an impact off the scale', JSON.stringify({ 'SDG 1': { title: 'x', pollutants: [{ name: 'Zinc', impact: 20 }] } }), /impact 20 is not one of 10\/30\/60/],
    ['a pollutant twice in a goal', JSON.stringify({ 'SDG 1': { title: 'x', pollutants: [{ name: 'Zinc', impact: 10 }, { name: 'Zinc', impact: 30 }] } }), /"Zinc" is given twice for SDG 1/],
    ['no title', JSON.stringify({ 'SDG 1': { pollutants: [] } }), /SDG 1: "title" must be a non-empty string/],
  ])('stops on %s', (_, source, message) => {
    expect(() => parseSdgSource(source)).toThrow(ReferenceSourceError);
    expect(() => parseSdgSource(source)).toThrow(message);
  });
});

describe('the bundled SDG impact file', () => {
  const text = readFileSync('public/reference/sdg-impacts.json', 'utf8');
  const impacts = parseSdgImpacts(text);
  const catalogue = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));

  it('has 17 goals and 57 pollutants, tied to the bundled catalogue', () => {
    expect(impacts.goals).toHaveLength(17);
    expect(impacts.goals[16]).toEqual({ number: 17, title: 'Partnerships for the Goals' });
    expect(impacts.pollutants).toHaveLength(57);
    expect(impacts.fitsCatalogue(catalogue.meta.fingerprint)).toBe(true);
    for (const p of impacts.pollutants) {
      if (p.catalogueIndex !== null) expect(catalogue.pollutants[p.catalogueIndex].name).toBe(p.name);
    }
    const tied = impacts.pollutants.filter((p) => p.catalogueIndex !== null).length;
    expect(tied + impacts.catalogueWithoutSdg.length).toBe(catalogue.pollutants.length);
    for (const [index, name] of impacts.catalogueWithoutSdg) expect(catalogue.pollutants[index].name).toBe(name);
  });

  it('answers by catalogue pollutant', () => {
    const mercury = catalogue.pollutants.find((p) => p.name === 'Mercury and compounds (as Hg)')!;
    const goals = impacts.goalsOfCataloguePollutant(mercury.index);
    expect(goals.length).toBeGreaterThan(0);
    expect(goals.every((g, i) => i === 0 || g.impact <= goals[i - 1].impact)).toBe(true);
    expect(goals.every((g) => [10, 30, 60].includes(g.impact))).toBe(true);
    const aldrin = catalogue.pollutants.find((p) => p.name === 'Aldrin')!;
    expect(impacts.goalsOfCataloguePollutant(aldrin.index)).toEqual([]);
  });

  const edits: [string, (file: Record<string, unknown>) => void, RegExp][] = [
    ['a newer version', (f) => { f.version = 2; }, /version 2 is newer than this app reads/],
    ['another format', (f) => { f.format = 'x'; }, /at "format"/],
    ['an impact off the scale', (f) => { (f.impacts as number[][])[0][0] = 20; }, /at impacts\[0\]\[0\]: expected one of 0, 10, 30, 60/],
    ['a row cut off', (f) => { (f.impacts as number[][]).pop(); }, /at "impacts": expected 17 items, found 16/],
    ['a value edited', (f) => { const row = (f.impacts as number[][])[0]; row[0] = row[0] === 10 ? 30 : 10; }, /at "fingerprint"/],
    ['a catalogue index out of range', (f) => { (f.pollutants as unknown[][])[0][1] = 74; }, /at pollutants\[0\]\[1\]: catalogue index must be -1 or 0…73/],
    ['a wrong count', (f) => { (f.counts as Record<string, number>).matched = 3; }, /at counts.matched: the file says 3 but holds 57/],
    ['no goals list', (f) => { delete f.goals; }, /at "goals": expected a list/],
  ];
  it.each(edits)('is refused with %s, naming the field', (_, edit, message) => {
    const file = JSON.parse(text) as Record<string, unknown>;
    edit(file);
    expect(() => parseSdgImpacts(JSON.stringify(file))).toThrow(ReferenceFormatError);
    expect(() => parseSdgImpacts(JSON.stringify(file))).toThrow(message);
  });

  it('is refused when it is not JSON or cut short', () => {
    expect(() => parseSdgImpacts(text.slice(0, text.length / 2))).toThrow(/sdg-impacts.json is malformed at the top level: not valid JSON/);
  });
});
