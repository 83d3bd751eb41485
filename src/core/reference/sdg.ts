/**
 * The bundled SDG impact file (sdg-format.ts) → SdgImpacts, every field checked on the way: a
 * malformed, truncated or newer file fails with a ReferenceFormatError naming the field, never
 * with a half-built table.
 */
import { FieldReader } from './format';
import { IMPACT_LEVELS, SDG_FORMAT, SDG_FORMAT_VERSION, sdgFingerprint } from './sdg-format';
import { SDG_IMPACTS_FILE, type GoalImpact, type PollutantImpact, type PollutantMatch, type SdgCounts, type SdgGoal, type SdgPollutant } from './types';

const MATCHES: readonly PollutantMatch[] = ['exact', 'normalised', 'none'];

/** Impact of each pollutant on each Sustainable Development Goal, tied to the catalogue's pollutants. */
export class SdgImpacts {
  private readonly goalRow = new Map<number, number>();
  private readonly byCatalogue = new Map<number, SdgPollutant>();

  constructor(
    readonly fingerprint: string,
    /** Fingerprint of the catalogue whose pollutant indices `catalogueIndex` refers to. */
    readonly catalogueFingerprint: string,
    readonly goals: readonly SdgGoal[],
    readonly pollutants: readonly SdgPollutant[],
    /** goals × pollutants, 0 where no figure. */
    private readonly matrix: readonly (readonly number[])[],
    /** Catalogue pollutants with no SDG figures: [catalogue index, name]. */
    readonly catalogueWithoutSdg: readonly (readonly [number, string])[],
  ) {
    goals.forEach((goal, row) => this.goalRow.set(goal.number, row));
    for (const p of pollutants) if (p.catalogueIndex !== null) this.byCatalogue.set(p.catalogueIndex, p);
  }

  /** SDG pollutants that are no catalogue pollutant. */
  get sdgUnmatched(): readonly SdgPollutant[] {
    return this.pollutants.filter((p) => p.catalogueIndex === null);
  }

  goal(number: number): SdgGoal {
    return this.goals[this.rowOf(number)];
  }

  /** Impact (0 or a scale value) of SDG pollutant `pollutantIndex` (a column of the file) on goal number `goal`. */
  impact(goal: number, pollutantIndex: number): number {
    const row = this.rowOf(goal);
    if (!Number.isInteger(pollutantIndex) || pollutantIndex < 0 || pollutantIndex >= this.pollutants.length) {
      throw new RangeError(`SDG pollutant index ${pollutantIndex} is not 0…${this.pollutants.length - 1}`);
    }
    return this.matrix[row][pollutantIndex];
  }

  /** The SDG pollutant that catalogue pollutant `catalogueIndex` is, or null when it has no SDG figures. */
  ofCataloguePollutant(catalogueIndex: number): SdgPollutant | null {
    return this.byCatalogue.get(catalogueIndex) ?? null;
  }

  /** Goals catalogue pollutant `catalogueIndex` affects, strongest first (then by goal number); empty without SDG figures. */
  goalsOfCataloguePollutant(catalogueIndex: number): GoalImpact[] {
    const pollutant = this.ofCataloguePollutant(catalogueIndex);
    if (pollutant === null) return [];
    return this.goals
      .map((goal, row) => ({ goal, impact: this.matrix[row][pollutant.index] }))
      .filter((g) => g.impact > 0)
      .sort((a, b) => b.impact - a.impact || a.goal.number - b.goal.number);
  }

  /** Pollutants affecting goal number `goal`, strongest first (then by column). */
  pollutantsAffecting(goal: number): PollutantImpact[] {
    const row = this.matrix[this.rowOf(goal)];
    return this.pollutants
      .map((pollutant) => ({ pollutant, impact: row[pollutant.index] }))
      .filter((p) => p.impact > 0)
      .sort((a, b) => b.impact - a.impact || a.pollutant.index - b.pollutant.index);
  }

  /** Whether the catalogue indices were made for the catalogue with this fingerprint. */
  fitsCatalogue(catalogueFingerprint: string): boolean {
    return catalogueFingerprint === this.catalogueFingerprint;
  }

  private rowOf(goal: number): number {
    const row = this.goalRow.get(goal);
    if (row === undefined) throw new RangeError(`SDG ${goal} is not in the impact table (goals ${this.goals.map((g) => g.number).join(', ')})`);
    return row;
  }
}

/** Parses the file's text, then decodes it. */
export function parseSdgImpacts(json: string): SdgImpacts {
  return decodeSdgImpacts(new FieldReader(SDG_IMPACTS_FILE).parse(json));
}

