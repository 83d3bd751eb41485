/**
 * The theme as CSS custom properties on :root, for light and dark (prefers-color-scheme) and
 * with motion switched off under prefers-reduced-motion. Custom properties inherit into every
 * shadow root, so each element's styles use `var(--ps-…)` and never a colour of its own.
 * The section palette is written from palette.ts, so CSS and canvases share one source.
 */
import { SECTION_LETTERS, SECTION_PALETTE, OTHER_COLOUR, CANVAS_THEMES, MAP_CANVASES, cssColour, type ColourScheme } from './palette';

/** The chrome's colours (text, surfaces, one accent, notices), per scheme. */
export interface ChromeColours {
  bg: string;
  surface: string;
  surface2: string;
  border: string;
  borderStrong: string;
  text: string;
  textMuted: string;
  accent: string;
  /** Text on an accent background. */
  accentText: string;
  /** Selected rows and pressed toggles. */
  accentSoft: string;
  focus: string;
  infoBg: string; infoBorder: string; infoText: string;
  warningBg: string; warningBorder: string; warningText: string;
  errorBg: string; errorBorder: string; errorText: string;
  success: string;
  shadow: string;
}

export const CHROME: Record<ColourScheme, ChromeColours> = {
  light: {
    bg: '#f6f7f9', surface: '#ffffff', surface2: '#eef1f5', border: '#d5dae1', borderStrong: '#aab2bd',
    text: '#1d2127', textMuted: '#5b6470', accent: '#2058c9', accentText: '#ffffff', accentSoft: '#e3ecfb', focus: '#2f6fed',
    infoBg: '#e8f1fd', infoBorder: '#9dbbe8', infoText: '#15396e',
    warningBg: '#fff4d6', warningBorder: '#e0b84c', warningText: '#5c4200',
    errorBg: '#fde2e1', errorBorder: '#d9534f', errorText: '#7a1c18',
    success: '#1a7f37', shadow: '0 2px 8px rgba(0, 0, 0, 0.15)',
  },
  dark: {
    bg: '#111418', surface: '#1a1e24', surface2: '#242a32', border: '#353c46', borderStrong: '#4d5663',
    text: '#e6e9ee', textMuted: '#9aa3af', accent: '#6ea1ff', accentText: '#0b1220', accentSoft: '#1f3154', focus: '#8ab4ff',
    infoBg: '#132236', infoBorder: '#2f4f7a', infoText: '#c4dafc',
    warningBg: '#2e2410', warningBorder: '#7a5d1c', warningText: '#f3d58c',
    errorBg: '#351515', errorBorder: '#8a3232', errorText: '#ffc4c0',
    success: '#6fd08c', shadow: '0 2px 10px rgba(0, 0, 0, 0.5)',
  },
};

/** Five sizes; numbers use tabular figures wherever they line up. */
export const TYPE_SCALE = { xs: '0.75rem', sm: '0.875rem', md: '1rem', lg: '1.25rem', xl: '1.5rem' } as const;
/** A 4 px grid. */
export const SPACING = { 1: '4px', 2: '8px', 3: '12px', 4: '16px', 6: '24px', 8: '32px' } as const;
/** Panel slides and hover fades; 0 under prefers-reduced-motion. */
export const DURATION_MS = 150;

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace";

function kebab(name: string): string {
  return name.replace(/[A-Z0-9]/g, (c) => `-${c.toLowerCase()}`).replace(/-(\d)/g, '$1');
}

function declarations(values: Record<string, string>): string {
  return Object.entries(values).map(([name, value]) => `--ps-${kebab(name)}: ${value};`).join(' ');
}

function schemeDeclarations(scheme: ColourScheme): string {
  const canvas = CANVAS_THEMES[scheme];
  const map = MAP_CANVASES[scheme];
  return `${declarations({ ...CHROME[scheme] })} --ps-canvas-bg: ${cssColour(canvas.background)}; --ps-canvas-ink: ${cssColour(canvas.ink)};`
    + ` --ps-map-bg: ${cssColour(map.background)}; --ps-map-ink: ${cssColour(map.ink)};`;
}

function fixedDeclarations(): string {
  const sections = Object.fromEntries(SECTION_LETTERS.map((s) => [`section-${s}`, cssColour(SECTION_PALETTE[s])]));
  const sizes = Object.fromEntries(Object.entries(TYPE_SCALE).map(([k, v]) => [`text-${k}`, v]));
  const spaces = Object.fromEntries(Object.entries(SPACING).map(([k, v]) => [`space-${k}`, v]));
  return [
    `--ps-font: ${FONT}; --ps-mono: ${MONO};`,
    Object.entries({ ...sections, 'section-other': cssColour(OTHER_COLOUR), ...sizes, ...spaces })
      .map(([name, value]) => `--ps-${name}: ${value};`).join(' '),
    `--ps-radius: 6px; --ps-duration: ${DURATION_MS}ms;`,
  ].join(' ');
}

/**
 * The document-level stylesheet: tokens, and the page itself (background, font, colour scheme).
 * A `data-theme` on <html> (the user's choice, scheme-choice.ts) wins over the system's scheme.
 */
export const THEME_CSS = `
:root { color-scheme: light dark; ${fixedDeclarations()} ${schemeDeclarations('light')} }
@media (prefers-color-scheme: dark) { :root:not([data-theme='light']) { ${schemeDeclarations('dark')} } }
:root[data-theme='light'] { color-scheme: light; }
:root[data-theme='dark'] { color-scheme: dark; ${schemeDeclarations('dark')} }
@media (prefers-reduced-motion: reduce) { :root { --ps-duration: 0ms; } }
html, body { margin: 0; background: var(--ps-bg); color: var(--ps-text); font-family: var(--ps-font); font-size: 16px; }
`;

/** Adds the theme to the document once (main.ts). */
export function installTheme(doc: Document = document): void {
  if (doc.querySelector('style[data-ps-theme]')) return;
  const style = doc.createElement('style');
  style.dataset.psTheme = '';
  style.textContent = THEME_CSS;
  doc.head.append(style);
}
