/**
 * Orthogonal Procrustes (Schönemann 1966) to put embedding windows in one frame. Embeddings trained
 * or pooled per time window are only defined up to rotation, so code vectors of successive windows
 * are comparable only after the rotation R minimising |S·R − T|_F over the codes both windows
 * share: with Sᵀ·T = U·Σ·Vᵀ, R = U·Vᵀ. An orthogonal map keeps every cosine within a window.
 */
import { jacobiSvd, multiply, transpose } from './linalg';

/** Vectors of one time window, one row per code. */
export interface EmbeddingWindow {
  codes: readonly string[];
  dim: number;
  vectors: Float32Array;
}

export interface Alignment {
  /** dim×dim orthogonal matrix; aligned = source · rotation. */
  rotation: Float64Array;
  /** The source window's vectors after rotation, rows as in the source. */
  aligned: Float32Array;
  /** Codes the fit used (present in both). */
  shared: number;
  /** Root-mean-square distance over the shared codes, before and after rotation. */
  rmsBefore: number;
  rmsAfter: number;
}

/** R (dim×dim, orthogonal) minimising |source·R − target|_F for two rows×dim matrices. */
export function orthogonalProcrustes(source: ArrayLike<number>, target: ArrayLike<number>, rows: number, dim: number): Float64Array {
  const cross = multiply(transpose(source, rows, dim), target, dim, rows, dim);
  const { u, v } = jacobiSvd(cross, dim, dim);
  return multiply(u, transpose(v, dim, dim), dim, dim, dim);
}

/** rows×dim · dim×dim, as Float32 like the embeddings it rotates. */
export function applyRotation(vectors: ArrayLike<number>, rows: number, dim: number, rotation: Float64Array): Float32Array {
  return Float32Array.from(multiply(vectors, rotation, rows, dim, dim));
}

/** Aligns `source` onto `target` by their shared codes; with none shared the rotation is the identity. */
export function alignWindow(source: EmbeddingWindow, target: EmbeddingWindow): Alignment {
  const targetRows = new Map<string, number>();
  target.codes.forEach((code, row) => targetRows.set(code, row));
  return alignToReference(source, (code) => {
    const row = targetRows.get(code);
    return row === undefined ? undefined : target.vectors.subarray(row * target.dim, (row + 1) * target.dim);
  });
}

export interface AlignedChain {
  /** The windows in the first one's frame (the first unchanged). */
  windows: EmbeddingWindow[];
  /** alignments[i] maps windows[i] into that frame; alignments[0] is the identity. */
  alignments: Alignment[];
}

/**
 * Aligns successive windows onto the first. Each window is fitted to a running reference holding
 * every code's most recent aligned vector, so a code absent from the previous window but present
 * earlier still anchors the fit, and drift is followed step by step instead of compared with a
 * frame decades away.
 */
export function alignChain(windows: readonly EmbeddingWindow[]): AlignedChain {
  const reference = new Map<string, Float32Array>();
  const alignedWindows: EmbeddingWindow[] = [];
  const alignments: Alignment[] = [];
  windows.forEach((window, index) => {
    if (index > 0 && window.dim !== windows[0].dim) throw new RangeError('all windows must share one dimension');
    const alignment = index === 0 ? identityAlignment(window) : alignToReference(window, (code) => reference.get(code));
    const aligned: EmbeddingWindow = { codes: window.codes, dim: window.dim, vectors: alignment.aligned };
    window.codes.forEach((code, row) => reference.set(code, aligned.vectors.slice(row * window.dim, (row + 1) * window.dim)));
    alignedWindows.push(aligned);
    alignments.push(alignment);
  });
  return { windows: alignedWindows, alignments };
}

function alignToReference(source: EmbeddingWindow, lookup: (code: string) => ArrayLike<number> | undefined): Alignment {
  const { dim } = source;
  if (source.vectors.length !== source.codes.length * dim) throw new RangeError('vectors must hold codes × dim values');
  const sourceRows: number[] = [];
  const targets: ArrayLike<number>[] = [];
  source.codes.forEach((code, row) => {
    const target = lookup(code);
    if (target) {
      sourceRows.push(row);
      targets.push(target);
    }
  });
  if (sourceRows.length === 0) return identityAlignment(source);
  const shared = sourceRows.length;
  const s = new Float64Array(shared * dim);
  const t = new Float64Array(shared * dim);
  sourceRows.forEach((row, i) => {
    for (let d = 0; d < dim; d++) {
      s[i * dim + d] = source.vectors[row * dim + d];
      t[i * dim + d] = targets[i][d];
    }
  });
  const rotation = orthogonalProcrustes(s, t, shared, dim);
  return {
    rotation,
    aligned: applyRotation(source.vectors, source.codes.length, dim, rotation),
    shared,
    rmsBefore: rmsDistance(s, t, shared, dim),
    rmsAfter: rmsDistance(multiply(s, rotation, shared, dim, dim), t, shared, dim),
  };
}

function identityAlignment(window: EmbeddingWindow): Alignment {
  const rotation = new Float64Array(window.dim * window.dim);
  for (let d = 0; d < window.dim; d++) rotation[d * window.dim + d] = 1;
  return { rotation, aligned: window.vectors.slice(), shared: 0, rmsBefore: 0, rmsAfter: 0 };
}

function rmsDistance(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < rows * dim; i++) sum += (a[i] - b[i]) ** 2;
  return rows > 0 ? Math.sqrt(sum / rows) : 0;
}
