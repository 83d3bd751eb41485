/**
 * Benchmark, not a test: frame time of the 3D technology space (one InstancedMesh, three.js
 * WebGLRenderer) with up to 100k points in headless Chromium. There is no GPU here: WebGL runs on
 * SwiftShader (CPU), so these are software-rendering figures, far slower than any real GPU.
 * Vite's dev server serves the app's SpaceScene to a probe page (test/bench/browser/space-probe.ts).
 * Writes bench-results/space.json. Times are reported, not asserted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../e2e/browser';
import { callProbe, withDevPage } from './browser/dev-page';
import type { SpaceFrameBench } from './browser/space-probe';

const SIZES = [1_000, 10_000, 100_000];
const FRAMES = 20;

describe.skipIf(!existsSync(CHROMIUM_PATH))('3D space frame time in Chromium (SwiftShader WebGL)', () => {
  it('renders 1k, 10k and 100k instanced points', async () => {
    const results = await withDevPage(async (page) => {
      const measuredResults: SpaceFrameBench[] = [];
      for (const points of SIZES) {
        const measured = await callProbe<SpaceFrameBench>(page, '/test/bench/browser/space-probe.ts', 'runSpaceBench', [points, FRAMES]);
        expect(measured.points).toBe(points);
        console.log(`${points} points: ${measured.msPerFrameMedian.toFixed(1)} ms/frame (median), moving ${measured.msPerMovingFrameMedian.toFixed(1)} ms, setup ${measured.setupMs.toFixed(0)} ms on ${measured.renderer}`);
        measuredResults.push(measured);
      }
      return measuredResults;
    }, { width: 1280, height: 900 });
    const output = {
      note: 'headless Chromium, WebGL on SwiftShader (software, no GPU), 1024×768 canvas at device pixel ratio 1, antialias on; one InstancedMesh draw call; icosahedron detail 2 up to 5k points, detail 0 above',
      results: results.map((r) => ({ ...r, setupMs: +r.setupMs.toFixed(1), msPerFrameMedian: +r.msPerFrameMedian.toFixed(2), msPerFrameMean: +r.msPerFrameMean.toFixed(2), msPerMovingFrameMedian: +r.msPerMovingFrameMedian.toFixed(2), fps: +(1000 / r.msPerFrameMedian).toFixed(1) })),
      generatedAt: new Date().toISOString(),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/space.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 900_000);
});
