/**
 * The user's colour-scheme choice: follow the system (`auto`, the default) or force light or dark.
 * A forced scheme is written as `data-theme` on <html>, which the theme's CSS (tokens.ts) and the
 * canvases (media.ts) read before the media query; the choice is kept in localStorage so it is
 * there at the first paint of the next visit, before IndexedDB could answer.
 */
import type { ColourScheme } from './palette';

export type SchemeChoice = 'auto' | ColourScheme;
export const SCHEME_CHOICES: readonly SchemeChoice[] = ['auto', 'light', 'dark'];
const KEY = 'ps-scheme';
/** Fired on document when the forced scheme changes (the media query's change event does not). */
export const SCHEME_EVENT = 'ps-scheme-change';

export function storedSchemeChoice(): SchemeChoice {
  const value = globalThis.localStorage?.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** The scheme forced on the page, or null when it follows the system. */
export function forcedScheme(doc: Document = document): ColourScheme | null {
  const value = doc.documentElement.dataset.theme;
  return value === 'light' || value === 'dark' ? value : null;
}

/** Applies a choice to the page (and stores it unless `store` is false). */
export function applySchemeChoice(choice: SchemeChoice, doc: Document = document, store = true): void {
  if (choice === 'auto') delete doc.documentElement.dataset.theme;
  else doc.documentElement.dataset.theme = choice;
  if (store) {
    if (choice === 'auto') globalThis.localStorage?.removeItem(KEY);
    else globalThis.localStorage?.setItem(KEY, choice);
  }
  doc.dispatchEvent(new Event(SCHEME_EVENT));
}
