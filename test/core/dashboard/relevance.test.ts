import { describe, expect, it } from 'vitest';
import { matchTableFromPairs } from '../../../src/core/dashboard/match-table';
import { patentRelevance } from '../../../src/core/dashboard/relevance';
import { pointColours } from '../../../src/ui/map-style';
import { AMMONIA, MERCURY, ZINC, smallCatalogue } from './fixture';

const PAIRS = [
  { patentId: 'P1', sectionId: 'AA:::1.1', prefilter: 0, pYes: 0.6 },
  { patentId: 'P1', sectionId: 'AA:::1.1.1', prefilter: 0, pYes: 0.9 },
  { patentId: 'P2', sectionId: 'BB:::1', prefilter: 0, pYes: 0.4 },
  { patentId: 'P3', sectionId: 'AA:::2', prefilter: 0, pYes: 0.99 },
];

describe('patentRelevance', () => {
  it('is each patent’s best score among its sections linked to the pollutant, or equal to the section', () => {
    const table = matchTableFromPairs(smallCatalogue(), PAIRS, { fallbackToPrefilter: false });
    const of = (r: ReturnType<typeof patentRelevance>) => Object.fromEntries(r.patentIds.map((id, i) => [id, Number.isNaN(r.scores[i]) ? null : Number(r.scores[i].toFixed(3))]));
    // Ammonia: AA:::1.1 (0.6) and AA:::1.1.1 (0.9) for P1 → 0.9; nothing for P2, P3.
    expect(of(patentRelevance(table, { pollutant: AMMONIA }))).toEqual({ P1: 0.9, P2: null, P3: null });
    // Zinc: AA:::1.1 (P1, 0.6) and BB:::1 (P2, 0.4).
    expect(of(patentRelevance(table, { pollutant: ZINC }))).toEqual({ P1: 0.6, P2: 0.4, P3: null });
    expect(of(patentRelevance(table, { pollutant: MERCURY }))).toEqual({ P1: null, P2: null, P3: null });
    expect(of(patentRelevance(table, { sectionId: 'AA:::2' }))).toEqual({ P1: null, P2: null, P3: 0.99 });
    expect(() => patentRelevance(table, { sectionId: 'ZZ:::9' })).toThrow(RangeError);
    expect(() => patentRelevance(table, { pollutant: 99 })).toThrow(RangeError);
  });

  it('colours the map graded above the threshold and grey below it or unmatched, and counts them in the legend', () => {
    const scores = Float32Array.from([0.9, 0.5, 0.49, Number.NaN, 1]);
    const columns = { count: 5, years: new Float32Array(5), sections: new Uint8Array(5) };
    const { colours, legend } = pointColours('relevance', columns, new Int32Array(5), { relevance: { scores, threshold: 0.5, label: 'Zinc' } });
    const rgb = (i: number) => [...colours.subarray(i * 4, i * 4 + 3)];
    expect(rgb(2)).toEqual(rgb(3)); // below the threshold looks like unmatched
    expect(rgb(0)).not.toEqual(rgb(2));
    expect(rgb(1)).not.toEqual(rgb(4)); // graded: 0.5 and 1.0 differ
    expect(legend[0].label).toBe('Zinc: 3 patents ≥ 0.50');
    expect(pointColours('relevance', columns, new Int32Array(5), {}).legend[0].label).toBe('choose a pollutant');
  });
});
