/**
 * The bundled SDG impact file (public/reference/sdg-impacts.json), version 1.
 *
 *   goals:      [number, title] per SDG, ascending by number
 *   pollutants: [name, catalogue index (-1: none), "exact" | "normalised" | "none"], sorted by name
 *   impacts:    one row per goal (goals order), one value per pollutant (pollutants order),
 *               0 where the source gives no figure for that pair
 *   sdgUnmatched:        SDG pollutant names that are no catalogue pollutant
 *   catalogueWithoutSdg: [catalogue index, name] of catalogue pollutants with no SDG figures
 *
 * Catalogue indices refer to the bundled BREF catalogue whose fingerprint `catalogue.fingerprint`
 * records; the fingerprint of this file covers that too, so a regenerated catalogue that moved its
 * pollutants shows up as a stale file in the regeneration test.
 */
import { fingerprintOf } from './format';
import type { PollutantMatch } from './types';

export const SDG_FORMAT = 'patent-space/sdg-impacts';
export const SDG_FORMAT_VERSION = 1;
/** The source's scale: every figure is one of these; 0 in the matrix means "no figure". */
export const IMPACT_LEVELS: readonly number[] = [10, 30, 60];

export const SDG_LAYOUT = {
  goals: '[SDG number, title]',
  pollutants: '[name as the SDG source spells it, index of the catalogue pollutant it is (-1: none), how it was matched: exact | normalised | none]',
  impacts: 'one row per goal (in goals order), one impact per pollutant (in pollutants order); 0 where the source has no figure',
  catalogueWithoutSdg: '[catalogue pollutant index, name]',
};

export const MATCHING_RULE =
  'An SDG pollutant is the catalogue pollutant of the same name; failing that, the one with the same key, where the key is the name '
  + 'in Unicode NFKC, lower case, every run of characters other than letters and digits replaced by one space, trimmed '
  + '(so case, spacing and punctuation are ignored, letters and digits are not). A key shared by two catalogue pollutants matches neither. '
  + 'No other similarity is used.';

export type CompactGoal = [number: number, title: string];
export type CompactSdgPollutant = [name: string, catalogueIndex: number, match: PollutantMatch];

export interface CompactSdgFile {
  format: typeof SDG_FORMAT;
  version: typeof SDG_FORMAT_VERSION;
  fingerprint: string;
  counts: Record<'goals' | 'pollutants' | 'impacts' | 'matched' | 'sdgUnmatched' | 'catalogueWithoutSdg', number>;
  source: string;
  scale: number[];
  catalogue: { fingerprint: string; pollutants: number };
  matching: string;
  layout: typeof SDG_LAYOUT;
  goals: CompactGoal[];
  pollutants: CompactSdgPollutant[];
  impacts: number[][];
  sdgUnmatched: string[];
  catalogueWithoutSdg: [index: number, name: string][];
}

/** FNV-1a over the facts: catalogue reference, goals, pollutants with their ties, matrix rows. */
export function sdgFingerprint(
  catalogue: { fingerprint: string; pollutants: number },
  goals: readonly (readonly [number, string])[],
  pollutants: readonly (readonly [string, number, string])[],
  impacts: readonly (readonly number[])[],
): string {
  return fingerprintOf([[catalogue.fingerprint, catalogue.pollutants], ...goals, ...pollutants, ...impacts]);
}
