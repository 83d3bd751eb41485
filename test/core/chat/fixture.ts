/**
 * A small corpus for the chat tests: the dashboard's small catalogue with made-up section texts,
 * five made-up patents (one off-topic) and the dashboard test's hand-checked job. Not BREF text.
 */
import type { Catalogue } from '../../../src/core/catalogue/catalogue';
import { Dashboard, matchTableFromPairs, scoreRuleForJob } from '../../../src/core/dashboard/dashboard';
import type { Patent } from '../../../src/core/types';
import { SMALL_JOB_PAIRS, smallCatalogue, smallImpacts } from '../dashboard/fixture';

export const SECTION_TEXTS: Readonly<Record<string, string>> = {
  'AA:::1.1': 'Wet scrubbing removes ammonia and zinc dust from the flue gas with an acidic washing liquid that is recirculated.',
  'AA:::1.1.1': 'Spray towers atomise an acid solution so that ammonia is absorbed from exhaust air of livestock housing.',
  'AA:::1.2': 'Catalytic oxidation destroys volatile organic compounds, the precursors of ground-level ozone.',
  'BB:::1': 'Zinc is recovered from spent galvanising baths by solvent extraction.',
};

export const PATENTS: readonly Patent[] = [
  { id: 'P1', year: 2019, title: 'Ammonia scrubber with acid spray', abstract: 'An acid spray tower absorbs ammonia from the exhaust air of a livestock barn; the washing liquid is recirculated through nozzles.', codes: ['B01D'] },
  { id: 'P2', year: 2020, title: 'Zinc and ammonia removal from flue gas', abstract: 'A wet scrubber captures zinc dust and ammonia from flue gas of a galvanising plant.', codes: ['B01D', 'C22B'] },
  { id: 'P3', year: 2018, title: 'Electrostatic precipitator', abstract: 'Charged plates collect fine dust particles from a gas stream.', codes: ['B03C'] },
  { id: 'P4', year: 2021, title: 'Oxidation catalyst for organic vapours', abstract: 'A platinum catalyst oxidises volatile organic compounds that would otherwise form ozone.', codes: ['B01J'] },
  { id: 'P5', year: 2017, title: 'Bicycle gear hub', abstract: 'A planetary gear hub gives a bicycle eleven speeds.', codes: ['B62M'] },
];

export function patentById(id: string): Patent | undefined {
  return PATENTS.find((p) => p.id === id);
}

export const catalogue: Catalogue = smallCatalogue();

/** The dashboard test's job: pYes per pair, null = not verified (then it does not count). */
const PAIRS = SMALL_JOB_PAIRS;

export function smallDashboard(): Dashboard {
  return new Dashboard(matchTableFromPairs(catalogue, PAIRS, scoreRuleForJob({ verify: true })), smallImpacts());
}
