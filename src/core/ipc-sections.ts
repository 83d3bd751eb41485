/** The IPC sections (and CPC's tagging section Y) in display order, with their names. */
export const SECTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'Y'] as const;
export type SectionLetter = (typeof SECTION_LETTERS)[number];

export const SECTION_NAMES: Record<SectionLetter, string> = {
  A: 'Human necessities', B: 'Performing operations; transporting', C: 'Chemistry; metallurgy', D: 'Textiles; paper',
  E: 'Fixed constructions', F: 'Mechanical engineering; lighting; heating; weapons', G: 'Physics', H: 'Electricity',
  Y: 'New technologies (CPC Y)',
};

/** Written in a section column when a patent has no readable section. */
export const NO_SECTION = 255;

/** Index of a section letter in SECTION_LETTERS, or NO_SECTION. */
export function sectionIndex(section: string): number {
  const index = (SECTION_LETTERS as readonly string[]).indexOf(section);
  return index < 0 ? NO_SECTION : index;
}
