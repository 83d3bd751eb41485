/**
 * Runs in headless Chromium, served by Vite's dev server (test/bench/map.bench.ts): what one
 * interaction with the patent map costs at N points, for one copy of the map modules. `base` is
 * the URL prefix of a `src/` folder, so the same page can time the current modules and a baseline
 * checkout's side by side. Newer entry points (colour / state uploads, grid selections) are used
 * when the modules have them and the older full-scan calls otherwise, so one probe times both.
 */
import type * as Geometry from '../../../src/ui/map-geometry';
import type * as Renderer from '../../../src/ui/map-renderer';
import type * as Style from '../../../src/ui/map-style';

export interface MapBench {
  label: string;
  points: number;
  renderer: string;
  uploadPositionsMs: number;
  /** Colour mode change (to 'year'): colours + states for every point and their upload; median of 3 after a first call. */
  restyleMs: number;
  /** Why colouring by year failed (older map-style spread n years into Math.min). */
  restyleError: string | null;
  /** A new search: matches, states, upload (the colours stay); one call. */
  searchMs: number;
  /** A new selection: states and their upload. */
  selectionStyleMs: number;
  /** Fit view, all points: draw call + a 1-pixel readPixels that waits for the frame. */
  drawFitMs: { median: number; p90: number };
  /** 8× zoom into one cluster. */
  drawZoomedMs: { median: number; p90: number };
  /** Fit view with maxPoints = INTERACTIVE_POINTS, as for frames during a drag (older renderers draw everything). */
  drawFitBudgetMs: { median: number; p90: number };
  /** What one frame drew (points passed to the draw calls) at fit, zoomed and fit with the budget. */
  drawnFit: number;
  drawnZoomed: number;
  drawnFitBudget: number;
  gridMs: number;
  hover1000Ms: number;
  /** Box and lasso: median of 3 calls after a first one. */
  boxMs: number;
  lassoMs: number;
  boxCount: number;
  lassoCount: number;
  /** Sum of the indices, to check that both copies select the same points. */
  boxChecksum: number;
  lassoChecksum: number;
}

export const INTERACTIVE_POINTS = 100_000;

/** Median of three timed calls, after the first (cold) call made by the caller. */
function median3(work: () => unknown): number {
  const times = [0, 1, 2].map(() => { const started = performance.now(); work(); return performance.now() - started; });
  return times.sort((a, b) => a - b)[1];
}

type Modules = [typeof Renderer, typeof Style, typeof Geometry];

function stats(times: number[]): { median: number; p90: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] };
}

/** 30 Gaussian-ish clusters on a 6×5 lattice, as a UMAP layout looks. */
function layoutLike(n: number): Float32Array {
  let seed = 7;
  const rand = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; };
  const coordinates = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 30);
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * 0.6;
    const t = rand() * 2 * Math.PI;
    coordinates[i * 2] = (c % 6) * 4 + 1.5 + r * Math.cos(t);
    coordinates[i * 2 + 1] = Math.floor(c / 6) * 4 + 1.5 + r * Math.sin(t);
  }
  return coordinates;
}

