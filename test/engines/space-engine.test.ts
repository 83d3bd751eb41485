import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { orthonormalizeColumns } from '../../src/core/layout/linalg';
import { pca, projectOnto } from '../../src/core/layout/pca';
import type { EmbeddingWindow } from '../../src/core/layout/procrustes';
import { yearWindows } from '../../src/core/layout/sliding-windows';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { similarityTopK } from '../../src/core/similarity';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { gpuSimilarityTopK } from '../../src/gpu/similarity-gpu';
import {
  alignWindowsToReference, computeSpace, DEFAULT_SPACE_SETTINGS, placeByNearest, windowCodeVectors,
  type NeighbourSearch, type SpaceInput, type SpaceLayout, type SpaceSettings,
} from '../../src/core/layout/space';
import { SpaceEngine } from '../../src/engines/space-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { loadDemoVectors, type DemoVectors } from '../core/layout/demo-vectors';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';
import { expectTopKEquivalent, nextScoresOf, withDevice } from '../gpu/gpu-harness';

const cpuSearch: NeighbourSearch = async (v, n, dim, k) => ({ topK: similarityTopK(v, n, dim, k, true), backend: { kind: 'cpu' } });

let demo: DemoVectors;
let input: SpaceInput;
beforeAll(() => {
  demo = loadDemoVectors();
  input = { patents: demo.patents, vectors: demo.vectors, dim: demo.dim, level: 'subclass' };
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

describe('technology space neighbours on the GPU', () => {
  it('equal the CPU twin on the demo code vectors', withDevice(async ({ device }) => {
    const gpuSearch: NeighbourSearch = async (v, n, dim, k) => ({
      topK: await gpuSimilarityTopK(device, v, n, dim, k, { excludeSelf: true }), backend: { kind: 'webgpu' },
    });
    const settings = { ...DEFAULT_SPACE_SETTINGS, projection: 'pca' as const };
    const gpu = await computeSpace(input, settings, gpuSearch);
    const cpu = await computeSpace(input, settings, cpuSearch);
    const all = meanOfPatentVectors(demo.patents, demo.vectors, demo.dim, 'subclass');
    const nextScores = nextScoresOf(similarityTopK(all.vectors, all.codes.length, demo.dim, settings.k + 1, true));
    expect(gpu.backend.kind).toBe('webgpu');
    expectTopKEquivalent(gpu.neighbours, cpu.neighbours, { scoreTolerance: 1e-5, nextScores });
  }));
});

describe('SpaceEngine over a stored dataset', () => {
  afterEach(() => vi.unstubAllGlobals());

  async function storeDemo(): Promise<string> {
    useFreshIndexedDb();
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [{ name: 'patents.jsonl', bytes: 1 }] });
    await store.putPatents(dataset.id, demo.patents);
    await store.finishImport(dataset.id, makeReport(demo.patents.length), countCodes(demo.patents));
    const stored = await store.getPatents(dataset.id);
    const rowOf = new Map(demo.patents.map((p, i) => [p.id, i]));
    const vectors = new Float32Array(stored.length * demo.dim);
    stored.forEach((p, r) => {
      const i = rowOf.get(p.id) as number;
      vectors.set(demo.vectors.subarray(i * demo.dim, (i + 1) * demo.dim), r * demo.dim);
    });
    await store.putEmbeddings(dataset.id, 'tfidf', stored.map((p) => p.id), vectors, demo.dim);
    store.close();
    return dataset.id;
  }

  it('lays out stored vectors, caches the result per settings, says when there are no embeddings, and finds patents of codes', async () => {
    const datasetId = await storeDemo();
    const engine = new SpaceEngine();
    await engine.init({ preferGpu: false });
    const settings = { ...DEFAULT_SPACE_SETTINGS, projection: 'pca' as const };
    const progress: string[] = [];
    const first = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings }, (p) => progress.push(`${p.stage} ${p.unit}`));
    if (first.kind !== 'layout') throw new Error('expected a layout');
    expect(first.fromCache).toBe(false);
    expect(first.layout.backend).toEqual({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    expect(progress).toContain('layout patents');
    const direct: SpaceLayout = await computeSpace(input, settings, cpuSearch);
    // Same codes and neighbours as the core on the same vectors (the store sorts patents by id, so
    // the float sums run in another order: positions agree to rounding).
    expect(first.layout.codes).toEqual(direct.codes);
    expect(Array.from(first.layout.neighbours.indices)).toEqual(Array.from(direct.neighbours.indices));
    const again = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings });
    if (again.kind !== 'layout') throw new Error('expected a layout');
    expect(again.fromCache).toBe(true);
    expect(Array.from(again.layout.positions)).toEqual(Array.from(first.layout.positions));
    const other = await engine.layout(datasetId, 'tfidf', { level: 'subclass', settings: { ...settings, seed: 9 } });
    expect(other.kind === 'layout' && other.fromCache).toBe(false);
    await expect(engine.layout(datasetId, 'no-such-model', { level: 'subclass', settings })).resolves.toEqual({
      kind: 'no-embeddings', modelId: 'no-such-model', patents: 1000, missing: 1000,
      message: 'No vectors of this dataset with no-such-model: embed it first.',
    });
    const code = first.layout.codes[0];
    const ids = await engine.patentIdsOfCodes(datasetId, 'subclass', [code]);
    expect(ids).toHaveLength(first.layout.counts[0]);
    await engine.destroy();
  });

  it('can be cancelled', async () => {
    const datasetId = await storeDemo();
    const engine = new SpaceEngine();
    await engine.init({ preferGpu: false });
    const controller = new AbortController();
    const running = engine.layout(datasetId, 'tfidf', { level: 'subclass', settings: DEFAULT_SPACE_SETTINGS, signal: controller.signal, useCache: false },
      (p) => { if (p.unit === 'epochs' && p.done > 10) controller.abort(); });
    await expect(running).rejects.toThrow(/cancelled/);
    await engine.destroy();
  });
});
