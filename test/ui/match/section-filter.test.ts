import { describe, expect, it } from 'vitest';
import type { CatalogueSection } from '../../../src/core/catalogue/types';
import { filterSections, sectionLabel } from '../../../src/ui/match/section-filter';

const section = (number: string, title: string, isTechnique: boolean, path: string[] = [title]): CatalogueSection => ({
  id: `CWW:::${number}`, document: 'CWW', number, title, path, chapter: path[0] ?? title, isTechnique, parentId: null, pollutants: [],
});

const sections = [
  section('3', 'Techniques to consider in the determination of BAT', false),
  section('3.1', 'Biological treatment', true, ['Techniques to consider in the determination of BAT', 'Biological treatment']),
  section('3.2', 'Waste gas treatment', false),
  section('3.3', 'Activated sludge process', true, ['Techniques to consider in the determination of BAT', 'Biological treatment', 'Activated sludge process']),
];

describe('filterSections', () => {
  it('puts technique sections first, each group in document order', () => {
    const r = filterSections(sections, '');
    expect(r.techniques.map((s) => s.number)).toEqual(['3.1', '3.3']);
    expect(r.others.map((s) => s.number)).toEqual(['3', '3.2']);
    expect(r.total).toBe(4);
  });

  it('keeps sections whose title or headings contain every word, in any case', () => {
    const r = filterSections(sections, '  BIOLOGICAL   sludge ');
    expect(r.techniques.map((s) => s.number)).toEqual(['3.3']); // "biological" only in its path
    expect(r.others).toEqual([]);
    expect(filterSections(sections, 'membrane').techniques).toEqual([]);
  });

  it('labels a section with its number and a shortened title', () => {
    expect(sectionLabel(sections[1])).toBe('3.1 Biological treatment');
    expect(sectionLabel(section('1', 'x'.repeat(200), false), 20)).toBe(`1 ${'x'.repeat(19)}…`);
  });
});
