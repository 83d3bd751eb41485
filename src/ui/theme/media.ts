/**
 * The two user preferences the canvases must follow themselves (CSS follows them through the
 * tokens): the colour scheme, for the three.js background, and reduced motion, for camera flights
 * and playback.
 */
import type { ColourScheme } from './palette';

const DARK = '(prefers-color-scheme: dark)';
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function matches(query: string): boolean {
  return typeof matchMedia === 'function' && matchMedia(query).matches;
}

export function currentScheme(): ColourScheme {
  return matches(DARK) ? 'dark' : 'light';
}

export function prefersReducedMotion(): boolean {
  return matches(REDUCED_MOTION);
}

/** Calls `onChange` when the colour scheme changes; returns the unsubscribe function. */
export function watchScheme(onChange: (scheme: ColourScheme) => void): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const query = matchMedia(DARK);
  const listener = () => onChange(query.matches ? 'dark' : 'light');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
