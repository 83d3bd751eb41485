import type { Patent } from '../types';
import { gaussian, mulberry32, pick, shuffled } from '../random';
import { ABSTRACT_TEMPLATES, DEMO_THEMES, GENERIC_WORDS, SHARED_WORDS } from './themes';

/**
 * Seeded generator of the bundled demo corpus, with planted truth for evaluating forecasts.
 *
 * Technology codes form a two-level hierarchy like IPC: subclasses (`H04L`) sit around their
 * theme's centre in a hidden latent space, and each subclass's main groups (`H04L 27/00`) sit
 * around it. A patent's extra codes are drawn with weight exp(-d² / 2σ(year)²) between main-group
 * positions, where σ grows with the year: close codes are combined first and distant ones later,
 * which is the signal forecasting should recover. Every code owns a slice of its theme's words, so
 * a patent's text carries which codes it has, and the shared words nearest to it in the latent
 * space, so codes close in that space (in any theme) share words. Patents carry subgroup codes (`H04L 27/26`) or
 * main-group codes, so every analysis level has data.
 */
export interface DemoOptions {
  seed: number;
  patents: number;
  firstYear: number;
  lastYear: number;
  latentDim: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  seed: 20240611,
  patents: 1000,
  firstYear: 1980,
  lastYear: 2020,
  latentDim: 4,
};

export interface DemoGroundTruth {
  seed: number;
  latentDim: number;
  /** Main-group codes (`H04L 27/00`) in generation order. */
  mainGroups: string[];
  /** Hidden latent position of each main group, aligned with `mainGroups`. */
  mainGroupPositions: number[][];
  /** The words each main group owns (theme words, then its nearest shared words), aligned with `mainGroups`. */
  mainGroupVocabulary: string[][];
  /** Latent position of each shared word (SHARED_WORDS order). */
  sharedWordPositions: number[][];
  /** Subclass codes and their hidden positions (the mean of their main groups). */
  subclasses: string[];
  subclassPositions: number[][];
  themeOfSubclass: Record<string, string>;
  /** `A|B` (sorted) → first year the pair co-occurs on one patent, at each level. */
  firstCooccurrence: { subclass: Record<string, number>; main_group: Record<string, number> };
  /**
   * In the bundled file (files.ts): BREF section id → the pollution patents written for it
   * (pollution.ts). They stand outside the technology corpus's planted themes and combinations.
   */
  pollution?: Record<string, string[]>;
}

/** The technology corpus of a bundled demo file: its patents without the pollution patents. */
export function technologyPatents<P extends { id: string }>(patents: readonly P[], truth: Pick<DemoGroundTruth, 'pollution'>): P[] {
  const pollution = new Set(Object.values(truth.pollution ?? {}).flat());
  return patents.filter((p) => !pollution.has(p.id));
}

export interface DemoCorpus {
  patents: Patent[];
  truth: DemoGroundTruth;
}

const WORDS_PER_SUBCLASS = 9;
const WORDS_PER_MAIN_GROUP = 6;
const SHARED_WORDS_PER_MAIN_GROUP = 5;
const MAIN_GROUP_NUMBERS = [1, 3, 5, 7, 9, 10, 12, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37];
const SUBGROUP_NUMBERS = ['02', '04', '06', '10', '12', '16', '20', '26', '34', '44'];

interface LatentCode {
  code: string;
  subclass: string;
  position: number[];
  vocabulary: string[];
  subgroups: string[];
}

