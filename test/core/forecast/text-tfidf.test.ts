import { describe, expect, it } from 'vitest';
import { tfidfCodeVectors, tokenize } from '../../../src/core/forecast/text-tfidf';

const patents = [
  { codes: ['A01K 1/00'], title: 'Bee hive frame', abstract: null },
  { codes: ['A01K 5/00', 'B65D 1/00'], title: 'Hive frame box box', abstract: 'A box.' },
  { codes: ['B65D 1/00'], title: 'Folding box lid', abstract: undefined },
  { codes: ['H04L 5/00'], title: 'Radio packet' },
];

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

describe('text-tfidf code vectors', () => {
  it('tokenises words, drops function words, numbers and single letters', () => {
    expect(tokenize('A method for the 2 Bee-Hive frames, x')).toEqual(['bee', 'hive', 'frames']);
  });

  it('keeps terms of ≥ 2 patents, weights 1+ln tf by smoothed idf and averages normalised patents per code', () => {
    const result = tfidfCodeVectors(patents, 'subclass');
    // df: box 2, frame 2, hive 2; bee, folding, lid, radio, packet once (dropped).
    expect(result.terms).toEqual(['box', 'frame', 'hive']);
    expect(result.codes).toEqual(['A01K', 'B65D', 'H04L']);
    const idf = Math.log(5 / 3) + 1; // all three terms have df 2 of N = 4
    const p0 = unit([0, idf, idf]);
    const p1 = unit([(1 + Math.log(3)) * idf, idf, idf]); // "box" three times (title twice, abstract once)
    const p2 = unit([idf, 0, 0]);
    const a01k = unit(p0.map((v, d) => v + p1[d]));
    const b65d = unit(p1.map((v, d) => v + p2[d]));
    const row = (r: number) => Array.from(result.vectors.subarray(r * 3, r * 3 + 3));
    row(0).forEach((v, d) => expect(v).toBeCloseTo(a01k[d], 6));
    row(1).forEach((v, d) => expect(v).toBeCloseTo(b65d[d], 6));
    // A code whose patents have no kept term has a zero vector (its pairs score 0).
    expect(row(2)).toEqual([0, 0, 0]);
  });

  it('caps the vocabulary at the most frequent terms', () => {
    const result = tfidfCodeVectors(patents, 'main_group', { maxTerms: 1, minDocumentFrequency: 1 });
    expect(result.terms).toEqual(['box']);
    expect(result.dim).toBe(1);
    expect(result.codes).toEqual(['A01K 1/00', 'A01K 5/00', 'B65D 1/00', 'H04L 5/00']);
  });
});
