/**
 * From sdg_pollutant_impacts.json and the bundled catalogue's pollutant names to the bundled SDG
 * impact file. Pure: the script reads the files and writes the result. A source that is not what
 * the file's layout promises (goal keys, scale, repeated pairs) stops the script with the place.
 */
import { byCodeUnits, serializeReference } from './format';
import {
  IMPACT_LEVELS,
  MATCHING_RULE,
  SDG_FORMAT,
  SDG_FORMAT_VERSION,
  SDG_LAYOUT,
  sdgFingerprint,
  type CompactSdgFile,
  type CompactSdgPollutant,
} from './sdg-format';
import { ReferenceSourceError, type PollutantMatch } from './types';

export interface SourceGoal {
  number: number;
  title: string;
  /** Pollutant name → impact. */
  impacts: Map<string, number>;
}

const GOAL_KEY = /^SDG ([1-9]\d*)$/;

/** The goals of the source file, ascending by number. */
export function parseSdgSource(json: string, file = 'sdg_pollutant_impacts.json'): SourceGoal[] {
  const fail = (detail: string): never => {
    throw new ReferenceSourceError(file, null, detail);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected an object of goals ({"SDG 1": {…}})');
  const goals: SourceGoal[] = [];
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const number = GOAL_KEY.exec(key);
    if (number === null) fail(`goal key "${key}" is not "SDG <number>"`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail(`${key}: expected an object with "title" and "pollutants"`);
    const { title, pollutants } = entry as Record<string, unknown>;
    if (typeof title !== 'string' || title.trim() === '') fail(`${key}: "title" must be a non-empty string`);
    if (!Array.isArray(pollutants)) return fail(`${key}: "pollutants" must be a list`);
    const impacts = new Map<string, number>();
    pollutants.forEach((item: unknown, i) => {
      const where = `${key}.pollutants[${i}]`;
      if (typeof item !== 'object' || item === null) fail(`${where}: expected {"name", "impact"}`);
      const { name, impact } = item as Record<string, unknown>;
      if (typeof name !== 'string' || name.trim() === '') fail(`${where}: "name" must be a non-empty string`);
      if (typeof impact !== 'number' || !IMPACT_LEVELS.includes(impact)) fail(`${where}: impact ${JSON.stringify(impact)} is not one of ${IMPACT_LEVELS.join('/')}`);
      if (impacts.has(name as string)) fail(`${where}: "${name as string}" is given twice for ${key}`);
      impacts.set(name as string, impact as number);
    });
    goals.push({ number: Number(number![1]), title: (title as string).trim(), impacts });
  }
  goals.sort((a, b) => a.number - b.number);
  goals.forEach((goal, i) => {
    if (i > 0 && goal.number === goals[i - 1].number) fail(`SDG ${goal.number} is given twice`);
  });
  if (goals.length === 0) fail('no goals');
  return goals;
}

/** The normalisation of MATCHING_RULE: case, spacing and punctuation ignored, letters and digits kept. */
export function pollutantKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export interface Reconciliation {
  /** Per SDG pollutant (input order): catalogue index or -1, and how. */
  ties: { catalogueIndex: number; match: PollutantMatch }[];
  /** SDG pollutant names with no catalogue pollutant, input order. */
  sdgUnmatched: string[];
  /** Catalogue pollutants no SDG pollutant is tied to, ascending index. */
  catalogueWithoutSdg: [number, string][];
}

/** Ties SDG pollutant names to catalogue pollutant names by MATCHING_RULE; two SDG names on one catalogue pollutant is an error. */
export function reconcilePollutants(sdgNames: readonly string[], catalogueNames: readonly string[], file = 'sdg_pollutant_impacts.json'): Reconciliation {
  const exact = new Map(catalogueNames.map((name, i) => [name, i]));
  const byKey = new Map<string, number>();
  for (const [i, name] of catalogueNames.entries()) {
    const key = pollutantKey(name);
    byKey.set(key, byKey.has(key) ? -1 : i); // -1: ambiguous key, ties nothing
  }
  const takenBy = new Map<number, string>();
  const ties = sdgNames.map((name) => {
    let catalogueIndex = exact.get(name) ?? -1;
    let match: PollutantMatch = catalogueIndex >= 0 ? 'exact' : 'none';
    if (catalogueIndex < 0) {
      catalogueIndex = byKey.get(pollutantKey(name)) ?? -1;
      if (catalogueIndex >= 0) match = 'normalised';
    }
    if (catalogueIndex >= 0) {
      const earlier = takenBy.get(catalogueIndex);
      if (earlier !== undefined) {
        throw new ReferenceSourceError(file, null, `"${earlier}" and "${name}" are both the catalogue pollutant "${catalogueNames[catalogueIndex]}"`);
      }
      takenBy.set(catalogueIndex, name);
    }
    return { catalogueIndex, match };
  });
  return {
    ties,
    sdgUnmatched: sdgNames.filter((_, i) => ties[i].catalogueIndex < 0),
    catalogueWithoutSdg: catalogueNames.flatMap((name, i): [number, string][] => (takenBy.has(i) ? [] : [[i, name]])),
  };
}

/** The compact file; pollutants sorted by name so that columns do not depend on the source's order. */
export function encodeSdgImpacts(
  goals: readonly SourceGoal[],
  catalogue: { fingerprint: string; pollutants: readonly string[] },
  source: string,
): CompactSdgFile {
  const names = [...new Set(goals.flatMap((goal) => [...goal.impacts.keys()]))].sort(byCodeUnits);
  const { ties, sdgUnmatched, catalogueWithoutSdg } = reconcilePollutants(names, catalogue.pollutants);
  const pollutants: CompactSdgPollutant[] = names.map((name, i) => [name, ties[i].catalogueIndex, ties[i].match]);
  const impacts = goals.map((goal) => names.map((name) => goal.impacts.get(name) ?? 0));
  const compactGoals = goals.map((goal): [number, string] => [goal.number, goal.title]);
  const catalogueRef = { fingerprint: catalogue.fingerprint, pollutants: catalogue.pollutants.length };
  return {
    format: SDG_FORMAT,
    version: SDG_FORMAT_VERSION,
    fingerprint: sdgFingerprint(catalogueRef, compactGoals, pollutants, impacts),
    counts: {
      goals: goals.length,
      pollutants: names.length,
      impacts: impacts.reduce((n, row) => n + row.filter((v) => v !== 0).length, 0),
      matched: names.length - sdgUnmatched.length,
      sdgUnmatched: sdgUnmatched.length,
      catalogueWithoutSdg: catalogueWithoutSdg.length,
    },
    source,
    scale: [...IMPACT_LEVELS],
    catalogue: catalogueRef,
    matching: MATCHING_RULE,
    layout: SDG_LAYOUT,
    goals: compactGoals,
    pollutants,
    impacts,
    sdgUnmatched,
    catalogueWithoutSdg,
  };
}

export function serializeSdgImpacts(file: CompactSdgFile): string {
  const { goals, pollutants, impacts, sdgUnmatched, catalogueWithoutSdg, ...header } = file;
  return serializeReference(header, { goals, pollutants, impacts, sdgUnmatched, catalogueWithoutSdg });
}
