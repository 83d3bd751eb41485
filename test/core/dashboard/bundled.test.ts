/** The dashboard on the real bundled BREF catalogue, with a few hand-picked CWW sections. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../../src/core/catalogue/decode';
import { brefTree, countMatches, matchTableFromPairs, rankPollutants } from '../../../src/core/dashboard/dashboard';

const catalogue = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));

describe('counts on the bundled catalogue', () => {
  // CWW:::3.3.2.3.4.11 Ion exchange (under 3.3.2.3.4 … 3.3 … chapter 3), CWW:::3.3.1.3 and
  // CWW:::3.3.1.11 (both under 3.3.1), and one ENE chapter.
  const ion = 'CWW:::3.3.2.3.4.11';
  const ene = catalogue.chapters('ENE')[0].section.id;
  const pairs = [
    { patentId: 'X1', sectionId: ion, prefilter: 0, pYes: 0.9 },
    { patentId: 'X2', sectionId: 'CWW:::3.3.1.3', prefilter: 0, pYes: 0.8 },
    { patentId: 'X2', sectionId: ion, prefilter: 0, pYes: 0.7 },
    { patentId: 'X3', sectionId: 'CWW:::3.3.1.11', prefilter: 0, pYes: 0.6 },
    { patentId: 'X3', sectionId: ene, prefilter: 0, pYes: 0.65 },
    { patentId: 'X4', sectionId: ion, prefilter: 0, pYes: 0.2 },
  ];
  const table = matchTableFromPairs(catalogue, pairs, { fallbackToPrefilter: false });
  const counts = countMatches(table, 0.5);
  const count = (id: string) => counts.nodes[table.index.nodeOf(id)];

  it('rolls the sections up to their chapters and document', () => {
    // X1 and X2 under 3.3.2 (X4's 0.2 is no match); X2 and X3 under 3.3.1; all three under 3.3.
    expect([count(ion), count('CWW:::3.3.2.3.4'), count('CWW:::3.3.2')]).toEqual([2, 2, 2]);
    expect([count('CWW:::3.3.1.3'), count('CWW:::3.3.1.11'), count('CWW:::3.3.1')]).toEqual([1, 1, 2]);
    expect([count('CWW:::3.3'), count('CWW:::3'), count('CWW')]).toEqual([3, 3, 3]);
    expect([count(ene), count('ENE')]).toEqual([1, 1]);
    expect(count('CAK')).toBe(0);
    expect(counts.patents).toBe(3);
  });

  it('counts pollutants through the sections\' links', () => {
    const patents = (name: string) => rankPollutants(table, counts).find((r) => r.pollutant.name === name)!.patents;
    // Ion exchange lists lead and HCl; 3.3.1.11 lists HCl and mercury; 3.3.1.3 lists phenols.
    expect(catalogue.pollutantsOf('CWW:::3.3.1.11').map((p) => p.name)).toContain('Mercury and compounds (as Hg)');
    expect(patents('Lead and compounds (as Pb)')).toBe(2);
    expect(patents('Chlorine and inorganic compounds (as HCl)')).toBe(3);
    expect(patents('Phenols (as total C)')).toBe(1);
    expect(patents('Mercury and compounds (as Hg)')).toBe(1);
  });

  it('keeps only the matched branches in the relevant-only tree', () => {
    const tree = brefTree(table, counts, { relevantOnly: true });
    expect(tree.map((d) => [d.id, d.count])).toEqual([['CWW', 3], ['ENE', 1]]);
    const chapter = tree[0].children[0];
    expect(chapter.id).toBe('CWW:::3');
    expect(chapter.children.map((c) => c.id)).toEqual(['CWW:::3.3']);
    expect(chapter.children[0].children.map((c) => [c.id, c.count])).toEqual([['CWW:::3.3.1', 2], ['CWW:::3.3.2', 2]]);
  });
});
