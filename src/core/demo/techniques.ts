import { codeAt } from '../codes';
import { mulberry32 } from '../random';
import type { DemoCorpus } from './generate';

/**
 * The demo catalogue of pollution-abatement techniques (BREF-like sections), written by the
 * project, with planted relevance to the demo patents.
 *
 * Every technique is anchored in the demo corpus's hidden latent space: its anchor is the mean
 * position of one main group of its first subclass (chosen with a generator seeded from the corpus
 * seed) and the nearest main group of each further subclass. A (technique, patent) pair is relevant
 * iff one of the patent's codes has a main group within `radius` of the anchor; the radius is the
 * `RELEVANT_SHARE` quantile of all pairs' distances, so about that share of pairs is relevant for
 * any seed. Each description ends with the vocabulary of its anchor groups (the words the demo
 * generator gives those codes), so the text of technique and patent carries the signal.
 */
export interface DemoTechnique {
  /** `DEMO-BAT-01` … */
  id: string;
  /** BREF-like section title. */
  sectionTitle: string;
  /** Process description: the hand-written text plus one sentence of the anchor groups' words. */
  description: string;
  /** Pollutants the technique abates, e.g. `Nitrogen oxides (NOX/NO2)`. */
  pollutants: string[];
  /** Demo themes (themes.ts names) of the anchor subclasses. */
  themes: string[];
  /** Main groups (`B01D 5/00`) whose mean position is the anchor. */
  anchorGroups: string[];
  /** Hidden latent position of the anchor. */
  anchor: number[];
}

export interface DemoTechniqueSet {
  seed: number;
  /** Target share of relevant (technique, patent) pairs the radius was chosen for. */
  relevantShare: number;
  /** Latent distance within which a patent's main group makes the pair relevant. */
  radius: number;
  techniques: DemoTechnique[];
  /** Technique id → sorted ids of the relevant patents. */
  relevance: Record<string, string[]>;
}

export const RELEVANT_SHARE = 0.15;

/** Pollutant names in the style of the EU registers. */
export const POLLUTANTS = {
  nox: 'Nitrogen oxides (NOX/NO2)',
  sox: 'Sulphur oxides (SOX/SO2)',
  pm10: 'Particulate matter (PM10)',
  dust: 'Dust (total suspended particulates)',
  co: 'Carbon monoxide (CO)',
  co2: 'Carbon dioxide (CO2)',
  voc: 'Non-methane volatile organic compounds (NMVOC)',
  nh3: 'Ammonia (NH3)',
  hcl: 'Hydrogen chloride (HCl)',
  hf: 'Hydrogen fluoride (HF)',
  hg: 'Mercury and compounds (as Hg)',
  metals: 'Heavy metals (Cd, Ni, Pb)',
  pcdd: 'PCDD/PCDF (dioxins and furans)',
  fgas: 'Fluorinated gases (PFCs, SF6, NF3)',
  cod: 'Chemical oxygen demand (COD)',
  tss: 'Total suspended solids (TSS)',
  totalN: 'Total nitrogen (Total N)',
  totalP: 'Total phosphorus (Total P)',
  odour: 'Odour',
} as const;

interface TechniqueTemplate {
  sectionTitle: string;
  text: string;
  pollutants: (keyof typeof POLLUTANTS)[];
  /** Subclasses of the demo themes; the first one picks the primary anchor group. */
  subclasses: string[];
}

const P = POLLUTANTS;

