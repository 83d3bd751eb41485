/**
 * Vectors shipped with the bundled demo corpus (public/demo/vectors/), made by
 * models/recipes/demo-vectors.ts with the app's own encoder code on the bundled model, so a first
 * visit need not embed 1,000 patents before it can show anything. They are only ever used for the
 * bundled demo dataset with the bundled model, and only after a random sample of them has been
 * recomputed in the browser and found equal (src/engines/dataset-embedder.ts). No transformers.js
 * import here: this file is shared by the generator, the worker and the tests.
 */
import type { CodeLevel, Patent } from '../core/types';
import { CodeStateSums, type CodeVectors } from './techtoken';

export const SHIPPED_VECTORS_FORMAT = 1;
/** Rows recomputed in the browser before shipped vectors are trusted. */
export const SHIPPED_SAMPLE_SIZE = 32;
/** fp32 on the same graph agrees to ~1e-6 across ONNX Runtime builds; anything lower is another model or text. */
export const SHIPPED_MIN_COSINE = 0.999;

export interface ShippedVectorsManifest {
  format: typeof SHIPPED_VECTORS_FORMAT;
  /** The model reference the vectors belong to, e.g. `bundled:ps-techtoken-tiny`. */
  model: string;
  dtype: string;
  /** sha256 of the model's files (from its manifest.json) when the vectors were made. */
  modelFiles: Record<string, string>;
  corpus: { file: string; patents: number; fingerprint: string };
  dim: number;
  /** File name, next to this manifest, of the little-endian float32 rows. */
  binary: string;
  /** Patent ids of the first rows (mean-pooled, L2-normalised patent vectors), in id order. */
  patentIds: string[];
  /**
   * Then one row per (patent, code token): the hidden state at the code's token, unaveraged, so
   * the browser averages them into TechToken code vectors itself. Null for models without code tokens.
   */
  codeStates: { level: CodeLevel; patents: number[]; codes: string[] } | null;
  generatedWith: string;
  backend: string;
}

export interface ShippedVectors {
  manifest: ShippedVectorsManifest;
  /** patentIds.length × dim. */
  patentVectors: Float32Array;
  /** codeStates rows × dim (empty without code states). */
  codeStates: Float32Array;
}

/** The files of the bundled model whose bytes decide the vectors. */
export const VECTOR_MODEL_FILES = ['onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json'];

/**
 * sha256 over what the vectors depend on: each patent's id, title, abstract and codes, in the
 * order given (callers pass id order, the store's order). A different or re-generated corpus
 * gives a different fingerprint, and the shipped vectors are not used.
 */
export async function corpusFingerprint(patents: Pick<Patent, 'id' | 'title' | 'abstract' | 'codes'>[]): Promise<string> {
  const text = JSON.stringify(patents.map((p) => [p.id, p.title, p.abstract ?? null, p.codes]));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Splits the binary into its two row blocks, refusing a file of the wrong size. */
export function readShippedVectors(manifest: ShippedVectorsManifest, buffer: ArrayBuffer): ShippedVectors {
  if (manifest.format !== SHIPPED_VECTORS_FORMAT) throw new Error(`shipped vectors have format ${String(manifest.format)}, this app reads ${SHIPPED_VECTORS_FORMAT}`);
  const patentRows = manifest.patentIds.length;
  const stateRows = manifest.codeStates?.codes.length ?? 0;
  if (manifest.codeStates && manifest.codeStates.patents.length !== stateRows) throw new Error('shipped code states list patents and codes of different lengths');
  const expected = (patentRows + stateRows) * manifest.dim * 4;
  if (buffer.byteLength !== expected) throw new Error(`${manifest.binary} has ${buffer.byteLength} bytes, its manifest describes ${expected}`);
  const all = new Float32Array(buffer);
  return {
    manifest,
    patentVectors: all.subarray(0, patentRows * manifest.dim),
    codeStates: all.subarray(patentRows * manifest.dim),
  };
}

/** Why the model loaded here is not the one the vectors were made with, or null when it is. */
export function modelMismatch(manifest: ShippedVectorsManifest, model: { modelId: string; dtype: string; files?: Record<string, { sha256: string }> }): string | null {
  if (model.modelId !== manifest.model || model.dtype !== manifest.dtype) {
    return `they were made with ${manifest.model} (${manifest.dtype}), the encoder here is ${model.modelId} (${model.dtype})`;
  }
  for (const file of VECTOR_MODEL_FILES) {
    const expected = manifest.modelFiles[file];
    const actual = model.files?.[file]?.sha256;
    if (expected && actual !== expected) return `the model's ${file} changed since they were made`;
  }
  return null;
}

/** `count` distinct indices below `n`, drawn with `random` (Math.random in the app: a new sample each visit). */
export function sampleIndices(n: number, count: number, random: () => number = Math.random): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const take = Math.min(n, count);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take).sort((a, b) => a - b);
}

/** Cosine of row `i` of `a` and row `j` of `b` (rows of length dim). */
export function rowCosine(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dim; d++) {
    const x = a[i * dim + d];
    const y = b[j * dim + d];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The shipped patent vectors in the order of `patents` (the store's), whatever order they were shipped in. */
export function patentRowsInOrder(shipped: ShippedVectors, patents: Pick<Patent, 'id'>[]): Float32Array {
  const { dim, patentIds } = shipped.manifest;
  const row = new Map(patentIds.map((id, i) => [id, i]));
  const out = new Float32Array(patents.length * dim);
  patents.forEach((p, i) => {
    const r = row.get(p.id);
    if (r === undefined) throw new Error(`patent ${p.id} has no shipped vector`);
    out.set(shipped.patentVectors.subarray(r * dim, (r + 1) * dim), i * dim);
  });
  return out;
}

/** TechToken code vectors averaged here from the shipped per-patent code states. */
export function shippedCodeVectors(shipped: ShippedVectors): CodeVectors {
  const { dim, codeStates } = shipped.manifest;
  const sums = new CodeStateSums(codeStates?.codes ?? [], dim);
  codeStates?.codes.forEach((code, r) => sums.add(code, shipped.codeStates, r * dim));
  return sums.means();
}
