/**
 * The 3D technology space, pure maths: one point per code at the dataset's level, and each
 * code's path over sliding year windows. The engine (src/engines/space-engine.ts) reads the
 * store and runs this in the compute worker; Node tests run it directly.
 *
 * 1. Code vectors of all years: the mean of their patents' stored vectors (meanOfPatentVectors).
 * 2. A seeded PCA of those vectors to ALIGN_DIMS (32) axes is the common frame. The 3D layout is
 *    either its first three axes (PCA) or a seeded 3D UMAP of the full code vectors.
 * 3. Per year window (yearWindows), code vectors from that window's patents only (codes with at
 *    least `minPatents` patents there), put on the same 32 axes (projectOnto), then aligned by an
 *    orthogonal Procrustes chain whose first member is the all-years frame (alignChain), so every
 *    window is rotated onto the reference through the codes it shares with the windows before it.
 *    The alignment runs in 32 dimensions because a Jacobi SVD of the full 384-d cross product
 *    takes seconds per window (docs/layout.md).
 * 4. Each aligned window vector gets 3D coordinates by the same projection: for PCA its first three
 *    coordinates; for UMAP (which has no out-of-sample transform) the inverse-square-distance
 *    weighted mean of the 3D positions of its NEIGHBOURS_FOR_PLACEMENT (5) nearest all-years code
 *    vectors in the aligned 32-d frame (ties by row, an exact match takes that code's position).
 *    Deterministic: no random numbers besides the UMAP seed.
 * 5. Frames → trajectories (buildTrajectories, centred moving average of `smoothing` frames).
 * 6. Each code's k nearest codes by cosine of the all-years vectors on the WebGPU kernels
 *    (src/engines/similarity-engine.ts; CPU twin without an adapter or when the GPU fails).
 */
import { throwIfAborted } from '../abort';
import type { SimilarityBackend } from '../backend';
import { meanOfPatentVectors } from '../code-vectors';
import { codeAt } from '../codes';
import type { NoEmbeddings } from '../outcomes';
import type { ProgressCallback } from '../progress';
import { sectionOf } from '../sections';
import type { TopK } from '../similarity';
import type { CodeLevel, Patent } from '../types';
import { alignChain, type EmbeddingWindow } from './procrustes';
import { pca, projectOnto } from './pca';
import { yearRange, yearWindows, type YearWindow } from './sliding-windows';
import { buildTrajectories, type LayoutFrame } from './trajectories';
import { umap } from './umap';

export type SpaceProjection = 'pca' | 'umap';

export interface SpaceSettings {
  projection: SpaceProjection;
  /** Seeds the PCA's randomized axes and the UMAP. */
  seed: number;
  /** Year windows: `windowSize` years every `windowStep` years. */
  windowSize: number;
  windowStep: number;
  /** A code counts as present in a window with at least this many of its patents there. */
  minPatents: number;
  /** Centred moving average over ±smoothing frames (0: raw positions). */
  smoothing: number;
  /** Nearest codes kept per code. */
  k: number;
}

export const DEFAULT_SPACE_SETTINGS: SpaceSettings = {
  projection: 'umap', seed: 42, windowSize: 5, windowStep: 3, minPatents: 2, smoothing: 1, k: 8,
};

export const ALIGN_DIMS = 32;
export const NEIGHBOURS_FOR_PLACEMENT = 5;

export interface WindowAlignmentReport {
  label: string;
  patents: number;
  codes: number;
  /** Codes shared with the running reference, and the RMS distance to it before and after rotation. */
  shared: number;
  rmsBefore: number;
  rmsAfter: number;
}

export interface SpaceLayout {
  level: CodeLevel;
  settings: SpaceSettings;
  /** Sorted codes; every array below follows this order. */
  codes: string[];
  /** Patents per code (all years). */
  counts: number[];
  /** IPC/CPC section: the code's first letter. */
  sections: string[];
  /** codes × 3: the all-years layout. */
  positions: Float32Array;
  windows: YearWindow[];
  /** codes × windows × 3: smoothed trajectories in the all-years frame. */
  trajectories: Float32Array;
  /** codes × windows: 1 where the code was present in the window, 0 where filled in. */
  observed: Uint8Array;
  /** Each code's k nearest codes (row indices) and cosine similarities, codes × k. */
  neighbours: TopK;
  backend: SimilarityBackend;
  alignment: WindowAlignmentReport[];
  /** Share of the all-years variance on the PCA axes used (3 for PCA, 32 for the alignment frame). */
  explainedVariance: { view: number; frame: number };
  umapKnn?: string;
  timingsMs: Record<'vectors' | 'projection' | 'windows' | 'neighbours' | 'total', number>;
}

export interface SpaceResult {
  kind: 'layout';
  layout: SpaceLayout;
  modelId: string;
  patents: number;
  fromCache: boolean;
  /** Milliseconds reading patents and vectors from IndexedDB (0 from the cache). */
  readMs: number;
}

