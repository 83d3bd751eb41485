/**
 * shaders/pair_cosine.wgsl (gpuPairCosines, one cosine per index pair, chunked) against its CPU
 * twin pairCosines (src/core/pair-cosine.ts), and the twin against the dense cosineBlock.
 */
import { describe, expect, it } from 'vitest';
import { pairCosines } from '../../src/core/pair-cosine';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { cosineBlock, normalizeRows } from '../../src/core/similarity';
import { DEFAULT_PAIRS_PER_CHUNK, gpuPairCosines, pairChunkSize } from '../../src/gpu/forecast-cosine';
import { maxAbsDiff, withDevice } from './gpu-harness';

/** f32 sums of vec4 dot products of unit rows against the twin's f64 sum: ~dim·2⁻²⁴ at worst. */
const TOLERANCE = 1e-6;

/** Unit rows (seeded) with rows 1, 8, 15, … zero. */
function unitRowsWithZeros(seed: number, rows: number, dim: number): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), rows, dim);
  for (let r = 1; r < rows; r += 7) x.fill(0, r * dim, (r + 1) * dim);
  return normalizeRows(x, rows, dim);
}

/** Every ordered pair (i, j) with i ≤ j, then some reversed: self pairs and both orders. */
function pairsOf(rows: number): { first: Uint32Array; second: Uint32Array } {
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = i; j < rows; j++) { first.push(i); second.push(j); }
  for (let i = 0; i < rows; i += 3) { first.push(rows - 1); second.push(i); }
  return { first: Uint32Array.from(first), second: Uint32Array.from(second) };
}

describe('pairCosines (CPU twin)', () => {
  it('scores every pair bit for bit as the dense cosineBlock does', () => {
    const rows = 37;
    const dim = 13;
    const x = unitRowsWithZeros(3, rows, dim);
    const { first, second } = pairsOf(rows);
    const dense = cosineBlock(x, rows, x, rows, dim);
    const scores = pairCosines(x, rows, dim, first, second);
    expect(Array.from(scores)).toEqual(Array.from(first, (i, p) => dense[i * rows + second[p]]));
    expect(scores[first.findIndex((i, p) => i === 1 && second[p] === 1)]).toBe(0);
  });

  it('rejects pairs outside the rows and lists of different lengths', () => {
    expect(() => pairCosines(new Float32Array(6), 3, 2, Uint32Array.of(0, 3), Uint32Array.of(1, 1))).toThrow(/pair 1 \(3, 1\) is outside the 3 rows/);
    expect(() => pairCosines(new Float32Array(6), 3, 2, Uint32Array.of(0), Uint32Array.of(1, 1))).toThrow(RangeError);
    expect(() => pairCosines(new Float32Array(5), 3, 2, Uint32Array.of(0), Uint32Array.of(1))).toThrow(/holds 5 values/);
  });
});

describe('gpuPairCosines vs pairCosines', () => {
  it.for([1, 3, 37, 130].flatMap((rows) => [1, 5, 384].map((dim) => [rows, dim])))(
    '%i rows of dim %i, zero rows, all pairs in both orders',
    ([rows, dim], ctx) => withDevice(async ({ device }) => {
      const x = unitRowsWithZeros(rows * 7 + dim, rows, dim);
      const { first, second } = pairsOf(rows);
      const actual = await gpuPairCosines(device, x, rows, dim, first, second);
      const expected = pairCosines(x, rows, dim, first, second);
      expect(actual.length).toBe(first.length);
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
      // Zero rows score exactly 0; a unit row scores ~1 with itself.
      if (rows > 1) expect(actual[first.findIndex((i, p) => i === 0 && second[p] === 1)]).toBe(0);
      if (rows > 1) expect(Math.abs(actual[0] - 1)).toBeLessThanOrEqual(TOLERANCE);
    })(ctx),
  );

  it('gives the same scores in many chunks, reporting rising progress, and reads back only the pairs', withDevice(async ({ device }) => {
    const rows = 130;
    const dim = 37;
    const x = unitRowsWithZeros(11, rows, dim);
    const { first, second } = pairsOf(rows);
    const whole = await gpuPairCosines(device, x, rows, dim, first, second);
    const readBack: number[] = [];
    const createBuffer = device.createBuffer;
    device.createBuffer = function recordReadBack(descriptor: GPUBufferDescriptor): GPUBuffer {
      if (descriptor.usage & GPUBufferUsage.MAP_READ) readBack.push(descriptor.size);
      return createBuffer.call(device, descriptor);
    };
    const progress: number[] = [];
    const chunk = 1000;
    let chunked: Float32Array;
    try {
      chunked = await gpuPairCosines(device, x, rows, dim, first, second, { maxPairsPerChunk: chunk, onProgress: (done) => progress.push(done) });
    } finally {
      device.createBuffer = createBuffer; // the harness's own buffer tracker
    }
    expect(Array.from(chunked)).toEqual(Array.from(whole));
    expect(progress).toEqual(Array.from({ length: Math.ceil(first.length / chunk) }, (_, i) => Math.min((i + 1) * chunk, first.length)));
    // One read-back buffer of one chunk's scores: never a block of the n×n matrix.
    expect(readBack).toEqual([chunk * 4]);
    expect(maxAbsDiff(chunked, pairCosines(x, rows, dim, first, second))).toBeLessThanOrEqual(TOLERANCE);
  }));

  it('handles no pairs without GPU work, and rejects bad pairs like the twin', withDevice(async ({ device }) => {
    expect((await gpuPairCosines(device, new Float32Array(8), 2, 4, new Uint32Array(0), new Uint32Array(0))).length).toBe(0);
    await expect(gpuPairCosines(device, new Float32Array(8), 2, 4, Uint32Array.of(2), Uint32Array.of(0))).rejects.toThrow(/outside the 2 rows/);
  }));

  it('stops between chunks when aborted, freeing its buffers', withDevice(async ({ device }) => {
    const rows = 40;
    const x = unitRowsWithZeros(5, rows, 8);
    const { first, second } = pairsOf(rows);
    const controller = new AbortController();
    const run = gpuPairCosines(device, x, rows, 8, first, second, {
      maxPairsPerChunk: 100, signal: controller.signal, onProgress: (done) => { if (done >= 200) controller.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  }));

  it('sizes chunks under the binding limit and the caller\'s cap', () => {
    const limits = { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 1 << 30 };
    expect(pairChunkSize(10, limits)).toBe(10);
    expect(pairChunkSize(1e9, limits)).toBe(DEFAULT_PAIRS_PER_CHUNK);
    expect(pairChunkSize(1e9, { ...limits, maxStorageBufferBindingSize: 4096 })).toBe(1024);
    expect(pairChunkSize(1e9, { ...limits, maxBufferSize: 4000 }, 7)).toBe(7);
    expect(pairChunkSize(0, limits)).toBe(1);
    expect(() => pairChunkSize(10, limits, 0)).toThrow(RangeError);
  });
});
