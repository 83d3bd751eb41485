/**
 * What each point of the patent map looks like: a colour per point (by year, section, topic or a
 * chosen code) and a state (normal, dimmed, highlighted by search, selected, hidden), packed into
 * the typed arrays the WebGL renderer uploads. Pure: no DOM.
 */
import { parseCode } from '../core/codes';
import { sectionOf as sectionOfCode } from '../core/sections';

export type ColourMode = 'year' | 'section' | 'topic' | 'code';

export const POINT_STATE = { normal: 0, dimmed: 1, highlighted: 2, selected: 3, hidden: 4 } as const;

export interface MapPoint {
  id: string;
  title: string;
  year: number;
  codes: string[];
  /** Lower-cased title + abstract + id + codes, for search. */
  haystack: string;
}

export interface LegendEntry {
  label: string;
  colour: string;
}

export type Rgb = readonly [number, number, number];

/** Tableau 10, then golden-angle hues: distinct enough for 30 topics. */
const CATEGORICAL: Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
/** Viridis at five stops. */
const SEQUENTIAL: Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const SECTIONS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'Y'];
const SECTION_NAMES: Record<string, string> = {
  A: 'A human necessities', B: 'B operations, transport', C: 'C chemistry', D: 'D textiles, paper', E: 'E fixed constructions',
  F: 'F mechanics, heating', G: 'G physics', H: 'H electricity', Y: 'Y new technologies',
};
const OTHER: Rgb = [190, 190, 190];
const CODE_MATCH: Rgb = [214, 39, 40];

export function categoricalColour(index: number): Rgb {
  if (index < CATEGORICAL.length) return CATEGORICAL[index];
  return hslToRgb(((index - CATEGORICAL.length) * 137.508) % 360, 0.6, 0.5);
}

export function sequentialColour(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (SEQUENTIAL.length - 1);
  const i = Math.min(SEQUENTIAL.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [SEQUENTIAL[i], SEQUENTIAL[i + 1]];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export function cssColour([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** Section letter of a patent's first code, or '' when it has none. */
export function sectionOf(point: Pick<MapPoint, 'codes'>): string {
  const first = point.codes[0];
  return first ? sectionOfCode(first) : '';
}

/** True when one of the patent's codes is `code` or lies under it (`H04L`, `H04`, `H04L 27/00`…). */
export function hasCode(point: Pick<MapPoint, 'codes'>, code: string): boolean {
  return codeMatcher(code)(point);
}

/** hasCode with `code` parsed once, for a pass over every point. */
export function codeMatcher(code: string): (point: Pick<MapPoint, 'codes'>) => boolean {
  const wanted = code.trim().toUpperCase();
  if (!wanted) return () => false;
  const parsed = parseCode(wanted);
  // A main group (`H04L 27/00`) covers its subgroups (`H04L 27/26`).
  const groupPrefix = parsed?.mainGroup && parsed.subgroup === parsed.mainGroup ? `${parsed.mainGroup.slice(0, -2)}` : null;
  const canonical = parsed?.canonical ?? wanted;
  // A subgroup is matched exactly (`H04L 27/26` does not cover `H04L 27/261`); a subclass or a
  // partial code such as `H04` covers every code that starts with it.
  const exact = parsed?.subgroup !== null && parsed?.subgroup !== undefined && groupPrefix === null;
  const prefix = groupPrefix ?? canonical;
  return (point) => point.codes.some((c) => c === canonical || (!exact && c.startsWith(prefix)));
}

/**
 * RGBA8 per point and a legend for the colour mode. One pass over the points with colours looked
 * up per year, section or topic (not computed per point), and no spread of n values into
 * Math.min, which overflows the call stack above ~120,000 points.
 */
export function pointColours(
  mode: ColourMode, points: readonly MapPoint[], clusters: ArrayLike<number>, options: { code?: string; topicLabels?: ReadonlyMap<number, string> } = {},
): { colours: Uint8Array; legend: LegendEntry[] } {
  const n = points.length;
  const colours = new Uint8Array(n * 4);
  const put = (i: number, [r, g, b]: Rgb) => { colours[i * 4] = r; colours[i * 4 + 1] = g; colours[i * 4 + 2] = b; colours[i * 4 + 3] = 255; };
  const legend: LegendEntry[] = [];
  switch (mode) {
    case 'year': {
      let min = Infinity, max = -Infinity;
      for (const p of points) if (Number.isFinite(p.year)) { if (p.year < min) min = p.year; if (p.year > max) max = p.year; }
      if (min > max) { min = 0; max = 1; }
      const span = Math.max(1, max - min);
      const byYear = new Map<number, Rgb>();
      for (let i = 0; i < n; i++) {
        const year = points[i].year;
        if (!Number.isFinite(year)) { put(i, OTHER); continue; }
        let colour = byYear.get(year);
        if (!colour) { colour = sequentialColour((year - min) / span); byYear.set(year, colour); }
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
      const seen = new Set<string>();
      const byFirstCode = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const first = points[i].codes[0];
        let section = first === undefined ? '' : byFirstCode.get(first);
        if (section === undefined) { section = sectionOf(points[i]); byFirstCode.set(first, section); }
        const index = SECTIONS.indexOf(section);
        seen.add(section);
        put(i, index >= 0 ? categoricalColour(index) : OTHER);
      }
      for (const section of SECTIONS) if (seen.has(section)) legend.push({ label: SECTION_NAMES[section], colour: cssColour(categoricalColour(SECTIONS.indexOf(section))) });
      break;
    }
    case 'topic': {
      const byCluster = new Map<number, Rgb>();
      for (let i = 0; i < n; i++) {
        const cluster = clusters[i];
        let colour = byCluster.get(cluster);
        if (!colour) { colour = cluster >= 0 ? categoricalColour(cluster) : OTHER; byCluster.set(cluster, colour); }
        put(i, colour);
      }
      for (const [cluster, label] of options.topicLabels ?? []) legend.push({ label, colour: cssColour(categoricalColour(cluster)) });
      break;
    }
    case 'code': {
      const code = options.code ?? '';
      const matches = codeMatcher(code);
      let count = 0;
      for (let i = 0; i < n; i++) {
        const match = matches(points[i]);
        if (match) count++;
        put(i, match ? CODE_MATCH : OTHER);
      }
      legend.push({ label: code ? `${code.trim().toUpperCase()} (${count})` : 'type a code', colour: cssColour(CODE_MATCH) }, { label: 'other', colour: cssColour(OTHER) });
      break;
    }
  }
  return { colours, legend };
}

/** Patents whose text contains every word of `query` (case-insensitive); null for an empty query. */
export function searchMatches(points: readonly MapPoint[], query: string): Uint8Array | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
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

function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
