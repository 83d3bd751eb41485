/** The technology space's pure maths (core/layout/space.ts): windows, Procrustes alignment, placement, trajectories. */
import { beforeAll, describe, expect, it } from 'vitest';
import { orthonormalizeColumns } from '../../../src/core/layout/linalg';
import { pca, projectOnto } from '../../../src/core/layout/pca';
import type { EmbeddingWindow } from '../../../src/core/layout/procrustes';
import { yearWindows } from '../../../src/core/layout/sliding-windows';
import { mulberry32, randomNormalMatrix } from '../../../src/core/random';
import { meanOfPatentVectors } from '../../../src/core/code-vectors';

import { alignWindowsToReference, computeSpace, DEFAULT_SPACE_SETTINGS, placeByNearest, windowCodeVectors, type SpaceInput, type SpaceSettings } from '../../../src/core/layout/space';

import { cpuSearch, loadDemoVectors, spaceInputOf, type DemoVectors } from './demo-vectors';

let demo: DemoVectors;
let input: SpaceInput;
beforeAll(() => {
  demo = loadDemoVectors();
  input = spaceInputOf(demo);
});

function rms(a: EmbeddingWindow, b: EmbeddingWindow): { value: number; shared: number } {
  const rowOf = new Map(b.codes.map((c, i) => [c, i]));
  let sum = 0;
  let shared = 0;
  a.codes.forEach((code, i) => {
    const j = rowOf.get(code);
    if (j === undefined) return;
    shared++;
    for (let d = 0; d < a.dim; d++) sum += (a.vectors[i * a.dim + d] - b.vectors[j * b.dim + d]) ** 2;
  });
  return { value: Math.sqrt(sum / Math.max(shared, 1)), shared };
}

function meanConsecutiveRms(windows: readonly EmbeddingWindow[]): number {
  const values = windows.slice(1).map((w, i) => rms(w, windows[i]).value);
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function randomRotation(seed: number, dim: number): Float32Array {
  const q = Float64Array.from(randomNormalMatrix(mulberry32(seed), dim, dim));
  orthonormalizeColumns(q, dim, dim);
  return Float32Array.from(q);
}

function rotate(window: EmbeddingWindow, rotation: Float32Array): EmbeddingWindow {
  const { dim } = window;
  const out = new Float32Array(window.vectors.length);
  for (let r = 0; r < window.codes.length; r++) {
    for (let c = 0; c < dim; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += window.vectors[r * dim + d] * rotation[d * dim + c];
      out[r * dim + c] = s;
    }
  }
  return { ...window, vectors: out };
}

describe('technology space: windows → aligned trajectories (demo corpus, TF-IDF vectors)', () => {
  it.for(['pca', 'umap'] as const)('%s: the same seed gives identical coordinates and trajectories, bit for bit', async (projection) => {
    const settings: SpaceSettings = { ...DEFAULT_SPACE_SETTINGS, projection };
    const first = await computeSpace(input, settings, cpuSearch);
    const second = await computeSpace(input, settings, cpuSearch);
    expect(first.codes).toHaveLength(35);
    expect(first.windows.map((w) => w.label)).toEqual(yearWindows(1981, 2020, { size: 5, step: 3 }).map((w) => w.label));
    expect(first.trajectories).toHaveLength(35 * first.windows.length * 3);
    expect(Array.from(second.positions)).toEqual(Array.from(first.positions));
    expect(Array.from(second.trajectories)).toEqual(Array.from(first.trajectories));
    expect(Array.from(second.neighbours.indices)).toEqual(Array.from(first.neighbours.indices));
    expect(first.positions.every(Number.isFinite) && first.trajectories.every(Number.isFinite)).toBe(true);
    // Codes move: the trajectories are not constant.
    const moved = first.codes.filter((_, i) => {
      const f = first.windows.length;
      const a = first.trajectories.subarray(i * f * 3, i * f * 3 + 3);
      const b = first.trajectories.subarray((i * f + f - 1) * 3, (i * f + f - 1) * 3 + 3);
      return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) > 0;
    });
    expect(moved.length).toBeGreaterThan(20);
    expect(first.sections.every((s) => /^[A-H]$/.test(s))).toBe(true);
    expect(first.counts.reduce((s, c) => s + c, 0)).toBeGreaterThanOrEqual(1000);
  });

  it('a different UMAP seed gives a different layout', async () => {
    const a = await computeSpace(input, { ...DEFAULT_SPACE_SETTINGS, seed: 1 }, cpuSearch);
    const b = await computeSpace(input, { ...DEFAULT_SPACE_SETTINGS, seed: 2 }, cpuSearch);
    expect(Array.from(a.positions)).not.toEqual(Array.from(b.positions));
  });

  // In 8 dimensions every window shares more codes than dimensions, so each rotation is fully
  // determined (with fewer, procrustes.ts leaves the undetermined directions unrotated).
  it.for([8, 32])('Procrustes alignment (%i-d frame) undoes per-window rotations and lowers the RMS between consecutive windows', (dims) => {
    const all = meanOfPatentVectors(demo.patents, demo.vectors, demo.dim, 'subclass');
    const model = pca(all.vectors, all.codes.length, demo.dim, { components: dims, seed: 3 });
    const reference: EmbeddingWindow = { codes: all.codes, dim: dims, vectors: model.coordinates };
    const windows = windowCodeVectors(input, yearWindows(1981, 2020, { size: 5, step: 3 }), 2)
      .map(({ window }) => ({ codes: window.codes, dim: dims, vectors: projectOnto(model, window.vectors, window.codes.length) }));
    // As if each window's vectors came from its own training run: an arbitrary rotation each.
    const rotated = windows.map((w, i) => rotate(w, randomRotation(100 + i, dims)));
    const aligned = alignWindowsToReference(reference, rotated);
    const before = meanConsecutiveRms(rotated);
    const after = meanConsecutiveRms(aligned.windows);
    console.log(`demo, ${dims}-d frame, ${windows.length} windows of 5 years: mean RMS between consecutive windows ${before.toFixed(4)} rotated, ${after.toFixed(4)} aligned, ${meanConsecutiveRms(windows).toFixed(4)} unrotated`);
    expect(after).toBeLessThan(0.5 * before);
    // Orthogonal Procrustes is rotation-equivariant: the aligned windows do not depend on the rotations.
    const alignedPlain = alignWindowsToReference(reference, windows);
    const worst = Math.max(...aligned.windows.map((w, i) => Math.max(...w.vectors.map((v, j) => Math.abs(v - alignedPlain.windows[i].vectors[j])))));
    if (dims === 8) expect(worst).toBeLessThan(1e-4);
    else expect(after).toBeLessThan(2 * meanConsecutiveRms(alignedPlain.windows));
    // Every fit lowers its own distance to the running reference.
    for (const a of aligned.alignments) {
      expect(a.shared).toBeGreaterThan(8);
      expect(a.rmsAfter).toBeLessThan(a.rmsBefore);
    }
  });

  it('places UMAP window vectors by their nearest all-years codes; an exact match takes that position', () => {
    const reference = Float32Array.from([0, 0, 1, 0, 0, 1, 5, 5]);
    const positions = Float32Array.from([0, 0, 0, 10, 0, 0, 0, 10, 0, 9, 9, 9]);
    const placed = placeByNearest(reference, positions, 4, 2, Float32Array.from([1, 0, 0.5, 0]), 2, 2);
    expect(Array.from(placed.subarray(0, 3))).toEqual([10, 0, 0]);
    // Halfway between rows 0 and 1: equal weights.
    expect(Array.from(placed.subarray(3, 6))).toEqual([5, 0, 0]);
  });
});

