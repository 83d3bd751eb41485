import { describe, expect, it } from 'vitest';
import { Retriever, type RankedSource } from '../../../src/core/chat/retrieve';
import { catalogue, PATENTS, SECTION_TEXTS } from './fixture';

const retriever = () => new Retriever({ sections: catalogue.sections, sectionText: (id) => SECTION_TEXTS[id], sectionFacts: { catalogue }, patents: PATENTS });
const ids = (items: { item: { kind: string; id: string } }[]) => items.map((r) => `${r.item.kind}:${r.item.id}`);

describe('retrieval', () => {
  it('ranks the sources that share the rare terms first, sections and patents together', async () => {
    const { items: hits } = await retriever().retrieve('How do acid spray towers absorb ammonia?');
    // The section says "towers" twice (title and text); P1 says "tower" (no stemming), so it comes second.
    expect(ids(hits).slice(0, 2)).toEqual(['section:AA:::1.1.1', 'patent:P1']);
    expect(ids(hits)).not.toContain('patent:P5');
    expect(hits[0].terms.sort()).toEqual(['acid', 'ammonia', 'spray', 'towers']);
    expect(hits[1].terms.sort()).toEqual(['acid', 'ammonia', 'spray']);
    // The section item carries the loaded text, the patent item the abstract.
    const section = hits.find((h) => h.item.kind === 'section')!.item;
    expect(section.kind === 'section' && section.text).toBe(SECTION_TEXTS['AA:::1.1.1']);
  });

  it('indexes section texts, not only titles', async () => {
    const { items: hits } = await retriever().retrieve('solvent extraction galvanising baths');
    expect(ids(hits)[0]).toBe('section:BB:::1');
  });

  it('returns nothing when no source passes the threshold', async () => {
    expect((await retriever().retrieve('What is the capital of France?')).items).toEqual([]);
    // "gas" alone is in three of twelve sources: too common to ground anything at a high threshold.
    expect((await retriever().retrieve('gas', { minBm25: 5 })).items).toEqual([]);
  });

  it('fuses an embedding ranking: an item with no shared term enters on similarity, unknown ids are dropped', async () => {
    const embedding = (): RankedSource[] => [
      { kind: 'patent', id: 'NOPE', score: 0.99 },
      { kind: 'patent', id: 'P3', score: 0.8 },
      { kind: 'section', id: 'AA:::1.1', score: 0.6 },
      { kind: 'patent', id: 'P5', score: 0.1 },
    ];
    const { items: hits } = await retriever().retrieve('particulate matter capture', { embedding });
    // P3 shares no term ("dust particles", not "particulate") but the encoder places it first.
    expect(ids(hits)).toEqual(['patent:P3', 'section:AA:::1.1']);
    expect(hits[0].bm25).toBeNull();
    expect(hits[0].similarity).toBeCloseTo(0.8, 5);
    // The best similarity over known sources (the unknown id's 0.99 does not count).
    expect((await retriever().retrieve('particulate matter capture', { embedding })).bestSimilarity).toBeCloseTo(0.8, 5);
    const lexicalOnly = await retriever().retrieve('particulate matter capture');
    expect(lexicalOnly.items).toEqual([]);
    expect(lexicalOnly.bestSimilarity).toBeNull();
  });

  it('searches on the content terms, not on the question words', async () => {
    // "about" is in no BM25 stop list; in a question it says nothing about the subject.
    const r = await retriever().retrieve('Tell me about ozone, please');
    expect(r.terms).toEqual(['ozone']);
    expect(ids(r.items)[0]).toBe('section:AA:::1.2');
    expect(r.items).toEqual((await retriever().retrieve('ozone')).items);
  });

  it('tells words in texts from words in titles and named subjects', () => {
    const r = new Retriever({ sections: catalogue.sections, sectionText: (id) => SECTION_TEXTS[id], patents: PATENTS, subjects: ['Mercury'] });
    expect(r.knows('solvent')).toBe(true);
    expect(r.isSubject('solvent')).toBe(false);
    expect(r.isSubject('scrubbing')).toBe(true);
    expect(r.isSubject('mercury')).toBe(true);
    expect(r.knows('france')).toBe(false);
  });
});
