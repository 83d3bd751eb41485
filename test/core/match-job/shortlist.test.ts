import { describe, expect, it } from 'vitest';
import { mergeBatchOutput, countersOf } from '../../../src/core/match-job/batch-merge';
import { pairsBefore, pairsOf, toChunks } from '../../../src/core/match-job/chunks';
import { bundledJobSections, ownJobSections, toJobSection } from '../../../src/core/match-job/job-sections';
import { buildShortlist, sectionDocument } from '../../../src/core/match-job/shortlist';
import type { JobSection } from '../../../src/core/match-job/types';
import type { CrossTopK } from '../../../src/core/prefilter/cross-topk';
import type { CatalogueSection } from '../../../src/core/catalogue/types';

const SECTIONS: JobSection[] = [
  toJobSection('A', 'Fabric filters', 'Dust is retained by woven filter bags', []),
  toJobSection('B', 'Wet scrubbers', 'Acid gases are absorbed in a scrubbing liquid', []),
  toJobSection('C', 'Biological treatment', 'Activated sludge degrades organic load in waste water', []),
];
const PATENTS = ['Filter bag for dust removal', 'Scrubbing liquid for acid gases with a filter', 'A violin bow'];

/** A hand-made dense ranking: patent p's sections in the order given, section s's patents likewise. */
function dense(perPatent: number[][], perSection: number[][], k: number): CrossTopK {
  const pack = (lists: number[][]) => ({
    k, rows: lists.length,
    indices: Int32Array.from(lists.flatMap((l) => [...l, ...Array(k - l.length).fill(-1)])),
    scores: Float32Array.from(lists.flatMap((l) => [...l.map((_, r) => 1 - r / 10), ...Array(k - l.length).fill(-Infinity)])),
  });
  return { perPatent: pack(perPatent), perSection: pack(perSection) };
}

describe('buildShortlist', () => {
  it('keeps each patent’s best sections by TF-IDF, only those sharing a word, ranked from 1', () => {
    const s = buildShortlist({ patentTexts: PATENTS, sections: SECTIONS, method: 'tfidf', k: 2, sectionK: 0 });
    const rows = [...s.patent].map((p, i) => [p, SECTIONS[s.section[i]].id, s.rank[i]]);
    expect(rows.filter((r) => r[0] === 0)[0]).toEqual([0, 'A', 1]);
    expect(rows.filter((r) => r[0] === 1)[0]).toEqual([1, 'B', 1]);
    expect(rows.filter((r) => r[0] === 2)).toEqual([]); // nothing in common with a violin bow
  });

  it('fuses TF-IDF with the cosine ranking and adds the section side once per pair', () => {
    const d = dense([[2, 0], [0, 1], [1, 2]], [[1, 0], [2, 1], [2, 0]], 2);
    const s = buildShortlist({ patentTexts: PATENTS, sections: SECTIONS, method: 'fusion', k: 2, sectionK: 2, dense: d });
    const pairs = [...s.patent].map((p, i) => `${p}${SECTIONS[s.section[i]].id}${s.rank[i]}`);
    // Patent 0: TF-IDF A first, dense C then A → A fused first; section B lists patent 0? no; section C lists it → already in.
    expect(pairs.filter((x) => x.startsWith('0'))).toEqual(['0A1', '0C2']);
    // Patent 2 has no TF-IDF match; its dense list B, C; section A lists patents 1, 0 only.
    expect(pairs.filter((x) => x.startsWith('2'))).toEqual(['2B1', '2C2']);
    expect(new Set(pairs.map((x) => x.slice(0, 2))).size).toBe(pairs.length);
  });

  it('refuses a method that needs cosines without them, and a k below 1', () => {
    expect(() => buildShortlist({ patentTexts: PATENTS, sections: SECTIONS, method: 'embedding', k: 2, sectionK: 0 })).toThrow(/needs the encoder/);
    expect(() => buildShortlist({ patentTexts: PATENTS, sections: SECTIONS, method: 'tfidf', k: 0, sectionK: 0 })).toThrow(RangeError);
  });
});

describe('job sections and chunks', () => {
  it('matches a section without text on its headings and says so', () => {
    const section = { id: 'X:::1', title: 'Scrubbers', path: ['4 Techniques', 'Scrubbers'], isTechnique: true } as unknown as CatalogueSection;
    const other = { id: 'X:::2', title: 'Intro', path: ['1 General'], isTechnique: false } as unknown as CatalogueSection;
    expect(bundledJobSections([section, other], new Map(), 'techniques')).toEqual([{ id: 'X:::1', title: 'Scrubbers', text: '4 Techniques › Scrubbers', hasText: false }]);
    expect(bundledJobSections([section, other], new Map([['X:::2', 'Some text']]), 'with-text')).toEqual([{ id: 'X:::2', title: 'Intro', text: 'Some text', hasText: true }]);
    expect(ownJobSections([{ id: 'own-1', text: '  ' }])).toEqual([{ id: 'own-1', title: 'own-1', text: 'own-1', hasText: false }]);
    expect(sectionDocument(SECTIONS[0])).toBe('Fabric filters. Dust is retained by woven filter bags');
  });

  it('cuts the shortlist into chunks, reads it back, and counts a batch output’s answers', () => {
    const shortlist = { patent: Int32Array.from([0, 0, 1, 2, 2]), section: Int32Array.from([0, 1, 1, 2, 0]), prefilter: Float32Array.from([0.9, 0.5, 0.8, 0.7, 0.1]), rank: Int32Array.from([1, 2, 1, 1, 0]) };
    const chunks = toChunks('d', 'j', shortlist, ['p0', 'p1', 'p2'], ['A', 'B', 'C'], 2);
    expect(chunks.map((c) => c.patentIds)).toEqual([['p0', 'p0'], ['p1', 'p2'], ['p2']]);
    expect(pairsBefore(2, 5, 2)).toBe(4);
    expect(pairsBefore(3, 5, 2)).toBe(5);
    const report = mergeBatchOutput(chunks, {
      results: [{ pair: { patent: 'p0', section: 'A' }, pYes: 0.9 }, { pair: { patent: 'p0', section: 'B' }, pYes: null, reason: 'no Yes/No token' },
        { pair: { patent: 'p2', section: 'A' }, pYes: 0.3 }, { pair: { patent: 'zz', section: 'A' }, pYes: 0.5 }],
      errors: [{ line: 7, reason: 'not JSON' }],
    });
    expect(report).toMatchObject({ matched: 3, unknown: 1, failed: 1, failedReason: 'no Yes/No token', lineErrorCount: 1, stillMissing: 3 });
    // Chunk 0 is answered (one failed), chunk 1 is open, chunk 2 answered: resume starts at chunk 1.
    expect(countersOf(chunks)).toEqual({ verifiedChunks: 1, verifiedPairs: 2, failedPairs: 1 });
    const pairs = pairsOf(chunks);
    expect(pairs.map((p) => p.score)).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.5, 5), expect.closeTo(0.8, 5), expect.closeTo(0.7, 5), expect.closeTo(0.3, 5)]);
    expect(pairs[4]).toMatchObject({ pYes: expect.closeTo(0.3, 5), prefilterRank: 0 });
  });
});
