/**
 * Benchmark, not a test: what one interaction with the patent map costs at 50,000 and 650,000
 * points in headless Chromium (WebGL2 on SwiftShader, i.e. on the CPU: a real GPU draws far
 * faster). Per size (test/bench/browser/map-probe.ts): position upload, restyle (colour mode),
 * a new search and a new selection (states only), frames at the fit view and 8× zoomed, grid
 * build, 1000 hover picks, box and lasso selection, and a fit-view frame with the renderer's
 * maxPoints budget (a reduced frame during a drag; renderers without it draw everything). Vite's dev server serves the app's own
 * modules to the page.
 *
 * Side by side with a baseline: MAP_BENCH_BASELINE names a folder under the repository root that
 * holds an older `src/` (e.g. `git archive <commit> src | tar -x -C tmp/map-base`, `tmp/` is
 * ignored); the same page then times both copies, alternating, and checks that they select the
 * same points. MAP_BENCH_SIZES overrides the sizes (comma-separated). Writes
 * bench-results/map.json. Times are printed, never asserted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../e2e/browser';
import { callProbe, withDevPage } from './browser/dev-page';
import type { MapBench } from './browser/map-probe';

const SIZES = (process.env.MAP_BENCH_SIZES ?? '50000,650000').split(',').map(Number);
const FRAMES = 12;
const BASELINE = process.env.MAP_BENCH_BASELINE?.replace(/\/+$/, '');

function summary(m: MapBench): string {
  const f = (v: number) => v.toFixed(1);
  return `${m.label} n=${m.points}: draw fit ${f(m.drawFitMs.median)} ms (p90 ${f(m.drawFitMs.p90)}, ${m.drawnFit} pts), zoomed ${f(m.drawZoomedMs.median)} ms (${m.drawnZoomed} pts),`
    + ` fit with budget ${f(m.drawFitBudgetMs.median)} ms (${m.drawnFitBudget} pts),`
    + ` restyle ${m.restyleError ? `failed (${m.restyleError})` : `${f(m.restyleMs)} ms`}, search ${f(m.searchMs)} ms, selection ${f(m.selectionStyleMs)} ms, positions ${f(m.uploadPositionsMs)} ms,`
    + ` grid ${f(m.gridMs)} ms, 1000 hovers ${f(m.hover1000Ms)} ms, box ${m.boxMs.toFixed(2)} ms (${m.boxCount}), lasso ${m.lassoMs.toFixed(2)} ms (${m.lassoCount})`;
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('patent map interaction costs in Chromium', () => {
  it(`draw, restyle, pick and select at ${SIZES.join(' / ')} points`, async () => {
    const copies: Array<[string, string]> = [['current', '/src/']];
    if (BASELINE) copies.unshift(['baseline', `/${BASELINE}/src/`]);
    const results = await withDevPage(async (page) => {
      const measured: MapBench[] = [];
      for (const n of SIZES) {
        const pair: MapBench[] = [];
        for (const [label, base] of copies) {
          const m = await callProbe<MapBench>(page, '/test/bench/browser/map-probe.ts', 'runMapBench', [label, base, n, FRAMES]);
          expect(m.points).toBe(n);
          console.log(summary(m));
          pair.push(m);
        }
        if (pair.length === 2) {
          expect(pair[1].boxCount).toBe(pair[0].boxCount);
          expect(pair[1].boxChecksum).toBe(pair[0].boxChecksum);
          expect(pair[1].lassoCount).toBe(pair[0].lassoCount);
          expect(pair[1].lassoChecksum).toBe(pair[0].lassoChecksum);
        }
        measured.push(...pair);
      }
      return measured;
    });
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/map.json', `${JSON.stringify({ date: new Date().toISOString(), frames: FRAMES, canvas: '1000×700 CSS px, pixel ratio 1, point size 3', baseline: BASELINE ?? null, results }, null, 1)}\n`);
  });
});
