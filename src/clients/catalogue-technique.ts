/**
 * A BREF section as a technique for the Yes/No model: the section's title, and as description
 * its text when the user loaded one, else what the bundled facts say about it (its title under
 * its chapter headings), so a section can be matched with or without its text.
 */
import type { CatalogueSection } from '../core/catalogue/types';
import type { Technique } from '../engines/match-engine';

export function sectionTechnique(section: CatalogueSection, text: string | null, pollutantNames: readonly string[]): Technique {
  const pollutants = section.pollutants.map((i) => pollutantNames[i]).filter((p): p is string => p !== undefined);
  return {
    id: section.id,
    sectionTitle: section.title,
    description: text?.trim() ? text : sectionPath(section),
    ...(pollutants.length > 0 ? { pollutants } : {}),
  };
}

/** The headings from the chapter down to the section, its own title last (once, even if the path ends with it). */
export function sectionPath(section: CatalogueSection): string {
  const path = [...section.path];
  const last = path.at(-1);
  if (last === undefined || normalise(last) !== normalise(section.title)) path.push(section.title);
  return path.join(' › ');
}

function normalise(heading: string): string {
  return heading.replace(/\s+/g, ' ').trim().toLowerCase();
}
