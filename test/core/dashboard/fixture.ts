/**
 * A tiny catalogue for the dashboard tests, built with the same constructor the decoder uses, and
 * a seeded random one for the property tests. Titles are made up (not BREF text).
 */
import { Catalogue } from '../../../src/core/catalogue/catalogue';
import type { CatalogueDocument, CatalogueSection, Pollutant } from '../../../src/core/catalogue/types';
import type { SdgImpactTable } from '../../../src/core/dashboard/dashboard';

/** [id, title, parent id, pollutant indices]; parents listed before children. */
export type Row = [id: string, title: string, parent: string | null, pollutants: number[]];

export function makeCatalogue(documents: [code: string, name: string][], pollutantNames: string[], rows: Row[]): Catalogue {
  const docs: CatalogueDocument[] = documents.map(([code, name]) => ({ code, name, nameSource: 'data', sectionCount: 0 }));
  const byId = new Map<string, CatalogueSection>();
  const sections = rows.map(([id, title, parentId, pollutants]): CatalogueSection => {
    const [document, number] = id.split(':::');
    const parent = parentId === null ? null : byId.get(parentId);
    if (parentId !== null && !parent) throw new Error(`fixture: ${id} names ${parentId} before it exists`);
    const path = parent ? [...parent.path, title] : [title];
    const section: CatalogueSection = { id, document, number, title, path, chapter: path[0], isTechnique: true, parentId, pollutants };
    byId.set(id, section);
    docs.find((d) => d.code === document)!.sectionCount++;
    return section;
  });
  const pollutants: Pollutant[] = pollutantNames.map((name, index) => ({ index, name }));
  const links = sections.reduce((n, s) => n + s.pollutants.length, 0);
  return new Catalogue(
    {
      format: 'patent-space/bref-catalogue',
      version: 1,
      fingerprint: 'test',
      counts: { documents: docs.length, sections: sections.length, techniqueSections: sections.length, pollutants: pollutants.length, links },
      sources: { sections: 'test', links: 'test', documentNames: 'test' },
    },
    docs,
    sections,
    pollutants,
  );
}

/** Pollutant indices of the small catalogue. */
export const AMMONIA = 0;
export const ZINC = 1;
export const OZONE = 2;
export const MERCURY = 3;

/**
 * AA                       BB
 * └ AA:::1                 └ BB:::1 [Zinc]
 *   ├ AA:::1.1 [Ammonia, Zinc]   └ BB:::1.1
 *   │ └ AA:::1.1.1 [Ammonia]
 *   └ AA:::1.2 [Ózone]
 * └ AA:::2
 * Mercury is linked to no section.
 */
export function smallCatalogue(): Catalogue {
  return makeCatalogue(
    [['AA', 'Document A'], ['BB', 'Document B']],
    ['Ammonia', 'Zinc', 'Ózone', 'Mercury'],
    [
      ['AA:::1', 'Chapter one', null, []],
      ['AA:::1.1', 'Scrubbing', 'AA:::1', [AMMONIA, ZINC]],
      ['AA:::1.1.1', 'Spray towers', 'AA:::1.1', [AMMONIA]],
      ['AA:::1.2', 'Oxidation', 'AA:::1', [OZONE]],
      ['AA:::2', 'Chapter two', null, []],
      ['BB:::1', 'Other chapter', null, [ZINC]],
      ['BB:::1.1', 'Unlinked part', 'BB:::1', []],
    ],
  );
}

/** Goals 3, 6 and 14 with made-up impacts: rows are goals, columns the four pollutants above. */
export function smallImpacts(): SdgImpactTable {
  const goals = [{ number: 3, title: 'Good health' }, { number: 6, title: 'Clean water' }, { number: 14, title: 'Life below water' }];
  //               Ammonia Zinc Ózone Mercury
  const values = [[2, 0, 5, 9], [4, 3, 0, 0], [0, 1, 0, 7]];
  return { goals, impact: (g, p) => values[g][p] ?? 0 };
}

/** A random catalogue: documents D0…, sections under random earlier sections of their document. */
export function randomCatalogue(rng: () => number, documents: number, sections: number, pollutants: number): Catalogue {
  const docs: [string, string][] = Array.from({ length: documents }, (_, i) => [`D${i}`, `Document ${i}`]);
  const rows: Row[] = [];
  const children = new Map<string, number>();
  for (let i = 0; i < sections; i++) {
    const doc = docs[Math.floor(rng() * documents)][0];
    const earlier = rows.filter((r) => r[0].startsWith(`${doc}:::`));
    const parent = earlier.length && rng() < 0.75 ? earlier[Math.floor(rng() * earlier.length)][0] : null;
    const key = parent ?? doc;
    const n = (children.get(key) ?? 0) + 1;
    children.set(key, n);
    const id = parent ? `${parent}.${n}` : `${doc}:::${n}`;
    const linked = Array.from({ length: pollutants }, (_, p) => p).filter(() => rng() < 0.25);
    rows.push([id, `Section ${i}`, parent, linked]);
  }
  const names = Array.from({ length: pollutants }, (_, p) => `Pollutant ${String.fromCharCode(65 + p)}`);
  return makeCatalogue(docs, names, rows);
}

/** The hand-checked job of dashboard.test.ts (its comment gives the reasoning): pYes per pair, null = not verified. */
export const SMALL_JOB_PAIRS = [
  ['P1', 'AA:::1.1.1', 0.9], ['P1', 'AA:::1.2', 0.6], ['P1', 'BB:::1.1', 0.3],
  ['P2', 'AA:::1.1', 0.55], ['P2', 'AA:::1.1.1', 0.7], ['P2', 'BB:::1', null],
  ['P3', 'BB:::1.1', 0.8], ['P3', 'AA:::2', 0.45],
  ['P4', 'AA:::1.2', 0.5], ['P4', 'BB:::1', 0.2],
  ['P5', 'AA:::1.1.1', 0.4],
].map(([patentId, sectionId, pYes]) => ({
  patentId: patentId as string,
  sectionId: sectionId as string,
  prefilter: pYes === null ? 0.95 : 0.1,
  pYes: pYes as number | null,
}));
