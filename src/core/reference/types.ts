/**
 * Reference data bundled with the app (public/reference/), written by scripts/make-reference.ts
 * from the shared source data: SDG × pollutant impact figures and IPC titles. Facts only.
 */

/** Where the app serves the bundled files (relative to the page). */
export const SDG_IMPACTS_PATH = 'reference/sdg-impacts.json';
export const IPC_TITLES_PATH = 'reference/ipc-titles.json';
export const SDG_IMPACTS_FILE = 'sdg-impacts.json';
export const IPC_TITLES_FILE = 'ipc-titles.json';

/** How an SDG pollutant name was tied to a catalogue pollutant (see sdg-encode.ts, pollutantKey). */
export type PollutantMatch = 'exact' | 'normalised' | 'none';

export interface SdgGoal {
  /** 1…17 (`SDG 3` in the source). */
  number: number;
  title: string;
}

export interface SdgPollutant {
  /** Column of the impact matrix. */
  index: number;
  /** As the SDG source spells it. */
  name: string;
  /** Index into the bundled catalogue's pollutants, or null when none is this pollutant. */
  catalogueIndex: number | null;
  match: PollutantMatch;
}

/** One non-zero impact. */
export interface GoalImpact {
  goal: SdgGoal;
  impact: number;
}

export interface PollutantImpact {
  pollutant: SdgPollutant;
  impact: number;
}

export interface SdgCounts {
  goals: number;
  pollutants: number;
  /** Non-zero cells of the matrix. */
  impacts: number;
  /** SDG pollutants tied to a catalogue pollutant. */
  matched: number;
  sdgUnmatched: number;
  catalogueWithoutSdg: number;
}

/** The levels the bundled IPC titles cover; a subgroup falls back to its main group. */
export type IpcTitleLevel = 'section' | 'class' | 'subclass' | 'main_group';

/** A title found for a code: the code it belongs to, which may be an ancestor of the one asked for. */
export interface IpcTitleHit {
  /** The code whose title this is (`H04L` when `H04L 99/00` has none). */
  code: string;
  title: string;
  level: IpcTitleLevel;
  /** True when `code` is the asked code itself (after normalisation), false for an ancestor's title. */
  exact: boolean;
}

export interface IpcCounts {
  sections: number;
  classes: number;
  subclasses: number;
  mainGroups: number;
  /** Titles whose parenthesised cross-references were cut. */
  shortened: number;
}

/** A bundled reference file this app cannot read; `where` names the field or row. */
export class ReferenceFormatError extends Error {
  override name = 'ReferenceFormatError';
  constructor(readonly file: string, readonly where: string, detail: string) {
    super(`The reference file ${file} is malformed at ${where}: ${detail}. Rebuild it with scripts/make-reference.ts or reinstall the app.`);
  }
}

/** A source file the script cannot turn into a reference file; `line` is 1-based where known. */
export class ReferenceSourceError extends Error {
  override name = 'ReferenceSourceError';
  constructor(readonly file: string, readonly line: number | null, detail: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}`);
  }
}
