/**
 * The section picker's list: sections of one document whose title or headings contain every word
 * of the filter, technique sections ("techniques to consider in the determination of BAT") first,
 * each group in document order. Pure, so it is tested in Node.
 */
import type { CatalogueSection } from '../../core/catalogue/types';

export interface FilteredSections {
  techniques: CatalogueSection[];
  others: CatalogueSection[];
  /** Sections of the document before filtering. */
  total: number;
}

export function filterSections(sections: readonly CatalogueSection[], query: string): FilteredSections {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const techniques: CatalogueSection[] = [];
  const others: CatalogueSection[] = [];
  for (const section of sections) {
    if (words.length > 0) {
      const haystack = `${section.number} ${section.title} ${section.path.join(' ')}`.toLowerCase();
      if (!words.every((w) => haystack.includes(w))) continue;
    }
    (section.isTechnique ? techniques : others).push(section);
  }
  return { techniques, others, total: sections.length };
}

/** A section in the list: its number, then its title (shortened; the full path is shown beside the list). */
export function sectionLabel(section: CatalogueSection, maxChars = 110): string {
  const title = section.title.length > maxChars ? `${section.title.slice(0, maxChars - 1)}…` : section.title;
  return `${section.number} ${title}`;
}
