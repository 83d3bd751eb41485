/**
 * Every colour the app draws with, as numbers: canvases, WebGL and three.js need RGB values, not
 * CSS variables. The CSS custom properties in tokens.ts are generated from these same values, so
 * a legend swatch and the point it explains can never disagree.
 *
 * Categorical colours (IPC sections, topics, ROC series) are chosen with a relative luminance
 * between 0.14 and 0.27: that band keeps a 3:1 contrast (WCAG 1.4.11, graphical objects) against
 * both the light and the dark background (checked in test/ui/palette.test.ts).
 */

import { SECTION_LETTERS, type SectionLetter } from '../../core/ipc-sections';

export { SECTION_LETTERS, SECTION_NAMES, type SectionLetter } from '../../core/ipc-sections';

export type Rgb = readonly [number, number, number];
export type ColourScheme = 'light' | 'dark';

/** One colour per IPC section, the same on the map, in the space and in every legend. */
export const SECTION_PALETTE: Record<SectionLetter, Rgb> = {
  A: [214, 39, 40], B: [217, 101, 11], C: [160, 132, 0], D: [43, 154, 43], E: [21, 151, 165],
  F: [42, 102, 220], G: [148, 103, 189], H: [199, 74, 159], Y: [154, 93, 80],
};
/** Points without a section, codes outside the highlighted one, unknown years. */
export const OTHER_COLOUR: Rgb = [127, 127, 127];
/** The code highlighted in the map's "colour by code" mode. */
export const CODE_MATCH_COLOUR: Rgb = [214, 39, 40];

/** Topics: Tableau 10 hues, darkened into the luminance band; more topics get generated hues. */
const CATEGORICAL: Rgb[] = [
  [31, 119, 180], [217, 101, 11], [43, 154, 43], [214, 39, 40], [148, 103, 189],
  [154, 93, 80], [199, 74, 159], [127, 127, 127], [138, 138, 18], [21, 151, 165],
];

/** ROC curves: Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), darkened into the band. */
export const SERIES_PALETTE: readonly Rgb[] = [
  [0, 114, 178], [213, 94, 0], [0, 143, 104], [184, 88, 143], [168, 116, 0],
  [61, 143, 196], [107, 107, 107], [138, 138, 18], [148, 103, 189], [154, 93, 80],
];

/** Viridis at five stops: years and scores. */
const SEQUENTIAL: Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** Luminance every generated categorical colour is placed at (the middle of the band). */
const GENERATED_LUMINANCE = 0.19;
/** Golden angle in degrees: consecutive generated hues stay far apart. */
const GOLDEN_ANGLE = 137.508;

/** What the canvases draw besides data points, per colour scheme. */
export interface CanvasTheme {
  background: Rgb;
  /** Lines and text drawn on the canvas. */
  ink: Rgb;
  /** Secondary lines (trails). */
  faint: Rgb;
}

export const CANVAS_THEMES: Record<ColourScheme, CanvasTheme> = {
  light: { background: [247, 247, 249], ink: [34, 34, 34], faint: [85, 85, 85] },
  dark: { background: [21, 24, 29], ink: [226, 230, 236], faint: [150, 156, 166] },
};

/** The patent map's canvas: its background, labels, and what dimmed points and rings fade to. */
export interface MapCanvasTheme extends CanvasTheme {
  /** Points outside a search or selection are mixed 72 % towards this (near the background). */
  dim: Rgb;
  /** The ring of a selected point (a highlighted point's ring is orange in both schemes). */
  ring: Rgb;
}

/**
 * The patent map (map-renderer.ts) in each scheme: white with a near-black ring in light, the
 * space's dark canvas with a near-white ring in dark; its labels and halos follow.
 */
export const MAP_CANVASES: Record<ColourScheme, MapCanvasTheme> = {
  light: { background: [255, 255, 255], ink: [34, 34, 34], faint: [85, 85, 85], dim: [237, 237, 237], ring: [20, 20, 20] },
  dark: { ...CANVAS_THEMES.dark, dim: [52, 57, 64], ring: [242, 242, 242] },
};

export function sectionColour(section: string): Rgb {
  return (SECTION_PALETTE as Record<string, Rgb | undefined>)[section] ?? OTHER_COLOUR;
}

/** The colour of a section index (SECTION_LETTERS order); NO_SECTION and unknown indices are grey. */
export function sectionIndexColour(index: number): Rgb {
  const letter = SECTION_LETTERS[index] as SectionLetter | undefined;
  return letter ? SECTION_PALETTE[letter] : OTHER_COLOUR;
}

export function categoricalColour(index: number): Rgb {
  if (index < CATEGORICAL.length) return CATEGORICAL[index];
  return hueAtLuminance(((index - CATEGORICAL.length) * GOLDEN_ANGLE) % 360, 0.65, GENERATED_LUMINANCE);
}

export function seriesColour(index: number): Rgb {
  return SERIES_PALETTE[index % SERIES_PALETTE.length];
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

export function hexColour([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** 0xRRGGBB, as three.js takes it. */
export function numberColour([r, g, b]: Rgb): number {
  return (r << 16) | (g << 8) | b;
}

/** Channels in 0…1, as WebGL and three.js colour buffers take them. */
export function unitColour([r, g, b]: Rgb): [number, number, number] {
  return [r / 255, g / 255, b / 255];
}

export function parseHex(hex: string): Rgb {
  const value = Number.parseInt(hex.replace(/^#/, ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** WCAG relative luminance (0 black … 1 white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio (1 … 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The HSL colour of hue `h` and saturation `s` whose lightness gives `luminance` (bisection). */
function hueAtLuminance(h: number, s: number, luminance: number): Rgb {
  let low = 0;
  let high = 1;
  for (let step = 0; step < 24; step++) {
    const mid = (low + high) / 2;
    if (relativeLuminance(hslToRgb(h, s, mid)) < luminance) low = mid;
    else high = mid;
  }
  return hslToRgb(h, s, (low + high) / 2);
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
