import type { Patent } from '../types';
import { gaussian, mulberry32, pick } from '../random';
import { ABSTRACT_TEMPLATES, DEMO_THEMES, GENERIC_WORDS } from './themes';

/**
 * Seeded generator of the bundled demo corpus.
 *
 * Codes live at hidden positions in a latent technology space (theme centre + noise). A patent's
 * extra codes are drawn with weight exp(-d² / 2σ(year)²) where σ grows with the year, so close codes
 * are combined first and distant ones later: the planted signal forecasting should recover. Each
 * code owns a slice of its theme's words, so the text carries which codes a patent has.
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
  patents: 600,
  firstYear: 1980,
  lastYear: 2020,
  latentDim: 4,
};

export interface DemoGroundTruth {
  seed: number;
  latentDim: number;
  codes: string[];
  /** Hidden latent position of each code, row-major codes × latentDim. */
  positions: number[][];
  themeOfCode: Record<string, string>;
  /** `A|B` (sorted) → first year the pair co-occurs on one patent. */
  firstCooccurrence: Record<string, number>;
}

export interface DemoCorpus {
  patents: Patent[];
  truth: DemoGroundTruth;
}

const WORDS_PER_CODE = 9;

export function generateDemoCorpus(options: Partial<DemoOptions> = {}): DemoCorpus {
  const opts = { ...DEFAULT_DEMO_OPTIONS, ...options };
  const rng = mulberry32(opts.seed);

  // 1. Hidden positions: theme centres spread out, codes scattered around their centre.
  const codes: string[] = [];
  const positions: number[][] = [];
  const vocabularies: string[][] = [];
  const themeOfCode: Record<string, string> = {};
  for (const theme of DEMO_THEMES) {
    const centre = Array.from({ length: opts.latentDim }, () => gaussian(rng) * 2);
    theme.codes.forEach((code, index) => {
      codes.push(code);
      positions.push(centre.map((c) => c + gaussian(rng) * 0.6));
      themeOfCode[code] = theme.name;
      // Overlapping slices: neighbouring codes of one theme share some words, as real ones do.
      const start = (index * 6) % theme.words.length;
      vocabularies.push(Array.from({ length: WORDS_PER_CODE }, (_, k) => theme.words[(start + k) % theme.words.length]));
    });
  }
  const popularity = codes.map(() => 0.3 + rng());

  // 2. Patents, more of them in later years as in real filings.
  const years = opts.lastYear - opts.firstYear + 1;
  const patents: Patent[] = [];
  const firstCooccurrence: Record<string, number> = {};
  for (let n = 0; n < opts.patents; n++) {
    const year = opts.firstYear + Math.floor(Math.sqrt(rng()) * years);
    const progress = (year - opts.firstYear) / Math.max(1, years - 1);
    const sigma = 0.8 + 3.2 * progress;
    const primary = weightedIndex(rng, popularity);
    const chosen = [primary];
    const extraCount = rng() < 0.65 ? (rng() < 0.3 ? 2 : 1) : 0;
    for (let e = 0; e < extraCount; e++) {
      const weights = codes.map((_, j) =>
        chosen.includes(j) ? 0 : popularity[j] * Math.exp(-squaredDistance(positions[primary], positions[j]) / (2 * sigma * sigma)));
      chosen.push(weightedIndex(rng, weights));
    }
    const patentCodes = chosen.map((i) => codes[i]);
    recordCooccurrences(patentCodes, year, firstCooccurrence);
    const wordPool = chosen.flatMap((i, rank) => (rank === 0 ? [...vocabularies[i], ...vocabularies[i]] : vocabularies[i]));
    patents.push({
      id: `DEMO-${String(n + 1).padStart(6, '0')}`,
      year,
      title: makeTitle(rng, wordPool),
      abstract: makeAbstract(rng, wordPool),
      codes: patentCodes,
    });
  }
  patents.sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
  return {
    patents,
    truth: { seed: opts.seed, latentDim: opts.latentDim, codes, positions, themeOfCode, firstCooccurrence },
  };
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