/** Hand-written descriptions (no third-party text). Order fixes the ids. */
const TEMPLATES: readonly TechniqueTemplate[] = [
  {
    sectionTitle: 'Waste gas treatment: fabric filters',
    text: 'The flue gas passes through woven or felted filter bags that retain particulate matter and dust '
      + 'on their surface. The dust cake is removed by pulse-jet cleaning and collected in hoppers below '
      + 'the filter. Fabric filters reach very low particulate emissions and can be combined with sorbent injection.',
    pollutants: ['pm10', 'dust', 'metals'],
    subclasses: ['B01D'],
  },
  {
    sectionTitle: 'Waste gas treatment: wet scrubbing of acid gases',
    text: 'Acid gases are absorbed in a scrubber where the flue gas meets a circulating alkaline liquid. '
      + 'Packed towers or spray scrubbers give a large contact surface, and the spent liquid is sent to '
      + 'wastewater treatment before discharge.',
    pollutants: ['hcl', 'hf', 'sox'],
    subclasses: ['B01D', 'F23J'],
  },
  {
    sectionTitle: 'Reduction of NOX emissions: selective catalytic reduction (SCR)',
    text: 'Ammonia or urea is injected into the flue gas upstream of a catalytic bed, where nitrogen oxides '
      + 'are reduced to nitrogen and water. The catalyst works in a narrow temperature window and the '
      + 'reagent dosage is controlled to limit ammonia slip.',
    pollutants: ['nox', 'nh3'],
    subclasses: ['B01J', 'F01N'],
  },
  {
    sectionTitle: 'Reduction of SOX emissions: wet flue-gas desulphurisation',
    text: 'A slurry of limestone or lime is sprayed into an absorber where sulphur dioxide from the flue gas '
      + 'is absorbed and oxidised to gypsum. The desulphurisation plant also captures part of the dust '
      + 'and of the oxidised mercury.',
    pollutants: ['sox', 'hg', 'dust'],
    subclasses: ['F23J', 'B01J'],
  },
  {
    sectionTitle: 'Waste gas treatment: adsorption on activated carbon',
    text: 'Organic compounds and mercury are retained by adsorption on a fixed bed of activated carbon or on '
      + 'a sorbent injected into the gas stream. Saturated sorbent is regenerated or sent to treatment, '
      + 'and the adsorber is sized for the peak load of the plant.',
    pollutants: ['voc', 'hg', 'pcdd'],
    subclasses: ['B01D', 'B01J'],
  },
  {
    sectionTitle: 'Waste water treatment: biological treatment with activated sludge',
    text: 'The wastewater is treated in aerated basins where micro-organisms degrade the dissolved organic load. '
      + 'Nitrification and denitrification stages remove nitrogen, and the sludge is separated in clarifiers '
      + 'and partly returned to the basin.',
    pollutants: ['cod', 'totalN', 'totalP'],
    subclasses: ['C02F'],
  },
  {
    sectionTitle: 'Waste water treatment: membrane filtration of effluent',
    text: 'Ultrafiltration or reverse osmosis membranes separate suspended solids and dissolved metals from the '
      + 'effluent. The permeate is reused in the process and the concentrate goes to further purification '
      + 'or recovery of valuable substances.',
    pollutants: ['tss', 'metals', 'cod'],
    subclasses: ['C02F', 'B01D'],
  },
  {
    sectionTitle: 'Solvent emissions: recovery by condensation and absorption',
    text: 'Solvent-laden air is cooled so that the solvent condenses, and the remaining vapour is absorbed in a '
      + 'washing liquid. The recovered solvent is purified by distillation and returned to the process, '
      + 'reducing both emissions and consumption.',
    pollutants: ['voc'],
    subclasses: ['C02F', 'B01J'],
  },
  {
    sectionTitle: 'Dust abatement: electrostatic precipitators',
    text: 'Particles in the flue gas are charged by high-voltage electrodes and collected on grounded plates. '
      + 'The plates are rapped periodically and the dust falls into hoppers; several fields in series '
      + 'reach high collection efficiency for fine particulate matter.',
    pollutants: ['pm10', 'dust'],
    subclasses: ['F23J', 'B01D'],
  },
  {
    sectionTitle: 'Combustion engines: exhaust gas recirculation (EGR)',
    text: 'Part of the exhaust gas is cooled and returned to the intake manifold, which lowers the peak '
      + 'combustion temperature in the cylinder. The recirculation valve is controlled by the engine '
      + 'control unit from sensor signals so that nitrogen oxides fall without loss of torque.',
    pollutants: ['nox'],
    subclasses: ['F02M', 'F02D'],
  },
  {
    sectionTitle: 'Combustion engines: particulate filters with regeneration',
    text: 'A ceramic wall-flow filter in the exhaust line traps soot particles from the engine. The filter is '
      + 'regenerated by burning the collected soot, helped by a catalyst coating or by late fuel injection '
      + 'that raises the exhaust temperature.',
    pollutants: ['pm10', 'co'],
    subclasses: ['F01N'],
  },
  {
    sectionTitle: 'Combustion engines: three-way catalytic converter with lambda control',
    text: 'The converter oxidises carbon monoxide and unburnt hydrocarbons and reduces nitrogen oxides in a '
      + 'single catalyst. An oxygen sensor in the exhaust keeps the air-fuel ratio close to stoichiometric '
      + 'by correcting the fuel injection and the throttle.',
    pollutants: ['nox', 'co', 'voc'],
    subclasses: ['F01N', 'F02D'],
  },
  {
    sectionTitle: 'Combustion engines: optimised fuel injection and ignition',
    text: 'High-pressure injectors with several injections per cycle atomise the fuel finely so that '
      + 'combustion in the cylinder is complete. Injection and ignition timing are mapped against load and '
      + 'speed to reduce emissions of nitrogen oxides, carbon monoxide and soot.',
    pollutants: ['nox', 'co', 'pm10'],
    subclasses: ['F02M'],
  },
  {
    sectionTitle: 'Mobile sources: hybrid powertrain and eco-driving control',
    text: 'A supervisory controller shares the torque demand between the engine and an electric machine and '
      + 'keeps the engine in its most efficient operating range. Predictive driveline control smooths '
      + 'acceleration, which cuts fuel consumption and exhaust emissions.',
    pollutants: ['co2', 'nox'],
    subclasses: ['B60W', 'F02D'],
  },
  {
    sectionTitle: 'Energy efficiency: storage of surplus electricity',
    text: 'Battery storage absorbs surplus electricity and releases it at peak demand, so that fewer fossil '
      + 'peaking units are started. Power converters and an energy management system control charging '
      + 'and discharge against the grid load.',
    pollutants: ['co2', 'nox'],
    subclasses: ['H02J', 'H01M'],
  },
  {
    sectionTitle: 'Mobile sources: electrification of vehicle fleets',
    text: 'Combustion vehicles are replaced by electric vehicles fed from batteries, with charging stations '
      + 'at depots. Thermal management of the battery pack and regenerative braking extend the range '
      + 'and remove exhaust emissions at the point of use.',
    pollutants: ['co2', 'nox', 'pm10'],
    subclasses: ['B60L', 'H01M'],
  },
  {
    sectionTitle: 'Waste treatment: recovery of metals from spent batteries',
    text: 'Spent cells are discharged, shredded and separated into electrode material, electrolyte and '
      + 'casings. Hydrometallurgical leaching recovers lithium, nickel and cobalt, and the process liquors '
      + 'are treated before discharge.',
    pollutants: ['metals', 'hf'],
    subclasses: ['H01M'],
  },
  {
    sectionTitle: 'Organic fine chemicals: solvent recovery from synthesis',
    text: 'Solvents used in the synthesis of active pharmaceutical compounds are collected from the reactors, '
      + 'purified and reused. Vent gases from the synthesis are led to a condenser and a thermal oxidiser, '
      + 'and aqueous mother liquors are pretreated before biological treatment.',
    pollutants: ['voc', 'cod'],
    subclasses: ['C07D', 'A61K'],
  },
  {
    sectionTitle: 'Surface treatment: abatement of etching and deposition exhaust gases',
    text: 'Exhaust from etching and deposition chambers contains fluorinated gases and toxic hydrides. '
      + 'Point-of-use abatement units burn or catalytically decompose them, and a wet scrubber removes '
      + 'the resulting acid gases before release.',
    pollutants: ['fgas', 'hf'],
    subclasses: ['H01L', 'G03F'],
  },
  {
    sectionTitle: 'Food, drink and milk: cooking fume and odour abatement',
    text: 'Fumes from ovens, fryers and roasters carry fat aerosols, odorous compounds and fine particles. '
      + 'Grease separators followed by a thermal oxidiser or a biofilter treat the extracted air from the '
      + 'cooking and baking lines.',
    pollutants: ['odour', 'voc', 'pm10'],
    subclasses: ['A47J', 'A21D'],
  },
  {
    sectionTitle: 'Food, drink and milk: pretreatment of process wastewater',
    text: 'Wastewater from food processing carries fats, starch and proteins. Screens and dissolved-air '
      + 'flotation remove solids and fat before anaerobic digestion, which turns the organic load into biogas.',
    pollutants: ['cod', 'tss', 'totalP'],
    subclasses: ['A23L'],
  },
  {
    sectionTitle: 'Monitoring: predictive emission monitoring systems',
    text: 'A data-driven model estimates stack emissions from process parameters such as fuel flow, '
      + 'temperature and load, trained on periods with reference measurements. The model runs on the '
      + 'plant control system and flags drift so that abatement settings can be corrected.',
    pollutants: ['nox', 'co'],
    subclasses: ['G06N', 'G06F'],
  },
];

