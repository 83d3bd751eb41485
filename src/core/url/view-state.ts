/**
 * The view state a link carries: `#/<route>?<params>`, so that a copied address reopens the same
 * view on any machine that holds the same dataset, and the browser's back/forward walks through
 * it. Parsing never throws: an unknown or malformed parameter is dropped, the rest is kept, since a
 * link may have been typed, truncated or written by an older version of the app.
 *
 * The parameter names the chat chips and the dashboard's links already use (`code`, `patent`,
 * `pollutant`, `section`, `sdg`) keep their meaning, so every old link still opens.
 */
import type { CodeLevel } from '../types';

export interface Camera {
  position: [number, number, number];
  target: [number, number, number];
}

export interface ViewState {
  /** The part before '?': 'explore' when empty. Which routes exist is the app's business. */
  route: string;
  /** The dataset's fingerprint (the same on every machine), or its id for records without one. */
  dataset: string | null;
  /** The dataset's name, only to tell the user which dataset a link needs when it is not here. */
  datasetName: string | null;
  level: CodeLevel | null;
  /** Codes selected in the technology space (the last one is the focus). */
  codes: string[];
  /** Patents: the map's selection, or the patent whose detail the dashboard shows. */
  patents: string[];
  /** The time slider as a (fractional) year, which unlike a window index survives other window settings. */
  year: number | null;
  pollutant: number | null;
  section: string | null;
  sdg: number | null;
  /** The dashboard's tab, when it is not implied by pollutant, section or sdg. */
  tab: string | null;
  camera: Camera | null;
}

export const EMPTY_VIEW_STATE: ViewState = {
  route: 'explore', dataset: null, datasetName: null, level: null, codes: [], patents: [],
  year: null, pollutant: null, section: null, sdg: null, tab: null, camera: null,
};

const LEVELS: readonly CodeLevel[] = ['subclass', 'main_group', 'subgroup'];
/** Longer values are junk (or an attack on the page's memory), never a real id or code. */
const MAX_VALUE_LENGTH = 200;
/** A link is not a database: larger selections stay in the stored selection only. */
export const MAX_LINK_ITEMS = 100;
/** Camera coordinates to 1/100 of a world unit (the space is 20 units across): invisible, short. */
const CAMERA_DECIMALS = 2;
const YEAR_DECIMALS = 2;

/** Parses `#/route?params` (with or without the leading '#', '/'); junk becomes the empty state's values. */
export function parseViewState(hash: string): ViewState {
  const text = typeof hash === 'string' ? hash.replace(/^#/, '').replace(/^\//, '') : '';
  const cut = text.indexOf('?');
  const routePart = cut < 0 ? text : text.slice(0, cut);
  const query = safeParams(cut < 0 ? '' : text.slice(cut + 1));
  return {
    route: /^[a-z][a-z0-9-]{0,39}$/.test(routePart) ? routePart : 'explore',
    dataset: token(query.get('ds')),
    datasetName: text1(query.get('dsname')),
    level: LEVELS.find((l) => l === query.get('level')) ?? null,
    codes: list(query.getAll('code')),
    patents: list(query.getAll('patent')),
    year: yearOf(query.get('year')),
    pollutant: indexOf(query.get('pollutant')),
    section: text1(query.get('section')),
    sdg: indexOf(query.get('sdg')),
    tab: token(query.get('tab')),
    camera: cameraOf(query.get('cam')),
  };
}

/** The hash for a state, `#/route?…`; parameters at their empty value are left out. */
export function serialiseViewState(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.dataset) query.set('ds', state.dataset);
  if (state.dataset && state.datasetName) query.set('dsname', state.datasetName);
  if (state.level) query.set('level', state.level);
  for (const code of state.codes.slice(0, MAX_LINK_ITEMS)) query.append('code', code);
  for (const patent of state.patents.slice(0, MAX_LINK_ITEMS)) query.append('patent', patent);
  if (state.year !== null && Number.isFinite(state.year)) query.set('year', String(round(state.year, YEAR_DECIMALS)));
  if (state.pollutant !== null) query.set('pollutant', String(state.pollutant));
  if (state.section) query.set('section', state.section);
  if (state.sdg !== null) query.set('sdg', String(state.sdg));
  if (state.tab) query.set('tab', state.tab);
  if (state.camera) query.set('cam', [...state.camera.position, ...state.camera.target].map((v) => round(v, CAMERA_DECIMALS)).join(','));
  const params = query.toString();
  return `#/${state.route}${params ? `?${params}` : ''}`;
}

/** The same hash, written the way serialiseViewState writes it: two spellings of one state compare equal. */
export function normaliseHash(hash: string): string {
  return serialiseViewState(parseViewState(hash));
}

function safeParams(query: string): URLSearchParams {
  try {
    return new URLSearchParams(query);
  } catch {
    return new URLSearchParams();
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Free text (a name, a section id with spaces and ':::'): any printable characters, bounded. */
function text1(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  // eslint-disable-next-line no-control-regex
  return trimmed.length > 0 && trimmed.length <= MAX_VALUE_LENGTH && !/[\u0000-\u001f\u007f]/.test(trimmed) ? trimmed : null;
}

/** An id-like value: letters, digits and - _ . : only. */
function token(value: string | null): string | null {
  return value !== null && value.length <= MAX_VALUE_LENGTH && /^[\w.:-]+$/.test(value) ? value : null;
}

/** Codes and patent ids: each repeated parameter one item (commas split too); junk and repeats dropped. */
function list(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const item = text1(value);
    if (item && !out.includes(item) && out.length < MAX_LINK_ITEMS) out.push(item);
  }
  return out;
}

function indexOf(value: string | null): number | null {
  if (value === null || !/^\d{1,6}$/.test(value)) return null;
  return Number(value);
}

function yearOf(value: string | null): number | null {
  if (value === null || !/^-?\d{1,4}(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

function cameraOf(value: string | null): Camera | null {
  if (value === null) return null;
  const parts = value.split(',');
  if (parts.length !== 6 || !parts.every((p) => /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(p))) return null;
  const v = parts.map(Number);
  if (!v.every((x) => Number.isFinite(x) && Math.abs(x) < 1e6)) return null;
  return { position: [v[0], v[1], v[2]], target: [v[3], v[4], v[5]] };
}
