/**
 * Context items built from the app's own data (a patent record, a catalogue section, the SDG
 * table's goals), so every view that offers a chip and the report mode make the same item.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { CatalogueSection } from '../catalogue/types';
import type { GoalPollutants } from '../dashboard/sdg';
import type { CodeId, Patent } from '../types';
import type { CodeItem, ForecastItem, GoalImpactFact, PatentItem, PollutantItem, SdgItem, SectionItem } from './context';

/** A patent record, or just an id when the record is not at hand (a match table knows only ids). */
export function patentItem(patent: Pick<Patent, 'id'> & Partial<Patent>): PatentItem {
  return {
    kind: 'patent',
    id: patent.id,
    year: patent.year ?? null,
    title: nonBlank(patent.title),
    abstract: nonBlank(patent.abstract),
    codes: patent.codes ?? [],
  };
}

export interface SectionFacts {
  /** The section's text from the loaded catalogue texts, when there is one. */
  text?: string | null;
  /** The catalogue the section belongs to: gives the document name and the pollutant names. */
  catalogue?: Catalogue;
}

export function sectionItem(section: CatalogueSection, facts: SectionFacts = {}): SectionItem {
  const catalogue = facts.catalogue;
  return {
    kind: 'section',
    id: section.id,
    document: section.document,
    documentName: catalogue?.document(section.document)?.name ?? null,
    number: section.number,
    title: section.title,
    path: section.path,
    text: nonBlank(facts.text ?? undefined),
    pollutants: catalogue ? catalogue.pollutantsOf(section.id).map((p) => p.name) : [],
  };
}

/** The goals one pollutant affects, strongest first, read from the per-goal lists. */
export function goalsOfPollutant(goals: readonly GoalPollutants[], pollutant: number): GoalImpactFact[] {
  const out: GoalImpactFact[] = [];
  for (const g of goals) {
    const hit = g.pollutants.find((e) => e.pollutant.index === pollutant);
    if (hit && hit.impact > 0) out.push({ number: g.goal.number, title: g.goal.title, impact: hit.impact });
  }
  return out.sort((a, b) => b.impact - a.impact || a.number - b.number);
}

/**
 * A pollutant with its linked sections and its SDG impacts; `goals` is Dashboard.goals() (empty
 * without an impact table), `patents` the pollutant's count when a match table is open.
 */
export function pollutantItem(catalogue: Catalogue, index: number, goals: readonly GoalPollutants[] = [], patents: number | null = null): PollutantItem {
  const pollutant = catalogue.pollutants[index];
  if (!pollutant) throw new RangeError(`Pollutant ${index} is not in the catalogue (it has ${catalogue.pollutants.length}).`);
  return {
    kind: 'pollutant',
    id: String(index),
    index,
    name: pollutant.name,
    sections: catalogue.sectionsWith(index).map((s) => ({ id: s.id, document: s.document, number: s.number, title: s.title })),
    goals: goalsOfPollutant(goals, index),
    patents,
  };
}

/** One SDG row: the goal with its pollutants and their impact values (and, with a job, its counts). */
export function sdgItem(row: GoalPollutants, counts: { patents: number; reach: number } | null = null): SdgItem {
  return {
    kind: 'sdg',
    id: String(row.goal.number),
    number: row.goal.number,
    title: row.goal.title,
    pollutants: row.pollutants.map((e) => ({ index: e.pollutant.index, name: e.pollutant.name, impact: e.impact })),
    patents: counts ? counts.patents : null,
    reach: counts ? counts.reach : null,
  };
}

export function codeItem(code: CodeId, title: string | null = null): CodeItem {
  return { kind: 'code', id: code, title: nonBlank(title ?? undefined) };
}

/** A forecast pair's item id: the codes in sorted order, so (A, B) and (B, A) are one item. */
export function forecastId(a: CodeId, b: CodeId): string {
  return b < a ? `${b}+${a}` : `${a}+${b}`;
}

/** A forecast pair; the codes are sorted so (A, B) and (B, A) are one item. */
export function forecastItem(a: CodeId, b: CodeId, score: number, titles: readonly [string | null, string | null] = [null, null]): ForecastItem {
  if (a === b) throw new RangeError(`A forecast pair needs two different codes, not ${a} twice.`);
  if (!Number.isFinite(score)) throw new RangeError(`The forecast score of ${a} + ${b} must be a number, not ${score}.`);
  const swap = b < a;
  return {
    kind: 'forecast',
    id: forecastId(a, b),
    codes: swap ? [b, a] : [a, b],
    titles: swap ? [titles[1], titles[0]] : [titles[0], titles[1]],
    score,
  };
}

function nonBlank(text: string | undefined): string | null {
  return text !== undefined && text.trim() !== '' ? text : null;
}
