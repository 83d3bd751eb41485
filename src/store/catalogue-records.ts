/**
 * Shapes of the catalogue records (schema v3). Structured-cloneable: plain objects, strings,
 * numbers and arrays only.
 */
import type { CatalogueImportKind, CatalogueImportReport, SectionInput } from '../core/catalogue/text-import';
import type { SourceFile } from './records';

export type CatalogueStatus = 'importing' | 'ready';

/**
 * One imported catalogue file: texts for a bundled catalogue (`textsFor` names it), or a catalogue
 * of its own. Only 'ready' ones are ever read; an import writes under a new id and replaces the
 * previous one only when it is complete.
 */
export interface CatalogueRecord {
  id: string;
  name: string;
  kind: CatalogueImportKind;
  /** For kind 'texts': the bundled catalogue's id (e.g. 'bref') and fingerprint. */
  textsFor?: string;
  baseFingerprint?: string;
  status: CatalogueStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  sourceFile: SourceFile;
  sectionCount: number;
  report?: CatalogueImportReport;
}

/** A section or a section text as stored. Key [catalogueId, id]. */
export interface StoredCatalogueSection extends SectionInput {
  catalogueId: string;
}
