/**
 * The Patent Space mark: a small constellation (five dots joined by lines, like neighbouring
 * patents on the map) in the accent's text colour on the accent colour. One geometry, drawn two
 * ways: rasterised into RGBA for the PNG icons and written as SVG for the favicon, so they match.
 */
import { CHROME } from '../../src/ui/theme/tokens';
import type { RgbaImage } from './png';

/** Dots in unit coordinates (0..1 of the icon's side), with their radius. */
export const DOTS: ReadonlyArray<{ x: number; y: number; r: number }> = [
  { x: 0.27, y: 0.69, r: 0.075 },
  { x: 0.41, y: 0.37, r: 0.065 },
  { x: 0.62, y: 0.55, r: 0.085 },
  { x: 0.75, y: 0.29, r: 0.06 },
  { x: 0.71, y: 0.77, r: 0.055 },
];
/** Lines between dots, by index. */
export const LINKS: ReadonlyArray<readonly [number, number]> = [[0, 1], [1, 2], [2, 3], [2, 4], [0, 2]];
export const LINE_WIDTH = 0.03;
/** Corner radius of the plain icon's rounded square; the maskable one fills the whole square. */
export const CORNER = 0.22;
/**
 * A maskable icon's safe zone is the centred circle of radius 0.4 (W3C manifest spec); the mark is
 * scaled into it by this factor about the centre, so no mask can cut a dot.
 */
export const MASKABLE_SCALE = 0.72;
export const SAFE_RADIUS = 0.4;

export const BACKGROUND = CHROME.light.accent;
export const INK = CHROME.light.accentText;

export interface MarkOptions {
  size: number;
  maskable: boolean;
}

type Rgba = [number, number, number, number];

function hexColour(hex: string): Rgba {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff, 255];
}

/** The geometry as drawn at this option: scaled about the centre for a maskable icon. */
export function placedMark(maskable: boolean): { dots: { x: number; y: number; r: number }[]; lineWidth: number } {
  const s = maskable ? MASKABLE_SCALE : 1;
  const place = (v: number) => 0.5 + (v - 0.5) * s;
  return { dots: DOTS.map((d) => ({ x: place(d.x), y: place(d.y), r: d.r * s })), lineWidth: LINE_WIDTH * s };
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Signed distance (unit coordinates) to a rounded square of the whole icon, negative inside. */
function roundedSquareDistance(px: number, py: number, corner: number): number {
  const qx = Math.abs(px - 0.5) - (0.5 - corner), qy = Math.abs(py - 0.5) - (0.5 - corner);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner;
}

/** Coverage of a pixel by a shape at signed distance d (in pixels): a one-pixel linear ramp, for smooth edges. */
function coverage(dPixels: number): number {
  return Math.max(0, Math.min(1, 0.5 - dPixels));
}

/** The mark as an RGBA image of size × size pixels. */
export function drawMark(options: MarkOptions): RgbaImage {
  const { size, maskable } = options;
  const background = hexColour(BACKGROUND), ink = hexColour(INK);
  const { dots, lineWidth } = placedMark(maskable);
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / size, py = (y + 0.5) / size;
      const base = maskable ? 1 : coverage(roundedSquareDistance(px, py, CORNER) * size);
      let mark = 0;
      for (const d of dots) mark = Math.max(mark, coverage((Math.hypot(px - d.x, py - d.y) - d.r) * size));
      for (const [a, b] of LINKS) {
        const d = segmentDistance(px, py, dots[a].x, dots[a].y, dots[b].x, dots[b].y);
        mark = Math.max(mark, coverage((d - lineWidth / 2) * size));
      }
      const at = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(background[c] + (ink[c] - background[c]) * mark);
      pixels[at + 3] = Math.round(255 * base);
    }
  }
  return { width: size, height: size, pixels };
}

/** The same mark as an SVG document (the favicon), in a 64-unit view box. */
export function markSvg(): string {
  const u = (v: number) => Number((v * 64).toFixed(2));
  const { dots, lineWidth } = placedMark(false);
  const lines = LINKS.map(([a, b]) => `<line x1="${u(dots[a].x)}" y1="${u(dots[a].y)}" x2="${u(dots[b].x)}" y2="${u(dots[b].y)}"/>`).join('');
  const circles = dots.map((d) => `<circle cx="${u(d.x)}" cy="${u(d.y)}" r="${u(d.r)}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">`
    + `<rect width="64" height="64" rx="${u(CORNER)}" fill="${BACKGROUND}"/>`
    + `<g stroke="${INK}" stroke-width="${u(lineWidth)}" stroke-linecap="round">${lines}</g>`
    + `<g fill="${INK}">${circles}</g></svg>\n`;
}
