/**
 * The colour-scheme choice: a forced scheme is written on <html> and kept for the next visit,
 * "System" removes both, junk in storage means "System", and the canvases hear of every change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySchemeChoice, forcedScheme, SCHEME_EVENT, storedSchemeChoice } from '../../../src/ui/theme/scheme-choice';
import { THEME_CSS, CHROME } from '../../../src/ui/theme/tokens';

/** The parts of Document and Storage the module touches. */
function fakeDocument() {
  const events: string[] = [];
  const doc = { documentElement: { dataset: {} as Record<string, string | undefined> }, dispatchEvent: (e: Event) => { events.push(e.type); return true; } };
  return { doc: doc as unknown as Document, events, dataset: doc.documentElement.dataset };
}

const stored = new Map<string, string>();
const storage = {
  getItem: (k: string) => stored.get(k) ?? null,
  setItem: (k: string, v: string) => void stored.set(k, v),
  removeItem: (k: string) => void stored.delete(k),
};
let saved: PropertyDescriptor | undefined;

describe('scheme choice', () => {
  beforeEach(() => {
    stored.clear();
    saved = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true, writable: true });
  });
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'localStorage', saved);
    else Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('forcing dark marks <html>, stores the choice and tells the canvases; System undoes both', () => {
    const { doc, events, dataset } = fakeDocument();
    expect(storedSchemeChoice()).toBe('auto');
    applySchemeChoice('dark', doc);
    expect(dataset.theme).toBe('dark');
    expect(forcedScheme(doc)).toBe('dark');
    expect(storedSchemeChoice()).toBe('dark');
    applySchemeChoice('auto', doc);
    expect(dataset.theme).toBeUndefined();
    expect(forcedScheme(doc)).toBeNull();
    expect(storedSchemeChoice()).toBe('auto');
    expect(events).toEqual([SCHEME_EVENT, SCHEME_EVENT]);
  });

  it('applying the stored choice at start-up does not write it again; junk in storage reads as System', () => {
    const { doc, dataset } = fakeDocument();
    stored.set('ps-scheme', 'light');
    applySchemeChoice(storedSchemeChoice(), doc, false);
    expect(dataset.theme).toBe('light');
    stored.set('ps-scheme', 'purple');
    expect(storedSchemeChoice()).toBe('auto');
  });

  it('the theme CSS gives a forced scheme its colours whatever the system says', () => {
    const forcedDark = THEME_CSS.slice(THEME_CSS.indexOf(":root[data-theme='dark']"));
    expect(forcedDark).toContain(`--ps-bg: ${CHROME.dark.bg};`);
    // The system's dark scheme does not reach a page forced to light.
    expect(THEME_CSS).toContain("@media (prefers-color-scheme: dark) { :root:not([data-theme='light'])");
  });
});
