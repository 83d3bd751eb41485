/**
 * The bundled demo (public/demo/) is what its generator writes from the bundled reference data, byte
 * for byte; the pollution patents it adds are tied to real technique sections of the catalogue, carry
 * their section's words, and leave the technology corpus and its truth as they were.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../../src/core/catalogue/decode';
import { buildDemoFiles } from '../../../src/core/demo/files';
import { generateDemoCorpus } from '../../../src/core/demo/generate';
import { contentWords, generatePollution, pollutantPhrase, type TiedTechnique } from '../../../src/core/demo/pollution';
import { toJobSection } from '../../../src/core/match-job/job-sections';
import { parseSdgImpacts } from '../../../src/core/reference/sdg';
import type { Patent } from '../../../src/core/types';

const catalogue = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const sdg = parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8'));
const files = buildDemoFiles(catalogue, sdg);
const committed = (name: string) => readFileSync(`public/demo/${name}`, 'utf8');

describe('the bundled demo files', () => {
  it('are what npm run demo-data writes (regenerate them when the generator or the reference data change)', () => {
    expect(files.patentChunks.join('')).toBe(committed('patents.jsonl'));
    expect(files.groundTruth).toBe(committed('ground-truth.json'));
    expect(files.techniques).toBe(committed('techniques.json'));
    expect(files.relevance).toBe(committed('technique-relevance.json'));
  });

  it('are the same on a second run (the generators are seeded)', () => {
    const again = buildDemoFiles(catalogue, sdg);
    expect(again.patentChunks).toEqual(files.patentChunks);
    expect(again.techniques).toBe(files.techniques);
  });
});

describe('the pollution patents', () => {
  const patents = files.patentChunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Patent);
  const catalogueFile = JSON.parse(files.techniques) as { techniques: (TiedTechnique | { id: string; bref?: undefined })[] };
  const tied = catalogueFile.techniques.filter((t): t is TiedTechnique => t.bref !== undefined);
  const relevance = JSON.parse(files.relevance) as Record<string, string[]>;
  const byId = new Map(patents.map((p) => [p.id, p]));

  it('follow the technology corpus unchanged, with its truth', () => {
    const corpus = generateDemoCorpus();
    expect(patents.slice(0, corpus.patents.length)).toEqual(corpus.patents);
    const truth = JSON.parse(files.groundTruth) as { firstCooccurrence: unknown; pollution: Record<string, string[]> };
    expect(truth.firstCooccurrence).toEqual(corpus.truth.firstCooccurrence);
    expect(patents.length).toBe(corpus.patents.length + tied.length * 10);
    expect(Object.keys(truth.pollution).sort()).toEqual(tied.map((t) => t.id).sort());
  });

  it('are tied to real technique sections, read as a job reads a section without text', () => {
    expect(tied).toHaveLength(24);
    // Round robin over the documents with a fit section: 17 of the 32 have one.
    expect(new Set(tied.map((t) => t.bref.document)).size).toBe(17);
    for (const t of tied) {
      const section = catalogue.section(t.id);
      expect(section?.isTechnique, t.id).toBe(true);
      expect(t.sectionTitle).toBe(section?.title);
      expect(t.description).toBe(toJobSection(t.id, section!.title, undefined, section!.path).text);
      expect(t.pollutants).toEqual(catalogue.pollutantsOf(t.id).map((p) => p.name));
    }
  });

  it('carry the words of their section and of its pollutants, and one pollution-abatement code', () => {
    for (const t of tied) {
      const words = new Set(contentWords(t.sectionTitle));
      const phrases = t.pollutants.map(pollutantPhrase);
      expect(relevance[t.id]).toHaveLength(10);
      for (const id of relevance[t.id]) {
        const p = byId.get(id)!;
        const text = `${p.title} ${p.abstract}`.toLowerCase();
        expect(contentWords(p.title).some((w) => words.has(w)), `${id}: ${p.title}`).toBe(true);
        expect(phrases.some((ph) => text.includes(ph)), `${id} names a pollutant of ${t.id}`).toBe(true);
        expect(p.codes).toEqual(t.anchorGroups);
        expect(['B01D', 'B01J', 'C02F', 'F23J']).toContain(p.codes[0].slice(0, 4));
      }
    }
  });

  it('are relevant to their section only, not to the demo\'s own techniques', () => {
    const pollutionIds = new Set(Object.values(relevance).length ? tied.flatMap((t) => relevance[t.id]) : []);
    for (const t of catalogueFile.techniques.filter((x) => x.bref === undefined)) {
      expect(relevance[t.id].some((id) => pollutionIds.has(id)), t.id).toBe(false);
    }
    const owners = new Map<string, number>();
    for (const t of tied) for (const id of relevance[t.id]) owners.set(id, (owners.get(id) ?? 0) + 1);
    expect([...owners.values()].every((n) => n === 1)).toBe(true);
  });

  it('picks other sections for another seed, and as many as asked', () => {
    const corpus = generateDemoCorpus({ seed: 7 });
    const withSdg = new Set(catalogue.pollutants.map((p) => p.index));
    const other = generatePollution(corpus, catalogue, withSdg, { sections: 5, patentsPerSection: 3 });
    expect(other.techniques).toHaveLength(5);
    expect(other.patents).toHaveLength(15);
    expect(other.techniques.map((t) => t.id)).not.toEqual(tied.slice(0, 5).map((t) => t.id));
  });
});