export function decodeSdgImpacts(value: unknown): SdgImpacts {
  const r: FieldReader = new FieldReader(SDG_IMPACTS_FILE);
  const file = r.object(value, 'the top level');
  r.header(file, SDG_FORMAT, SDG_FORMAT_VERSION);
  const catalogueRef = r.object(file.catalogue, '"catalogue"');
  const catalogue = { fingerprint: r.text(catalogueRef.fingerprint, 'catalogue.fingerprint'), pollutants: r.count(catalogueRef.pollutants, 'catalogue.pollutants') };
  const scale = r.list(file.scale, '"scale"');
  if (scale.length !== IMPACT_LEVELS.length || scale.some((v, i) => v !== IMPACT_LEVELS[i])) r.fail('"scale"', `expected [${IMPACT_LEVELS.join(',')}]`);

  const goalRows = r.list(file.goals, '"goals"');
  const goals = goalRows.map((row, i): [number, string] => {
    const [number, title] = r.list(row, `goals[${i}]`, 2);
    const n = r.count(number, `goals[${i}][0]`);
    if (n === 0 || (i > 0 && n <= (goalRows[i - 1] as [number])[0])) r.fail(`goals[${i}][0]`, 'goal numbers must be ≥ 1 and ascending without repeats');
    return [n, r.text(title, `goals[${i}][1]`)];
  });

  const taken = new Set<number>();
  const pollutants = r.list(file.pollutants, '"pollutants"').map((row, i): [string, number, PollutantMatch] => {
    const where = `pollutants[${i}]`;
    const [name, index, match] = r.list(row, where, 3);
    const text = r.text(name, `${where}[0]`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < -1 || index >= catalogue.pollutants) {
      r.fail(`${where}[1]`, `catalogue index must be -1 or 0…${catalogue.pollutants - 1}`);
    }
    if (!MATCHES.includes(match as PollutantMatch)) r.fail(`${where}[2]`, `expected one of ${MATCHES.join(', ')}`);
    if ((index === -1) !== (match === 'none')) r.fail(where, 'index -1 goes with "none" and only with it');
    if (index >= 0 && taken.has(index)) r.fail(`${where}[1]`, `catalogue pollutant ${index} is tied to two SDG pollutants`);
    if (index >= 0) taken.add(index);
    return [text, index, match as PollutantMatch];
  });
  if (new Set(pollutants.map((p) => p[0])).size !== pollutants.length) r.fail('"pollutants"', 'a pollutant is listed twice');

  const allowed = new Set([0, ...IMPACT_LEVELS]);
  const matrix = r.list(file.impacts, '"impacts"', goals.length).map((row, g) => r.list(row, `impacts[${g}]`, pollutants.length).map((v, p) => {
    if (typeof v !== 'number' || !allowed.has(v)) r.fail(`impacts[${g}][${p}]`, `expected one of ${[...allowed].join(', ')}`);
    return v as number;
  }));

  const sdgUnmatched = r.list(file.sdgUnmatched, '"sdgUnmatched"').map((v, i) => r.text(v, `sdgUnmatched[${i}]`));
  const expectedUnmatched = pollutants.filter((p) => p[1] === -1).map((p) => p[0]);
  if (sdgUnmatched.join('\n') !== expectedUnmatched.join('\n')) r.fail('"sdgUnmatched"', 'does not list exactly the pollutants with catalogue index -1');
  const without: [number, string][] = [];
  for (const [i, row] of r.list(file.catalogueWithoutSdg, '"catalogueWithoutSdg"').entries()) {
    const [index, name] = r.list(row, `catalogueWithoutSdg[${i}]`, 2);
    const n = r.count(index, `catalogueWithoutSdg[${i}][0]`, catalogue.pollutants - 1);
    if (i > 0 && n <= without[i - 1][0]) r.fail(`catalogueWithoutSdg[${i}][0]`, 'indices must be ascending without repeats');
    if (taken.has(n)) r.fail(`catalogueWithoutSdg[${i}][0]`, `catalogue pollutant ${n} does have SDG figures`);
    without.push([n, r.text(name, `catalogueWithoutSdg[${i}][1]`)]);
  }
  if (without.length + taken.size !== catalogue.pollutants) {
    r.fail('"catalogueWithoutSdg"', `with the tied pollutants it should cover all ${catalogue.pollutants} catalogue pollutants`);
  }

  const impacts = matrix.reduce((n, row) => n + row.filter((v) => v !== 0).length, 0);
  r.counts<keyof SdgCounts>(file.counts, {
    goals: goals.length,
    pollutants: pollutants.length,
    impacts,
    matched: pollutants.length - sdgUnmatched.length,
    sdgUnmatched: sdgUnmatched.length,
    catalogueWithoutSdg: without.length,
  });
  const fingerprint = r.fingerprint(file.fingerprint, sdgFingerprint(catalogue, goals, pollutants, matrix));
  return new SdgImpacts(
    fingerprint,
    catalogue.fingerprint,
    goals.map(([number, title]) => ({ number, title })),
    pollutants.map(([name, index, match], i) => ({ index: i, name, catalogueIndex: index === -1 ? null : index, match })),
    matrix,
    without,
  );
}
