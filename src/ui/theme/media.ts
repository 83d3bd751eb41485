/**
 * The two user preferences the canvases must follow themselves (CSS follows them through the
 * tokens): the colour scheme, for the three.js background, and reduced motion, for camera flights
 * and playback.
 */
import type { ColourScheme } from './palette';
import { forcedScheme, SCHEME_EVENT } from './scheme-choice';

const DARK = '(prefers-color-scheme: dark)';
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function matches(query: string): boolean {
  return typeof matchMedia === 'function' && matchMedia(query).matches;
}

/** The scheme the page is drawn in: the user's forced choice, else the system's. */
export function currentScheme(): ColourScheme {
  const forced = typeof document === 'undefined' ? null : forcedScheme(document);
  return forced ?? (matches(DARK) ? 'dark' : 'light');
}

export function prefersReducedMotion(): boolean {
  return matches(REDUCED_MOTION);
}

/**
 * Calls `onChange` when the scheme the page is drawn in changes, by the system or by the user's
 * choice; returns the unsubscribe function.
 */
export function watchScheme(onChange: (scheme: ColourScheme) => void): () => void {
  if (typeof matchMedia !== 'function' || typeof document === 'undefined') return () => undefined;
  const query = matchMedia(DARK);
  const listener = () => onChange(currentScheme());
  query.addEventListener('change', listener);
  document.addEventListener(SCHEME_EVENT, listener);
  return () => {
    query.removeEventListener('change', listener);
    document.removeEventListener(SCHEME_EVENT, listener);
  };
}
