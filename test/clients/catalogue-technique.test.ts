import { describe, expect, it } from 'vitest';
import { sectionPath, sectionTechnique } from '../../src/clients/catalogue-technique';
import type { CatalogueSection } from '../../src/core/catalogue/types';

const mercury: CatalogueSection = {
  id: 'CAK:::4.1.1', document: 'CAK', number: '4.1.1', title: 'Techniques to reduce emissions of mercury',
  path: ['Techniques to consider', 'Mercury cell plants', 'Techniques to reduce  emissions of mercury'],
  chapter: 'Techniques to consider', isTechnique: true, parentId: 'CAK:::4.1', pollutants: [0, 2],
};
const names = ['Mercury and compounds (as Hg)', 'Nitrogen oxides', 'Chlorine'];

describe('sectionTechnique', () => {
  it('uses the loaded text as the description, the title as the section title and the linked pollutants', () => {
    expect(sectionTechnique(mercury, 'The cell room is kept sealed.', names)).toEqual({
      id: 'CAK:::4.1.1', sectionTitle: 'Techniques to reduce emissions of mercury', description: 'The cell room is kept sealed.',
      pollutants: ['Mercury and compounds (as Hg)', 'Chlorine'],
    });
  });

  it('falls back to the headings when no text (or a blank one) is loaded, without repeating the title', () => {
    const expected = 'Techniques to consider › Mercury cell plants › Techniques to reduce  emissions of mercury';
    expect(sectionTechnique(mercury, null, names).description).toBe(expected);
    expect(sectionTechnique(mercury, '   ', names).description).toBe(expected);
  });

  it('adds the title when the path does not end with it, and omits pollutants when none are linked', () => {
    const chapter = { ...mercury, path: ['Techniques to consider'], title: 'Mercury', pollutants: [] };
    expect(sectionPath(chapter)).toBe('Techniques to consider › Mercury');
    expect(sectionTechnique(chapter, null, names)).not.toHaveProperty('pollutants');
  });
});
