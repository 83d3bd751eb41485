/**
 * The technique catalogue as the app uses it: BREF documents, their sections (a tree under each
 * document's chapters) and the pollutants sections are linked to. Reference facts only: section
 * texts come from a file the user loads (see text-reader.ts) and live in the store.
 */

/** One pollutant (E-PRTR name, e.g. `Mercury and compounds (as Hg)`); `index` is its place in the catalogue. */
export interface Pollutant {
  index: number;
  name: string;
}

/** Where a document's name came from: the source data, or the script's list of official titles. */
export type NameSource = 'data' | 'script';

export interface CatalogueDocument {
  /** BREF acronym, e.g. `CWW`. */
  code: string;
  name: string;
  nameSource: NameSource;
  /** Sections of this document (all levels). */
  sectionCount: number;
}

export interface CatalogueSection {
  /** `<document>:::<number>`, e.g. `CWW:::3.3.2.3.4.11`. */
  id: string;
  document: string;
  /** Dotted section number within the document, e.g. `3.3.2`. */
  number: string;
  title: string;
  /** Headings from the chapter down to this section (the last may differ from `title` in spacing). */
  path: readonly string[];
  /** The chapter heading (`path[0]`). */
  chapter: string;
  /** A "techniques to consider in the determination of BAT" section. */
  isTechnique: boolean;
  /** null for a chapter (a top-level section). */
  parentId: string | null;
  /** Indices into the catalogue's pollutants, ascending. */
  pollutants: readonly number[];
}

/** A section with the sections directly below it. A document's chapters are its top-level nodes. */
export interface CatalogueNode {
  section: CatalogueSection;
  children: CatalogueNode[];
}

export interface CatalogueCounts {
  documents: number;
  sections: number;
  techniqueSections: number;
  pollutants: number;
  /** Section → pollutant links. */
  links: number;
}

/** Where each kind of fact in the bundled file came from, as written by the script. */
export interface CatalogueSources {
  sections: string;
  links: string;
  documentNames: string;
}
