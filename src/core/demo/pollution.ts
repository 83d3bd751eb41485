import type { Catalogue } from '../catalogue/catalogue';
import type { CatalogueSection } from '../catalogue/types';
import { toJobSection } from '../match-job/job-sections';
import { gaussian, mulberry32, pick, shuffled } from '../random';
import type { Patent } from '../types';
import type { DemoCorpus } from './generate';
import type { DemoTechnique } from './techniques';
import { ABSTRACT_TEMPLATES, GENERIC_WORDS } from './themes';

/**
 * The demo's pollution-abatement patents, tied to real technique sections of the bundled EU BREF
 * catalogue, so that a matching job of the demo against that catalogue finds real matches and the
 * dashboard has pollutants, sections and SDGs to show offline.
 *
 * Sections are chosen from the catalogue's reference facts only (titles, headings, pollutant
 * links; no section text is bundled): technique sections without subsections, linked to at least
 * one pollutant the SDG table covers, whose title has at least two content words and is the only
 * one of its kind in the catalogue (so the planted truth names one section, not a family of
 * look-alikes), named like an abatement technique (a word such as filter, scrubber, recovery),
 * with at most MAX_POLLUTANTS links, one per document in a seeded order. Each section gets a main
 * group of the pollution-abatement theme (water headings → C02F) as its patents' code, and its
 * patents are written from the words of its title and the short names of its pollutants only (no
 * theme words, so they carry no signal for the demo's own techniques, whose truth stays that of
 * the technology corpus): the planted relevance (section → its patents) is what the text carries. Its own random stream keeps the
 * main corpus's patents byte-identical, and each patent has one code, so the forecasting truth
 * (first co-occurrences) is unchanged.
 */
export interface PollutionOptions {
  sections: number;
  patentsPerSection: number;
}

export const DEFAULT_POLLUTION_OPTIONS: PollutionOptions = { sections: 24, patentsPerSection: 10 };

/** A demo technique that is a real catalogue section; its description is what a job reads when no text is loaded. */
export interface TiedTechnique extends DemoTechnique {
  /** The BREF document and the section's number in it. */
  bref: { document: string; number: string };
}

export interface DemoPollution {
  patents: Patent[];
  techniques: TiedTechnique[];
  /** Section id → sorted ids of the patents written for it. */
  relevance: Record<string, string[]>;
}

const POLLUTION_THEME_SUBCLASSES = ['B01D', 'B01J', 'F23J'];
const WATER_SUBCLASS = 'C02F';
const FIRST_YEAR = 1990;
/** Words that name no technique: they appear in the headings of most sections. */
const STOP = new Set(('the and for from with into onto other general use using used techniques technique reduce reduction '
  + 'all common issues special content reduced length design designs type types operation operations main '
  + 'reducing emissions emission prevent prevention control consider determination best available bat system systems '
  + 'process processes plant plants minimise minimisation minimising their this that are via such where when its '
  + 'based level levels new existing good practice practices applied application applicable measures measure').split(' '));

/** Stems that name an abatement technique; a demo section's title has one. */
const TECHNIQUE_STEMS = ['filt', 'scrub', 'absorb', 'absorp', 'adsorb', 'adsorp', 'oxid', 'incinerat', 'recover', 'recycl',
  'treat', 'recircul', 'condens', 'precipitat', 'catalyt', 'biofilt', 'membran', 'separat', 'inject', 'desulph',
  'denitr', 'strip', 'flotat', 'cyclon', 'sorb', 'digest', 'neutralis', 'evapor', 'distil', 'coagul', 'floccul',
  'sediment', 'clarif', 'extract', 'capture', 'washer', 'burner', 'enclos', 'cover'];
const MAX_POLLUTANTS = 8;

/** Lower-case content words of a title, in order, without repeats. */
export function contentWords(title: string): string[] {
  const words = title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 3 && !STOP.has(w));
  return [...new Set(words)];
}

