/**
 * Kiosk mode's settings, read from the page URL: `?kiosk` turns it on; `idle` (seconds without a
 * touch or key before the attract loop starts), `reset` (minutes without one before a visitor's
 * data is discarded) and `slide` (seconds per attract slide) tune it. A value that is missing, not
 * a number or out of its range falls back to the default, so a mistyped kiosk URL still runs.
 */

export interface KioskSettings {
  idleMs: number;
  resetMs: number;
  slideMs: number;
}

export const DEFAULT_KIOSK_SETTINGS: KioskSettings = { idleMs: 60_000, resetMs: 5 * 60_000, slideMs: 8_000 };

/** The attract loop's slides, in order: the technology space turning, the forecast's top pairs, the pollutant ranking. */
export const KIOSK_SLIDES = ['space', 'forecast', 'pollutants'] as const;
export type KioskSlide = (typeof KIOSK_SLIDES)[number];

/** Routes a kiosk never shows: importing files and loading models open file dialogs and change the demo. */
export const KIOSK_HIDDEN_ROUTES: ReadonlySet<string> = new Set(['import', 'models']);

/** `?kiosk=off` (or 0 / false / no) reads as off, so a saved kiosk URL can be switched off in place. */
const OFF = new Set(['0', 'false', 'off', 'no']);

/** Bounds that keep a kiosk usable: a loop that starts before a visitor reads, or a reset mid-visit, is a typo. */
const LIMITS = {
  idle: { min: 1, max: 24 * 3600, scale: 1000 },
  reset: { min: 0.05, max: 24 * 60, scale: 60_000 },
  slide: { min: 1, max: 3600, scale: 1000 },
} as const;

function read(query: URLSearchParams, key: keyof typeof LIMITS, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  const { min, max, scale } = LIMITS[key];
  return Number.isFinite(value) && value >= min && value <= max ? Math.round(value * scale) : fallback;
}

/** The kiosk settings of a URL's query string, or null when kiosk mode is off. */
export function parseKioskSettings(search: string): KioskSettings | null {
  const query = new URLSearchParams(search);
  const flag = query.get('kiosk');
  if (flag === null || OFF.has(flag.trim().toLowerCase())) return null;
  return {
    idleMs: read(query, 'idle', DEFAULT_KIOSK_SETTINGS.idleMs),
    resetMs: read(query, 'reset', DEFAULT_KIOSK_SETTINGS.resetMs),
    slideMs: read(query, 'slide', DEFAULT_KIOSK_SETTINGS.slideMs),
  };
}
