/**
 * Runs in headless Chromium, served by Vite's dev server (test/bench/space.bench.ts): the app's
 * SpaceScene with N instanced points, rendering frames while the camera orbits.
 */
import { mulberry32, gaussian } from '../../../src/core/random';
import { SpaceScene } from '../../../src/ui/space-scene';

export interface SpaceFrameBench {
  points: number;
  frames: number;
  width: number;
  height: number;
  renderer: string;
  setupMs: number;
  /** Per frame: orbit + render + a 1-pixel readPixels that waits for the frame to finish. */
  msPerFrameMedian: number;
  msPerFrameMean: number;
  /** Per frame while the time slider moves: new positions for every point (instance matrices) + render. */
  msPerMovingFrameMedian: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runSpaceBench(points: number, frames: number, width = 1024, height = 768): Promise<SpaceFrameBench> {
  const canvas = document.createElement('canvas');
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  document.body.append(canvas);
  const rng = mulberry32(points);
  const sections = 'ABCDEFGH';
  const positions = new Float32Array(points * 3);
  const centres = Array.from({ length: 40 }, () => [gaussian(rng) * 5, gaussian(rng) * 5, gaussian(rng) * 5]);
  for (let i = 0; i < points; i++) {
    const c = centres[i % centres.length];
    for (let d = 0; d < 3; d++) positions[i * 3 + d] = c[d] + gaussian(rng);
  }
  const started = performance.now();
  const scene = new SpaceScene(canvas, null);
  scene.resize();
  scene.setPoints({
    codes: Array.from({ length: points }, (_, i) => `C${i}`),
    sections: Array.from({ length: points }, (_, i) => sections[i % 8]),
    counts: Array.from({ length: points }, () => 1 + Math.floor(rng() ** 3 * 500)),
    positions,
  });
  const gl = scene.renderer.getContext();
  const pixel = new Uint8Array(4);
  const finish = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  scene.render();
  finish();
  const setupMs = performance.now() - started;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));

  const times: number[] = [];
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now();
    scene.orbit(0.02, 0);
    scene.render();
    finish();
    times.push(performance.now() - t0);
  }
  const moving: number[] = [];
  const moved = positions.slice();
  for (let f = 0; f < Math.max(3, Math.floor(frames / 2)); f++) {
    for (let i = 0; i < moved.length; i++) moved[i] += 0.01;
    const t0 = performance.now();
    scene.setPositions(moved);
    scene.render();
    finish();
    moving.push(performance.now() - t0);
  }
  scene.dispose();
  canvas.remove();
  return {
    points, frames, width, height, renderer, setupMs,
    msPerFrameMedian: median(times), msPerFrameMean: times.reduce((s, v) => s + v, 0) / times.length,
    msPerMovingFrameMedian: median(moving),
  };
}