/** `Nitrogen oxides (NOX/NO2)` → `nitrogen oxides`; `Mercury and compounds (as Hg)` → `mercury`. */
export function pollutantPhrase(name: string): string {
  return name.split(/\s*\(/)[0].replace(/ and compounds$/i, '').trim().toLowerCase();
}

/**
 * @param withSdg the catalogue pollutant indices the SDG table has a row for.
 * @param firstId number of the first patent id (`DEMO-<n>`), after the main corpus's.
 */
export function generatePollution(corpus: DemoCorpus, catalogue: Catalogue, withSdg: ReadonlySet<number>, options: Partial<PollutionOptions> = {}): DemoPollution {
  const opts = { ...DEFAULT_POLLUTION_OPTIONS, ...options };
  const rng = mulberry32((corpus.truth.seed ^ 0xb0e1a7) >>> 0);
  const sections = chooseSections(catalogue, withSdg, opts.sections, rng);
  const { truth } = corpus;
  const groupsOf = (subclasses: readonly string[]) => truth.mainGroups.filter((g) => subclasses.includes(g.slice(0, 4)));
  const airGroups = groupsOf(POLLUTION_THEME_SUBCLASSES);
  const waterGroups = groupsOf([WATER_SUBCLASS]);
  if (airGroups.length === 0 || waterGroups.length === 0) throw new Error('demo corpus has no pollution-abatement main groups');
  const lastYear = Math.max(...corpus.patents.map((p) => p.year ?? FIRST_YEAR));
  let next = corpus.patents.length + 1;
  const patents: Patent[] = [];
  const relevance: Record<string, string[]> = {};
  const techniques = sections.map((section): TiedTechnique => {
    const water = catalogue.ancestors(section.id).concat(section).some((s) => /water/i.test(s.title));
    const group = pick(rng, water ? waterGroups : airGroups);
    const g = truth.mainGroups.indexOf(group);
    const pollutants = catalogue.pollutantsOf(section.id).map((p) => p.name);
    const words = contentWords(section.title);
    const phrases = pollutants.filter((_, i) => withSdg.has(section.pollutants[i])).map(pollutantPhrase);
    const ids: string[] = [];
    for (let n = 0; n < opts.patentsPerSection; n++) {
      const id = `DEMO-${String(next++).padStart(6, '0')}`;
      ids.push(id);
      const year = FIRST_YEAR + Math.floor(Math.sqrt(rng()) * (lastYear - FIRST_YEAR + 1));
      patents.push({
        id, year,
        title: pollutionTitle(rng, words, phrases),
        abstract: pollutionAbstract(rng, words, phrases),
        // The main group itself: subgroups of its own would be codes the main corpus never uses.
        codes: [group],
      });
    }
    relevance[section.id] = ids.sort();
    return {
      id: section.id,
      sectionTitle: section.title,
      description: toJobSection(section.id, section.title, undefined, section.path).text,
      pollutants,
      themes: ['pollution abatement'],
      anchorGroups: [group],
      anchor: truth.mainGroupPositions[g],
      bref: { document: section.document, number: section.number },
    };
  });
  patents.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.id.localeCompare(b.id));
  return { patents, techniques, relevance };
}

function chooseSections(catalogue: Catalogue, withSdg: ReadonlySet<number>, count: number, rng: () => number): CatalogueSection[] {
  const titleCount = new Map<string, number>();
  const key = (s: CatalogueSection) => contentWords(s.title).sort().join(' ');
  for (const s of catalogue.sections) titleCount.set(key(s), (titleCount.get(key(s)) ?? 0) + 1);
  const byDocument = new Map<string, CatalogueSection[]>();
  for (const s of catalogue.sections) {
    const leaf = (catalogue.node(s.id)?.children.length ?? 0) === 0;
    const words = contentWords(s.title);
    if (!s.isTechnique || !leaf || words.length < 2 || s.title.length > 90 || titleCount.get(key(s)) !== 1) continue;
    if (!s.pollutants.some((p) => withSdg.has(p)) || s.pollutants.length > MAX_POLLUTANTS) continue;
    if (!words.some((w) => TECHNIQUE_STEMS.some((stem) => w.startsWith(stem)))) continue;
    byDocument.set(s.document, [...(byDocument.get(s.document) ?? []), s]);
  }
  const documents = shuffled(rng, [...byDocument.keys()].sort());
  const chosen: CatalogueSection[] = [];
  const usedWords = new Set<string>();
  // Round robin over the documents, so the demo spans industries before it takes a second section of one.
  for (let round = 0; chosen.length < count && round < 8; round++) {
    for (const document of documents) {
      if (chosen.length >= count) break;
      const candidates = (byDocument.get(document) ?? []).filter((s) => !chosen.includes(s) && !usedWords.has(key(s)));
      if (candidates.length === 0) continue;
      const section = pick(rng, candidates);
      chosen.push(section);
      usedWords.add(key(section));
    }
  }
  if (chosen.length < count) throw new Error(`the catalogue has only ${chosen.length} sections fit for the demo (wanted ${count})`);
  return chosen;
}

function pollutionTitle(rng: () => number, words: readonly string[], phrases: readonly string[]): string {
  const start = Math.floor(rng() * Math.max(1, words.length - 1));
  const take = words.slice(start, start + 2 + Math.floor(rng() * 2));
  const parts = [pick(rng, GENERIC_WORDS), 'for', ...(take.length >= 2 ? take : words.slice(0, 2))];
  if (phrases.length > 0 && rng() < 0.6) parts.push('reducing', pick(rng, phrases));
  const title = parts.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function pollutionAbstract(rng: () => number, words: readonly string[], phrases: readonly string[]): string {
  const pool = [...words, ...phrases];
  const fill = (template: string) => template.replace(/\{[abc]\}/g, () => pick(rng, pool));
  const sentences = [fill(pick(rng, ABSTRACT_TEMPLATES))];
  if (phrases.length > 0) sentences.push(`Emissions of ${pick(rng, phrases)} are reduced by the ${pick(rng, words)} ${pick(rng, pool)}.`);
  sentences.push(fill(pick(rng, ABSTRACT_TEMPLATES)));
  // Word order varies like the main corpus's: a gaussian draw decides whether a third sentence follows.
  if (gaussian(rng) > 0) sentences.push(fill(pick(rng, ABSTRACT_TEMPLATES)));
  return sentences.join(' ');
}