/** Builds the technique catalogue and its relevance to the corpus's patents (deterministic). */
export function generateTechniques(corpus: DemoCorpus): DemoTechniqueSet {
  const { truth, patents } = corpus;
  const rng = mulberry32((truth.seed ^ 0x7ec4a1) >>> 0);
  const positionOf = new Map(truth.mainGroups.map((code, i) => [code, truth.mainGroupPositions[i]] as const));
  const groupsOf = (subclass: string) => truth.mainGroups.filter((code) => code.startsWith(`${subclass} `));

  const techniques = TEMPLATES.map((template, index): DemoTechnique => {
    const primaryCandidates = groupsOf(template.subclasses[0]);
    if (primaryCandidates.length === 0) throw new Error(`demo corpus has no main group in ${template.subclasses[0]}`);
    const primary = primaryCandidates[Math.floor(rng() * primaryCandidates.length)];
    const anchorGroups = [primary];
    for (const subclass of template.subclasses.slice(1)) {
      const nearest = nearestGroup(groupsOf(subclass), positionOf.get(primary)!, positionOf);
      if (nearest !== null) anchorGroups.push(nearest);
    }
    const anchor = meanOf(anchorGroups.map((code) => positionOf.get(code)!));
    const words = distinct(anchorGroups.flatMap((code) => groupVocabulary(corpus, code))).slice(0, 8);
    const themes = distinct(template.subclasses.map((s) => truth.themeOfSubclass[s]).filter((t): t is string => t !== undefined));
    return {
      id: `DEMO-BAT-${String(index + 1).padStart(2, '0')}`,
      sectionTitle: template.sectionTitle,
      description: `${template.text} Key terms: ${listWords(words)}.`,
      pollutants: template.pollutants.map((key) => P[key]),
      themes,
      anchorGroups,
      anchor,
    };
  });

  // Distance of every pair: the nearest main group the patent carries.
  const patentGroups = patents.map((p) => distinct(p.codes.map((c) => codeAt('main_group', c)).filter((g): g is string => g !== null && positionOf.has(g))));
  const distances = techniques.map((t) => patentGroups.map((groups) => Math.min(Infinity,
    ...groups.map((g) => Math.sqrt(squaredDistance(t.anchor, positionOf.get(g)!))))));
  // A typed sort: at 650,000 patents there are 14 million distances, which a boxed array sorts slowly and in gigabytes.
  const all = Float64Array.from(distances.flat().filter(Number.isFinite)).sort();
  const radius = all.length === 0 ? 0 : all[Math.min(all.length - 1, Math.floor(RELEVANT_SHARE * all.length))];
  const relevance: Record<string, string[]> = {};
  techniques.forEach((t, i) => {
    relevance[t.id] = patents.filter((_, j) => distances[i][j] <= radius).map((p) => p.id).sort();
  });
  return { seed: truth.seed, relevantShare: RELEVANT_SHARE, radius, techniques, relevance };
}

/** The words the demo generator gave a main group (its theme words, then its nearest shared words). */
export function groupVocabulary(corpus: DemoCorpus, mainGroup: string): string[] {
  const index = corpus.truth.mainGroups.indexOf(mainGroup);
  return index < 0 ? [] : corpus.truth.mainGroupVocabulary[index];
}

function nearestGroup(candidates: string[], from: readonly number[], positionOf: Map<string, number[]>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const code of candidates) {
    const d = squaredDistance(from, positionOf.get(code)!);
    if (d < bestDistance) { bestDistance = d; best = code; }
  }
  return best;
}

function meanOf(rows: readonly number[][]): number[] {
  return rows[0].map((_, d) => rows.reduce((s, row) => s + row[d], 0) / rows.length);
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
