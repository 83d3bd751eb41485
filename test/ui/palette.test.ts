/**
 * The theme's colours are usable on both schemes: categorical colours keep 3:1 against the light
 * and the dark background (graphical objects), text keeps 4.5:1 on its surfaces, and the CSS
 * tokens are written from the same numbers the canvases use.
 */
import { describe, expect, it } from 'vitest';
import {
  CANVAS_THEMES, SECTION_LETTERS, SECTION_PALETTE, categoricalColour, contrastRatio, cssColour, parseHex, relativeLuminance,
  sectionColour, seriesColour, hexColour, numberColour, unitColour, MAP_CANVASES, type Rgb,
} from '../../src/ui/theme/palette';
import { CHROME, THEME_CSS } from '../../src/ui/theme/tokens';

const GRAPHICS_CONTRAST = 3;
const TEXT_CONTRAST = 4.5;
const schemes = ['light', 'dark'] as const;

describe('palette', () => {
  it('every section, topic and series colour keeps 3:1 against both canvas backgrounds and both page surfaces', () => {
    const colours: [string, Rgb][] = [
      ...SECTION_LETTERS.map((s) => [`section ${s}`, SECTION_PALETTE[s]] as [string, Rgb]),
      ...Array.from({ length: 40 }, (_, i) => [`topic ${i}`, categoricalColour(i)] as [string, Rgb]),
      ...Array.from({ length: 10 }, (_, i) => [`series ${i}`, seriesColour(i)] as [string, Rgb]),
    ];
    const backgrounds = schemes.flatMap((s) => [CANVAS_THEMES[s].background, MAP_CANVASES[s].background, parseHex(CHROME[s].surface), parseHex(CHROME[s].bg)]);
    const failures = colours.flatMap(([name, colour]) => backgrounds
      .filter((bg) => contrastRatio(colour, bg) < GRAPHICS_CONTRAST)
      .map((bg) => `${name} ${hexColour(colour)} on ${hexColour(bg)}: ${contrastRatio(colour, bg).toFixed(2)}`));
    expect(failures).toEqual([]);
  });

  it('the patent map in each scheme: its labels read 4.5:1, a selected point’s ring 3:1, dimmed points sit near the background', () => {
    for (const scheme of schemes) {
      const map = MAP_CANVASES[scheme];
      expect(contrastRatio(map.ink, map.background)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
      expect(contrastRatio(map.ring, map.background)).toBeGreaterThanOrEqual(GRAPHICS_CONTRAST);
      // Dimmed points recede: closer to the background than to the ring.
      expect(contrastRatio(map.dim, map.background)).toBeLessThan(contrastRatio(map.dim, map.ring));
    }
    // The CSS around the canvas (labels' halo) is written from the same numbers.
    expect(THEME_CSS).toContain(`--ps-map-bg: ${cssColour(MAP_CANVASES.dark.background)};`);
  });

  it('generated topic colours stay distinct from each other', () => {
    const colours = Array.from({ length: 30 }, (_, i) => hexColour(categoricalColour(i)));
    expect(new Set(colours).size).toBe(30);
  });

  it('text, muted text and notice text keep 4.5:1 on their backgrounds in both schemes', () => {
    const failures: string[] = [];
    for (const scheme of schemes) {
      const c = CHROME[scheme];
      const pairs: [string, string, string][] = [
        ['text on surface', c.text, c.surface], ['text on bg', c.text, c.bg], ['muted on surface', c.textMuted, c.surface],
        ['muted on bg', c.textMuted, c.bg], ['muted on raised', c.textMuted, c.surface2], ['accent on surface', c.accent, c.surface],
        ['accent text on accent', c.accentText, c.accent], ['text on selected row', c.text, c.accentSoft],
        ['info', c.infoText, c.infoBg], ['warning', c.warningText, c.warningBg], ['error', c.errorText, c.errorBg],
        ['success on surface', c.success, c.surface],
      ];
      for (const [name, fg, bg] of pairs) {
        const ratio = contrastRatio(parseHex(fg), parseHex(bg));
        if (ratio < TEXT_CONTRAST) failures.push(`${scheme} ${name}: ${ratio.toFixed(2)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('converts one colour into every form the renderers take', () => {
    const red: Rgb = [214, 39, 40];
    expect(hexColour(red)).toBe('#d62728');
    expect(parseHex('#d62728')).toEqual(red);
    expect(numberColour(red)).toBe(0xd62728);
    expect(unitColour(red).map((v) => v.toFixed(3))).toEqual(['0.839', '0.153', '0.157']);
    expect(cssColour(red)).toBe('rgb(214, 39, 40)');
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 6);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
  });

  it('unknown sections are grey, not a section colour', () => {
    expect(sectionColour('Q')).toEqual([127, 127, 127]);
    expect(sectionColour('H')).toEqual(SECTION_PALETTE.H);
  });
});

describe('theme tokens', () => {
  it('writes the section palette, both schemes and reduced motion into the document stylesheet', () => {
    for (const s of SECTION_LETTERS) expect(THEME_CSS).toContain(`--ps-section-${s}: ${cssColour(SECTION_PALETTE[s])};`);
    expect(THEME_CSS).toContain(`--ps-canvas-bg: ${cssColour(CANVAS_THEMES.light.background)};`);
    const dark = THEME_CSS.slice(THEME_CSS.indexOf('@media (prefers-color-scheme: dark)'));
    expect(dark).toContain(`--ps-bg: ${CHROME.dark.bg};`);
    expect(dark).toContain(`--ps-canvas-bg: ${cssColour(CANVAS_THEMES.dark.background)};`);
    expect(THEME_CSS).toMatch(/@media \(prefers-reduced-motion: reduce\) \{ :root \{ --ps-duration: 0ms; \} \}/);
    expect(THEME_CSS).toContain('--ps-border-strong:');
    expect(THEME_CSS).toContain('--ps-surface2:');
  });
});