export type SpaceOutcome = SpaceResult | NoEmbeddings;

export type NeighbourSearch = (vectors: Float32Array, n: number, dim: number, k: number, signal: AbortSignal | undefined) =>
  Promise<{ topK: TopK; backend: SimilarityBackend }>;

export interface SpaceInput {
  patents: readonly Pick<Patent, 'codes' | 'year'>[];
  /** patents × dim, rows as `patents`. */
  vectors: Float32Array;
  dim: number;
  level: CodeLevel;
}

/** Code vectors (mean of patents) of the patents in each window, with patent counts per window. */
export function windowCodeVectors(input: SpaceInput, windows: readonly YearWindow[], minPatents: number): { window: EmbeddingWindow; patents: number }[] {
  const { patents, vectors, dim, level } = input;
  return windows.map((w) => {
    const rows: number[] = [];
    patents.forEach((p, i) => { if (p.year >= w.start && p.year <= w.end) rows.push(i); });
    const windowVectors = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => windowVectors.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
    const codeVectors = meanOfPatentVectors(rows.map((r) => patents[r]), windowVectors, dim, level);
    const kept: number[] = [];
    codeVectors.counts.forEach((count, r) => { if (count >= minPatents) kept.push(r); });
    const out = new Float32Array(kept.length * dim);
    kept.forEach((r, i) => out.set(codeVectors.vectors.subarray(r * dim, (r + 1) * dim), i * dim));
    return { window: { codes: kept.map((r) => codeVectors.codes[r]), dim, vectors: out }, patents: rows.length };
  });
}

/**
 * Aligns windows onto a reference frame by a Procrustes chain that starts at the reference:
 * window 1 is fitted to the reference, each later one to every code's latest aligned vector.
 */
export function alignWindowsToReference(reference: EmbeddingWindow, windows: readonly EmbeddingWindow[]) {
  const chain = alignChain([reference, ...windows]);
  return { windows: chain.windows.slice(1), alignments: chain.alignments.slice(1) };
}

/**
 * Places query rows in a 3D layout fitted on reference rows (UMAP has no transform): the
 * inverse-square-distance weighted mean of the positions of the m nearest reference rows
 * (Euclidean, ties by row); a query equal to a reference row takes its position.
 */
export function placeByNearest(
  reference: ArrayLike<number>, referencePositions: ArrayLike<number>, n: number, dim: number,
  queries: ArrayLike<number>, queryCount: number, m = NEIGHBOURS_FOR_PLACEMENT,
): Float32Array {
  const out = new Float32Array(queryCount * 3);
  const take = Math.min(m, n);
  const distances = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let q = 0; q < queryCount; q++) {
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += (queries[q * dim + d] - reference[r * dim + d]) ** 2;
      distances[r] = sum;
    }
    order.sort((a, b) => distances[a] - distances[b] || a - b);
    if (take === 0) continue;
    if (distances[order[0]] < 1e-18) {
      for (let c = 0; c < 3; c++) out[q * 3 + c] = referencePositions[order[0] * 3 + c];
      continue;
    }
    let total = 0;
    const acc = [0, 0, 0];
    for (let j = 0; j < take; j++) {
      const w = 1 / distances[order[j]];
      total += w;
      for (let c = 0; c < 3; c++) acc[c] += w * referencePositions[order[j] * 3 + c];
    }
    for (let c = 0; c < 3; c++) out[q * 3 + c] = acc[c] / total;
  }
  return out;
}

/** The first three columns of rows × dim (zero-padded below 3). */
function firstThree(rows: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) for (let c = 0; c < Math.min(3, dim); c++) out[r * 3 + c] = rows[r * dim + c];
  return out;
}