export function generateDemoCorpus(options: Partial<DemoOptions> = {}): DemoCorpus {
  const opts = { ...DEFAULT_DEMO_OPTIONS, ...options };
  const rng = mulberry32(opts.seed);

  // 1. Hidden positions: theme centres spread out, subclasses around them, main groups around those.
  const groups: LatentCode[] = [];
  const subclasses: string[] = [];
  const subclassPositions: number[][] = [];
  const themeOfSubclass: Record<string, string> = {};
  for (const theme of DEMO_THEMES) {
    const centre = Array.from({ length: opts.latentDim }, () => gaussian(rng) * 2);
    theme.codes.forEach((subclass, index) => {
      const subclassCentre = centre.map((c) => c + gaussian(rng) * 0.6);
      const start = (index * 6) % theme.words.length;
      const words = Array.from({ length: WORDS_PER_SUBCLASS }, (_, k) => theme.words[(start + k) % theme.words.length]);
      const groupCount = 2 + Math.floor(rng() * 3);
      const numbers = shuffled(rng, MAIN_GROUP_NUMBERS).slice(0, groupCount).sort((a, b) => a - b);
      const positions = numbers.map(() => subclassCentre.map((c) => c + gaussian(rng) * 0.35));
      numbers.forEach((number, g) => {
        groups.push({
          code: `${subclass} ${number}/00`,
          subclass,
          position: positions[g],
          // Overlapping slices: groups of one subclass share words, as real ones do.
          vocabulary: Array.from({ length: WORDS_PER_MAIN_GROUP }, (_, k) => words[(g * 2 + k) % words.length]),
          subgroups: shuffled(rng, SUBGROUP_NUMBERS).slice(0, 3).map((sub) => `${subclass} ${number}/${sub}`),
        });
      });
      subclasses.push(subclass);
      subclassPositions.push(mean(positions));
      themeOfSubclass[subclass] = theme.name;
    });
  }
  // Own random stream: the corpus's codes, years and co-occurrences stay those of the main stream.
  const wordRng = mulberry32((opts.seed ^ 0x5a3ed) >>> 0);
  const sharedWordPositions = SHARED_WORDS.map(() => Array.from({ length: opts.latentDim }, () => gaussian(wordRng) * 2));
  for (const group of groups) {
    const nearest = SHARED_WORDS.map((word, w) => ({ word, d: squaredDistance(group.position, sharedWordPositions[w]) }))
      .sort((a, b) => a.d - b.d).slice(0, SHARED_WORDS_PER_MAIN_GROUP).map((x) => x.word);
    group.vocabulary.push(...nearest);
  }
  const popularity = groups.map(() => 0.3 + rng());

  // 2. Patents, more of them in later years as in real filings.
  const years = opts.lastYear - opts.firstYear + 1;
  const patents: Patent[] = [];
  const firstCooccurrence = { subclass: {} as Record<string, number>, main_group: {} as Record<string, number> };
  for (let n = 0; n < opts.patents; n++) {
    const year = opts.firstYear + Math.floor(Math.sqrt(rng()) * years);
    const progress = (year - opts.firstYear) / Math.max(1, years - 1);
    const sigma = 0.8 + 1.6 * progress;
    const primary = weightedIndex(rng, popularity);
    const chosen = [primary];
    const extraCount = rng() < 0.65 ? (rng() < 0.3 ? 2 : 1) : 0;
    for (let e = 0; e < extraCount; e++) {
      const weights = groups.map((group, j) => (chosen.includes(j) ? 0
        : popularity[j] * Math.exp(-squaredDistance(groups[primary].position, group.position) / (2 * sigma * sigma))));
      chosen.push(weightedIndex(rng, weights));
    }
    recordCooccurrences(chosen.map((i) => groups[i].code), year, firstCooccurrence.main_group);
    recordCooccurrences([...new Set(chosen.map((i) => groups[i].subclass))], year, firstCooccurrence.subclass);
    const wordPool = chosen.flatMap((i, rank) => (rank === 0 ? [...groups[i].vocabulary, ...groups[i].vocabulary] : groups[i].vocabulary));
    patents.push({
      id: `DEMO-${String(n + 1).padStart(6, '0')}`,
      year,
      title: makeTitle(rng, wordPool),
      abstract: makeAbstract(rng, wordPool),
      codes: chosen.map((i) => (rng() < 0.6 ? pick(rng, groups[i].subgroups) : groups[i].code)),
    });
  }
  patents.sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
  return {
    patents,
    truth: {
      seed: opts.seed, latentDim: opts.latentDim,
      mainGroups: groups.map((g) => g.code), mainGroupPositions: groups.map((g) => g.position),
      mainGroupVocabulary: groups.map((g) => g.vocabulary), sharedWordPositions,
      subclasses, subclassPositions, themeOfSubclass, firstCooccurrence,
    },
  };
}


function mean(rows: readonly number[][]): number[] {
  return rows[0].map((_, d) => rows.reduce((s, row) => s + row[d], 0) / rows.length);
}

function weightedIndex(rng: () => number, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

function recordCooccurrences(codes: readonly string[], year: number, first: Record<string, number>): void {
  for (let i = 0; i < codes.length; i++) {
    for (let j = i + 1; j < codes.length; j++) {
      const key = [codes[i], codes[j]].sort().join('|');
      if (first[key] === undefined || year < first[key]) first[key] = year;
    }
  }
}

function makeTitle(rng: () => number, pool: readonly string[]): string {
  const words = [pick(rng, GENERIC_WORDS), 'for'];
  const count = 2 + Math.floor(rng() * 3);
  for (let i = 0; i < count; i++) words.push(pick(rng, pool));
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function makeAbstract(rng: () => number, pool: readonly string[]): string {
  const sentences = 2 + Math.floor(rng() * 2);
  const parts: string[] = [];
  for (let s = 0; s < sentences; s++) {
    parts.push(pick(rng, ABSTRACT_TEMPLATES).replace(/\{[abc]\}/g, () => pick(rng, pool)));
  }
  return parts.join(' ');
}
