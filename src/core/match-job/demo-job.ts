import { BREF_CATALOGUE_ID } from '../catalogue/format';
import type { MatchJobSettings } from './types';

/**
 * The job the dashboard runs in one click on the demo: every demo patent against the bundled BREF
 * technique sections, a TF-IDF shortlist of DEMO_JOB_K sections per patent (matched on their
 * headings: no section text is bundled), then the demo-trained Yes/No model, whose recipe trained
 * it on the demo's pollution patents and those sections (models/LLAMA.md).
 */
export const DEMO_JOB_K = 2;

export function demoDashboardSettings(): MatchJobSettings {
  return {
    catalogueId: BREF_CATALOGUE_ID, catalogueName: 'EU BREF catalogue', k: DEMO_JOB_K, method: 'tfidf', sectionK: 0,
    verify: true, encoderId: null, matcherRef: 'bundled:ps-llama-yesno-tiny', matcherDtype: 'q4',
  };
}