/** The whole layout from patents and their vectors; pure except for the neighbour search passed in. */
export async function computeSpace(
  input: SpaceInput,
  settings: SpaceSettings,
  search: NeighbourSearch,
  task: { signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): Promise<SpaceLayout> {
  const { signal, onProgress } = task;
  const started = performance.now();
  const timings = { vectors: 0, projection: 0, windows: 0, neighbours: 0, total: 0 };
  const lap = (key: keyof typeof timings, since: number) => { timings[key] = performance.now() - since; return performance.now(); };
  let t = performance.now();

  const all = meanOfPatentVectors(input.patents, input.vectors, input.dim, input.level);
  const n = all.codes.length;
  const dim = input.dim;
  if (n === 0) throw new Error(`No codes at ${input.level.replace('_', ' ')} level in this dataset.`);
  t = lap('vectors', t);
  throwIfAborted(signal);

  // The common frame: the leading axes of the all-years code vectors.
  const frameDims = Math.max(1, Math.min(ALIGN_DIMS, dim));
  const frameModel = n >= 2 ? pca(all.vectors, n, dim, { components: frameDims, seed: settings.seed }) : null;
  const frame = frameModel ? frameModel.coordinates : new Float32Array(n * frameDims);
  const frameWidth = frameModel ? frameModel.components : frameDims;
  const sumOf = (values: Float64Array, count: number) => values.slice(0, count).reduce((s, v) => s + v, 0);
  const explainedVariance = frameModel && frameModel.totalVariance > 0
    ? { view: sumOf(frameModel.variances, 3) / frameModel.totalVariance, frame: sumOf(frameModel.variances, frameWidth) / frameModel.totalVariance }
    : { view: 0, frame: 0 };
  let positions: Float32Array;
  let umapKnn: string | undefined;
  if (settings.projection === 'umap' && n > 4) {
    const result = await umap(all.vectors, n, dim, { components: 3, seed: settings.seed },
      (p) => onProgress?.({ stage: 'layout', done: p.done, total: p.total, unit: p.unit === 'epochs' ? 'epochs' : 'rows' }), { signal });
    positions = result.coordinates;
    umapKnn = result.knn;
  } else {
    positions = firstThree(frame, n, frameWidth);
  }
  t = lap('projection', t);
  throwIfAborted(signal);

  // Windows → aligned frames → 3D.
  const range = yearRange(input.patents.map((p) => p.year));
  const windows = range ? yearWindows(range.first, range.last, { size: settings.windowSize, step: settings.windowStep }) : [];
  const perWindow = windowCodeVectors(input, windows, settings.minPatents);
  const totalPatents = perWindow.reduce((s, w) => s + w.patents, 0);
  const reduced: EmbeddingWindow[] = perWindow.map(({ window }) => ({
    codes: window.codes, dim: frameWidth,
    vectors: frameModel ? projectOnto(frameModel, window.vectors, window.codes.length) : new Float32Array(window.codes.length * frameWidth),
  }));
  const aligned = alignWindowsToReference({ codes: all.codes, dim: frameWidth, vectors: frame }, reduced);
  const frames: LayoutFrame[] = [];
  let done = 0;
  for (let w = 0; w < aligned.windows.length; w++) {
    throwIfAborted(signal);
    const win = aligned.windows[w];
    const count = win.codes.length;
    const coordinates = settings.projection === 'umap' && n > 4
      ? placeByNearest(frame, positions, n, frameWidth, win.vectors, count)
      : firstThree(win.vectors, count, frameWidth);
    frames.push({ codes: win.codes, components: 3, coordinates });
    done += perWindow[w].patents;
    onProgress?.({ stage: 'layout', done, total: totalPatents, unit: 'patents' });
    if (w % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const smoothing = settings.smoothing > 0 ? { kind: 'moving-average' as const, radius: settings.smoothing } : { kind: 'none' as const };
  const paths = new Map(buildTrajectories(frames, smoothing).map((tr) => [tr.code, tr]));
  const frameCount = windows.length;
  const trajectories = new Float32Array(n * frameCount * 3);
  const observed = new Uint8Array(n * frameCount);
  all.codes.forEach((code, i) => {
    const path = paths.get(code);
    for (let f = 0; f < frameCount; f++) {
      if (path) {
        trajectories.set(path.positions.subarray(f * 3, f * 3 + 3), (i * frameCount + f) * 3);
        observed[i * frameCount + f] = path.observed[f];
      } else {
        // Never present in any window (too few patents in each): held at the all-years position.
        trajectories.set(positions.subarray(i * 3, i * 3 + 3), (i * frameCount + f) * 3);
      }
    }
  });
  t = lap('windows', t);

  const k = Math.max(0, Math.min(settings.k, n - 1));
  const { topK, backend } = k > 0
    ? await search(all.vectors, n, dim, k, signal)
    : { topK: { k: 0, rows: n, indices: new Int32Array(0), scores: new Float32Array(0) }, backend: { kind: 'cpu' as const } };
  lap('neighbours', t);
  timings.total = performance.now() - started;

  return {
    level: input.level, settings: { ...settings },
    codes: all.codes, counts: Array.from(all.counts), sections: all.codes.map(sectionOf),
    positions, windows, trajectories, observed, neighbours: topK, backend,
    alignment: windows.map((w, i) => ({
      label: w.label, patents: perWindow[i].patents, codes: perWindow[i].window.codes.length,
      shared: aligned.alignments[i].shared, rmsBefore: aligned.alignments[i].rmsBefore, rmsAfter: aligned.alignments[i].rmsAfter,
    })),
    explainedVariance, umapKnn, timingsMs: timings,
  };
}

export function validSpaceSettings(settings: SpaceSettings): SpaceSettings {
  const int = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(Number.isFinite(value) ? value : min)));
  return {
    projection: settings.projection === 'pca' ? 'pca' : 'umap',
    seed: int(settings.seed, 0, 2 ** 31 - 1),
    windowSize: int(settings.windowSize, 1, 100),
    windowStep: int(settings.windowStep, 1, 100),
    minPatents: int(settings.minPatents, 1, 1000),
    smoothing: int(settings.smoothing, 0, 10),
    k: int(settings.k, 1, 50),
  };
}

