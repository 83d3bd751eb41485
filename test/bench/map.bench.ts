/**
 * Benchmark, not a test: what one interaction with the patent map costs at 50,000 points in
 * headless Chromium (WebGL2 on SwiftShader, i.e. on the CPU: a real GPU draws far faster).
 * - draw: the renderer's one drawArrays call plus a 1-pixel readPixels that waits for the frame;
 * - restyle: colours + states for every point and their upload (search, colour mode, selection);
 * - grid build (once per layout), hover pick, box and lasso selection.
 * Vite's dev server serves the app's own modules to the page. Writes bench-results/map.json.
 * Times are printed, never asserted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../e2e/browser';
import { withDevPage } from './browser/dev-page';

const POINTS = [1_000, 50_000];
const FRAMES = 30;

interface Measured {
  points: number;
  drawMs: { median: number; p90: number };
  restyleMs: number;
  gridMs: number;
  hover1000Ms: number;
  boxMs: number;
  lassoMs: number;
  renderer: string;
}

/** Runs in the page (a string, because vitest rewrites import() inside functions it compiles). */
function probe(n: number): string {
  return `Promise.all([import('/src/ui/map-renderer.ts'), import('/src/ui/map-style.ts'), import('/src/ui/map-geometry.ts')]).then(async ([r, s, g]) => {
    const n = ${n};
    let seed = 7;
    const rand = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; };
    const coordinates = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) { const c = Math.floor(rand() * 30); coordinates[i * 2] = (c % 6) * 4 + rand() * 3; coordinates[i * 2 + 1] = Math.floor(c / 6) * 4 + rand() * 3; }
    const points = Array.from({ length: n }, (_, i) => ({ id: 'p' + i, title: 'Patent ' + i, year: 1980 + (i % 41), codes: ['H04L 27/26', 'G06F 3/00'], haystack: ('p' + i + ' patent ' + i + ' lithium').toLowerCase() }));
    const clusters = Int32Array.from({ length: n }, (_, i) => i % 30);
    const canvas = document.createElement('canvas');
    canvas.style.width = '1000px'; canvas.style.height = '700px';
    document.body.append(canvas);
    const renderer = new r.MapRenderer(canvas);
    const gl = canvas.getContext('webgl2');
    renderer.setPositions(coordinates);
    let t = performance.now();
    const { colours } = s.pointColours('topic', points, clusters);
    const states = s.pointStates(n, { selected: new Uint8Array(n), selectionSize: 0, matches: s.searchMatches(points, 'lithium'), onlySelection: false });
    renderer.setStyle(colours, states);
    const restyleMs = performance.now() - t;
    const view = g.fitView(coordinates, n, 1000, 700);
    const pixel = new Uint8Array(4);
    const times = [];
    for (let f = 0; f < ${FRAMES} + 3; f++) {
      const started = performance.now();
      renderer.draw(g.zoomAt(view, 1 + f * 0.05, 500, 350), 1, 4);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      if (f >= 3) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    t = performance.now();
    const grid = new g.PointGrid(coordinates, n);
    const gridMs = performance.now() - t;
    t = performance.now();
    for (let q = 0; q < 1000; q++) grid.nearest(rand() * 24, rand() * 20, 0.05);
    const hover1000Ms = (performance.now() - t);
    t = performance.now();
    const box = g.pointsInBox(coordinates, n, 2, 2, 14, 12);
    const boxMs = performance.now() - t;
    t = performance.now();
    const lasso = g.pointsInPolygon(coordinates, n, Array.from({ length: 64 }, (_, k) => [12 + 8 * Math.cos(k / 64 * 2 * Math.PI), 10 + 6 * Math.sin(k / 64 * 2 * Math.PI)]));
    const lassoMs = performance.now() - t;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return { points: n, drawMs: { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] }, restyleMs, gridMs, hover1000Ms, boxMs, lassoMs,
      selected: box.length + lasso.length, renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER) };
  })`;
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('patent map interaction costs in Chromium', () => {
  it('draw, restyle, pick and select at 1k and 50k points', async () => {
    const results = await withDevPage(async (page) => {
      const measuredResults: Measured[] = [];
      for (const n of POINTS) {
        const measured = await page.evaluate(probe(n)) as Measured;
        expect(measured.points).toBe(n);
        measuredResults.push(measured);
        console.log(`map bench n=${n}: draw median ${measured.drawMs.median.toFixed(1)} ms (p90 ${measured.drawMs.p90.toFixed(1)}), restyle ${measured.restyleMs.toFixed(1)} ms,`
          + ` grid ${measured.gridMs.toFixed(1)} ms, 1000 hover picks ${measured.hover1000Ms.toFixed(1)} ms, box ${measured.boxMs.toFixed(2)} ms, lasso ${measured.lassoMs.toFixed(2)} ms on ${measured.renderer}`);
      }
      return measuredResults;
    });
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/map.json', `${JSON.stringify({ date: new Date().toISOString(), frames: FRAMES, results }, null, 1)}\n`);
  });
});
