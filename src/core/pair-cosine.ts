/**
 * Dot products of index pairs of rows: the cosines of those pairs when the rows are unit vectors
 * (normalizeRows). CPU twin of shaders/pair_cosine.wgsl; the GPU runner gpuPairCosines
 * (src/gpu/forecast-cosine.ts) takes the same arguments after the device, so callers switch by
 * backend only.
 */
import { assertMatrix } from './similarity';

/** Scores of (rows[first[p]], rows[second[p]]) for every p, in pair order. */
export type PairCosineFn = (
  rows: Float32Array,
  rowCount: number,
  dim: number,
  first: Uint32Array,
  second: Uint32Array,
) => Float32Array | Promise<Float32Array>;

/** Throws a RangeError naming the first pair whose index is not a row of a rowCount-row matrix. */
export function assertPairs(first: Uint32Array, second: Uint32Array, rowCount: number): void {
  if (first.length !== second.length) {
    throw new RangeError(`pair lists differ in length: ${first.length} first, ${second.length} second`);
  }
  for (let p = 0; p < first.length; p++) {
    if (first[p] >= rowCount || second[p] >= rowCount) {
      throw new RangeError(`pair ${p} (${first[p]}, ${second[p]}) is outside the ${rowCount} rows`);
    }
  }
}

/**
 * Accumulates in f64 in dimension order and rounds once to f32, as cosineBlock does, so a pair
 * scores bit for bit what the dense block twin gives it.
 */
export function pairCosines(rows: Float32Array, rowCount: number, dim: number, first: Uint32Array, second: Uint32Array): Float32Array {
  assertMatrix('rows', rows, rowCount, dim);
  assertPairs(first, second, rowCount);
  const out = new Float32Array(first.length);
  for (let p = 0; p < first.length; p++) {
    const a = first[p] * dim;
    const b = second[p] * dim;
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += rows[a + d] * rows[b + d];
    out[p] = sum;
  }
  return out;
}
