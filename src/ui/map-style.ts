/**
 * What each point of the patent map looks like: a colour per point (by year, section, topic or a
 * chosen code) and a state (normal, dimmed, highlighted by search, selected, hidden), packed into
 * the typed arrays the WebGL renderer uploads. Pure: no DOM. Colours come from theme/palette.ts.
 */
import { SECTION_LETTERS, NO_SECTION, sectionIndex } from '../core/ipc-sections';
import { hasCode } from '../core/map/code-match';
import { searchWords } from '../core/map/text-index';
import { sectionOf } from '../core/sections';
import {
  CODE_MATCH_COLOUR, OTHER_COLOUR, SECTION_NAMES, categoricalColour, cssColour, sectionIndexColour, sequentialColour, type Rgb,
} from './theme/palette';

export { hasCode };

export type ColourMode = 'year' | 'section' | 'topic' | 'code' | 'relevance';

export const POINT_STATE = { normal: 0, dimmed: 1, highlighted: 2, selected: 3, hidden: 4 } as const;

/** One patent with its search text: the form tests and benchmarks build points in. */
export interface MapPoint {
  id: string;
  title: string;
  year: number;
  codes: string[];
  /** Lower-cased title + abstract + id + codes, for search. */
  haystack: string;
}

/** What colouring needs per point, as the map points engine returns it (no titles, no text). */
export interface PointColumns {
  count: number;
  /** NaN for an unknown year. */
  years: ArrayLike<number>;
  /** Index into SECTION_LETTERS; NO_SECTION when none. */
  sections: ArrayLike<number>;
}

export interface LegendEntry {
  label: string;
  colour: string;
}

export interface ColourOptions {
  /** The code of the 'code' mode, for its legend. */
  code?: string;
  /** Rows carrying `code` (from the map points engine); computed from MapPoint codes when absent. */
  codeMatches?: Uint8Array | null;
  topicLabels?: ReadonlyMap<number, string>;
  /**
   * The 'relevance' mode: per point its score for the chosen pollutant or section (NaN: not
   * matched to it), the relevance threshold, and what was chosen, for the legend.
   */
  relevance?: { scores: ArrayLike<number>; threshold: number; label: string } | null;
}

export function columnsOf(points: readonly MapPoint[]): PointColumns {
  return {
    count: points.length,
    years: Float32Array.from(points, (p) => (Number.isFinite(p.year) ? p.year : Number.NaN)),
    sections: Uint8Array.from(points, (p) => (p.codes[0] ? sectionIndex(sectionOf(p.codes[0])) : NO_SECTION)),
  };
}

/**
 * RGBA8 per point and a legend for the colour mode. One pass over the points with each colour
 * computed once per year or topic (not per point), and no spread of n values into Math.min,
 * which overflows the call stack above ~120,000 points.
 */
