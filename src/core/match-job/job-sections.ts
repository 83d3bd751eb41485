/**
 * The sections a job matches, from a catalogue: the bundled BREF sections (with the texts the user
 * loaded), an own catalogue's rows, or the demo techniques. A section without its own text is
 * matched on its headings, so every section reaches the prefilter and the verifier with words.
 */
import type { SectionInput } from '../catalogue/text-import';
import type { CatalogueSection } from '../catalogue/types';
import type { JobSection } from './types';

/** Which sections of the bundled catalogue a job takes. */
export type SectionScope = 'techniques' | 'with-text' | 'all';

export const SECTION_SCOPES: readonly SectionScope[] = ['techniques', 'with-text', 'all'];

export function bundledJobSections(sections: readonly CatalogueSection[], texts: ReadonlyMap<string, string>, scope: SectionScope): JobSection[] {
  return sections
    .filter((s) => (scope === 'all' ? true : scope === 'techniques' ? s.isTechnique : texts.has(s.id)))
    .map((s) => toJobSection(s.id, s.title, texts.get(s.id), s.path));
}

export function ownJobSections(rows: readonly SectionInput[]): JobSection[] {
  return rows.map((r) => toJobSection(r.id, r.title ?? r.path?.at(-1) ?? r.id, r.text, r.path ?? []));
}

export function toJobSection(id: string, title: string, text: string | undefined, path: readonly string[]): JobSection {
  const own = text?.trim() ?? '';
  if (own) return { id, title, text: own, hasText: true };
  const headings = [...path];
  if (headings.at(-1)?.trim().toLowerCase() !== title.trim().toLowerCase()) headings.push(title);
  return { id, title, text: headings.join(' › '), hasText: false };
}