export async function runMapBench(label: string, base: string, n: number, frames: number): Promise<MapBench> {
  const [r, s, g] = await Promise.all([
    import(/* @vite-ignore */ `${base}ui/map-renderer.ts`), import(/* @vite-ignore */ `${base}ui/map-style.ts`), import(/* @vite-ignore */ `${base}ui/map-geometry.ts`),
  ]) as Modules;
  const coordinates = layoutLike(n);
  const points: Style.MapPoint[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`, title: `Patent ${i}`, year: 1980 + (i % 41), codes: ['H04L 27/26', 'G06F 3/00'],
    haystack: `p${i} patent ${i} ${i % 7 === 0 ? 'lithium' : 'sodium'} anode cathode electrolyte`,
  }));
  const clusters = Int32Array.from({ length: n }, (_, i) => i % 30);
  const canvas = document.createElement('canvas');
  canvas.style.width = '1000px';
  canvas.style.height = '700px';
  document.body.append(canvas);
  const renderer = new r.MapRenderer(canvas);
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext;
  const pixel = new Uint8Array(4);
  const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);

  let t = performance.now();
  renderer.setPositions(coordinates);
  sync();
  const uploadPositionsMs = performance.now() - t;

  const selected = new Uint8Array(n);
  const { colours } = s.pointColours('topic', points, clusters);
  let matches = s.searchMatches(points, 'lithium');
  let states = s.pointStates(n, { selected, selectionSize: 0, matches, onlySelection: false });
  renderer.setStyle(colours, states);
  sync();
  let restyleMs = Number.NaN;
  let restyleError: string | null = null;
  try {
    restyleMs = median3(() => {
      const mode = s.pointColours('year', points, clusters);
      renderer.setStyle(mode.colours, s.pointStates(n, { selected, selectionSize: 0, matches, onlySelection: false }));
      sync();
    });
  } catch (error) {
    restyleError = error instanceof Error ? error.message : String(error);
  }
  renderer.setStyle(colours, states);

  const uploadStates = (next: Uint8Array) => {
    const withStates = renderer as unknown as { setStates?: (states: Uint8Array) => void };
    if (withStates.setStates) withStates.setStates(next);
    else renderer.setStyle(colours, next);
  };
  t = performance.now();
  matches = s.searchMatches(points, 'lithium anode');
  states = s.pointStates(n, { selected, selectionSize: 0, matches, onlySelection: false });
  uploadStates(states);
  sync();
  const searchMs = performance.now() - t;

  for (let i = 0; i < n; i += 97) selected[i] = 1;
  t = performance.now();
  states = s.pointStates(n, { selected, selectionSize: Math.ceil(n / 97), matches, onlySelection: false });
  uploadStates(states);
  sync();
  const selectionStyleMs = performance.now() - t;
  selected.fill(0);
  uploadStates(s.pointStates(n, { selected, selectionSize: 0, matches: null, onlySelection: false }));

  const view = g.fitView(coordinates, n, 1000, 700);
  const drawFrames = (zoom: number, cx: number, cy: number, maxPoints?: number) => {
    const times: number[] = [];
    let drawn = 0;
    for (let f = 0; f < frames + 2; f++) {
      const started = performance.now();
      // A small pan each frame, as during a drag.
      const frameView = { ...view, scale: view.scale * zoom, cx: cx + f * 0.01, cy };
      drawn = renderer.draw(frameView, 1, 3, maxPoints === undefined ? {} : { maxPoints }).points;
      sync();
      if (f >= 2) times.push(performance.now() - started);
    }
    return { times: stats(times), drawn };
  };
  const fit = drawFrames(1, view.cx, view.cy);
  const zoomed = drawFrames(8, 1.5, 1.5);
  // A search is on (every 7th point highlighted), as the reduced frame must still draw those.
  uploadStates(s.pointStates(n, { selected, selectionSize: 0, matches: s.searchMatches(points, 'lithium'), onlySelection: false }));
  const budget = drawFrames(1, view.cx, view.cy, INTERACTIVE_POINTS);

  t = performance.now();
  const grid = new g.PointGrid(coordinates, n);
  const gridMs = performance.now() - t;
  grid.nearest(1, 1, 0.05);
  let seed = 11;
  const rand = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; };
  t = performance.now();
  for (let q = 0; q < 1000; q++) grid.nearest(rand() * 24, rand() * 20, 0.05);
  const hover1000Ms = performance.now() - t;

  const indexed = grid as unknown as {
    inBox?: (x0: number, y0: number, x1: number, y1: number) => number[];
    inPolygon?: (polygon: ReadonlyArray<readonly [number, number]>) => number[];
  };
  const box = indexed.inBox ? indexed.inBox(2, 2, 14, 12) : g.pointsInBox(coordinates, n, 2, 2, 14, 12);
  const boxMs = median3(() => (indexed.inBox ? indexed.inBox(2, 2, 14, 12) : g.pointsInBox(coordinates, n, 2, 2, 14, 12)));
  const polygon = Array.from({ length: 256 }, (_, k): [number, number] => {
    const angle = (k / 256) * 2 * Math.PI;
    const wobble = 1 + 0.15 * Math.sin(7 * angle);
    return [12 + 8 * wobble * Math.cos(angle), 10 + 6 * wobble * Math.sin(angle)];
  });
  const lasso = indexed.inPolygon ? indexed.inPolygon(polygon) : g.pointsInPolygon(coordinates, n, polygon);
  const lassoMs = median3(() => (indexed.inPolygon ? indexed.inPolygon(polygon) : g.pointsInPolygon(coordinates, n, polygon)));

  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const rendererName = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  renderer.destroy();
  canvas.remove();
  return {
    label, points: n, renderer: rendererName, uploadPositionsMs, restyleMs, restyleError, searchMs, selectionStyleMs,
    drawFitMs: fit.times, drawZoomedMs: zoomed.times, drawFitBudgetMs: budget.times, drawnFit: fit.drawn, drawnZoomed: zoomed.drawn, drawnFitBudget: budget.drawn,
    gridMs, hover1000Ms, boxMs, lassoMs, boxCount: box.length, lassoCount: lasso.length,
    boxChecksum: box.reduce((sum, i) => sum + i, 0), lassoChecksum: lasso.reduce((sum, i) => sum + i, 0),
  };
}