export function pointColours(
  mode: ColourMode, points: readonly MapPoint[] | PointColumns, clusters: ArrayLike<number>, options: ColourOptions = {},
): { colours: Uint8Array; legend: LegendEntry[] } {
  const columns = Array.isArray(points) ? columnsOf(points as readonly MapPoint[]) : points as PointColumns;
  const n = columns.count;
  const colours = new Uint8Array(n * 4);
  const put = (i: number, [r, g, b]: Rgb) => { colours[i * 4] = r; colours[i * 4 + 1] = g; colours[i * 4 + 2] = b; colours[i * 4 + 3] = 255; };
  const legend: LegendEntry[] = [];
  switch (mode) {
    case 'year': {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const y = columns.years[i];
        if (Number.isFinite(y)) { min = Math.min(min, y); max = Math.max(max, y); }
      }
      if (!Number.isFinite(min)) { min = 0; max = 1; }
      const span = Math.max(1, max - min);
      const byYear = new Map<number, Rgb>();
      for (let i = 0; i < n; i++) {
        const y = columns.years[i];
        if (!Number.isFinite(y)) { put(i, OTHER_COLOUR); continue; }
        let colour = byYear.get(y);
        if (!colour) { colour = sequentialColour((y - min) / span); byYear.set(y, colour); }
        put(i, colour);
      }
      const steps = Math.min(5, max - min + 1);
      for (let s = 0; s < steps; s++) {
        const year = Math.round(min + ((max - min) * s) / Math.max(1, steps - 1));
        legend.push({ label: String(year), colour: cssColour(sequentialColour((year - min) / span)) });
      }
      break;
    }
    case 'section': {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        seen.add(columns.sections[i]);
        put(i, sectionIndexColour(columns.sections[i]));
      }
      SECTION_LETTERS.forEach((letter, index) => {
        if (seen.has(index)) legend.push({ label: `${letter} ${SECTION_NAMES[letter]}`, colour: cssColour(sectionIndexColour(index)) });
      });
      if (seen.has(NO_SECTION)) legend.push({ label: 'no code', colour: cssColour(OTHER_COLOUR) });
      break;
    }
    case 'topic': {
      const byCluster = new Map<number, Rgb>();
      for (let i = 0; i < n; i++) {
        let colour = byCluster.get(clusters[i]);
        if (!colour) { colour = clusters[i] >= 0 ? categoricalColour(clusters[i]) : OTHER_COLOUR; byCluster.set(clusters[i], colour); }
        put(i, colour);
      }
      for (const [cluster, label] of options.topicLabels ?? []) legend.push({ label, colour: cssColour(categoricalColour(cluster)) });
      break;
    }
    case 'code': {
      const code = options.code ?? '';
      const matches = options.codeMatches ?? (Array.isArray(points) ? codeMatchesOf(points as readonly MapPoint[], code) : null);
      let count = 0;
      for (let i = 0; i < n; i++) {
        const match = matches?.[i] === 1;
        if (match) count++;
        put(i, match ? CODE_MATCH_COLOUR : OTHER_COLOUR);
      }
      legend.push({ label: code ? `${code.trim().toUpperCase()} (${count})` : 'type a code', colour: cssColour(CODE_MATCH_COLOUR) }, { label: 'other', colour: cssColour(OTHER_COLOUR) });
      break;
    }
    case 'relevance': {
      // Graded from the threshold (light) to 1 (dark); below it or not matched: greyed.
      const r = options.relevance;
      const threshold = r?.threshold ?? 0.5;
      const span = Math.max(1e-6, 1 - threshold);
      let above = 0;
      for (let i = 0; i < n; i++) {
        const v = r?.scores[i] ?? Number.NaN;
        if (Number.isFinite(v) && v >= Math.fround(threshold)) { above++; put(i, sequentialColour(0.25 + (0.75 * (v - threshold)) / span)); } else put(i, OTHER_COLOUR);
      }
      if (!r) legend.push({ label: 'choose a pollutant', colour: cssColour(OTHER_COLOUR) });
      else {
        legend.push({ label: `${r.label}: ${above} patents ≥ ${threshold.toFixed(2)}`, colour: cssColour(sequentialColour(0.25)) },
          { label: 'score 1.00', colour: cssColour(sequentialColour(1)) }, { label: 'below the threshold or not matched', colour: cssColour(OTHER_COLOUR) });
      }
      break;
    }
  }
  return { colours, legend };
}

function codeMatchesOf(points: readonly MapPoint[], code: string): Uint8Array {
  const index = new Map<string, boolean>();
  return Uint8Array.from(points, (p) => {
    const key = p.codes.join('\u0000');
    let match = index.get(key);
    if (match === undefined) {
      match = hasCode(p, code);
      index.set(key, match);
    }
    return match ? 1 : 0;
  });
}

/**
 * Patents whose (lower-cased) haystack contains every word of `query`; null for an empty query.
 * The page searches through the map points engine (core/map/text-index.ts, same words); this
 * form is for points built in tests and benchmarks.
 */
export function searchMatches(points: readonly MapPoint[], query: string): Uint8Array | null {
  const words = searchWords(query);
  if (words.length === 0) return null;
  const out = new Uint8Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const haystack = points[i].haystack;
    let all = 1;
    for (const word of words) if (!haystack.includes(word)) { all = 0; break; }
    out[i] = all;
  }
  return out;
}

/**
 * One state per point. Selected points stand out; with a selection, the others are dimmed (or
 * hidden with `onlySelection`); a search highlights its matches and dims the rest.
 */
export function pointStates(
  n: number, options: { selected: Uint8Array; selectionSize: number; matches: Uint8Array | null; onlySelection: boolean },
): Uint8Array {
  const { selected, selectionSize, matches, onlySelection } = options;
  const states = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (selectionSize > 0 && !selected[i]) {
      states[i] = onlySelection ? POINT_STATE.hidden : matches?.[i] ? POINT_STATE.highlighted : POINT_STATE.dimmed;
    } else if (selected[i]) {
      states[i] = POINT_STATE.selected;
    } else if (matches) {
      states[i] = matches[i] ? POINT_STATE.highlighted : POINT_STATE.dimmed;
    } else {
      states[i] = POINT_STATE.normal;
    }
  }
  return states;
}
