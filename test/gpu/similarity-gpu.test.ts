import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { cosineBlock, normalizeRows, similarityTopK } from '../../src/core/similarity';
import { dispatchGrid1D } from '../../src/gpu/pipelines';
import { gpuChunkRows, gpuCosineMatrix, gpuSimilarityTopK } from '../../src/gpu/similarity-gpu';
import { expectTopKEquivalent, maxAbsDiff, nextScoresOf, withDevice } from './gpu-harness';

/** f32 cosine of unit vectors against the CPU's f64-accumulated one; see cosine-tile.test.ts. */
const TOLERANCE = 1e-4;
const BYTES_PER_F32 = 4;

function vectorsWithZeroRows(seed: number, n: number, dim: number): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), n, dim);
  // Rows 2, 9, 16, … are zero: their scores are exactly 0 on both sides.
  for (let r = 2; r < n; r += 7) x.fill(0, r * dim, (r + 1) * dim);
  return x;
}

describe('gpuSimilarityTopK vs similarityTopK', () => {
  it.for([
    [1, 5, 1],
    [3, 1, 2],
    [3, 5, 10],
    [37, 384, 10],
    [130, 5, 32],
    [130, 384, 7],
  ])('n=%i, dim=%i, k=%i, with zero rows', ([n, dim, k], ctx) =>
    withDevice(async ({ device }) => {
      const vectors = vectorsWithZeroRows(n * 13 + dim, n, dim);
      for (const excludeSelf of [true, false]) {
        const actual = await gpuSimilarityTopK(device, vectors, n, dim, k, { excludeSelf });
        const expected = similarityTopK(vectors, n, dim, k, excludeSelf);
        const nextScores = nextScoresOf(similarityTopK(vectors, n, dim, k + 1, excludeSelf));
        expectTopKEquivalent(actual, expected, { scoreTolerance: TOLERANCE, nextScores });
      }
    })(ctx),
  );

  it(
    "ranks a zero row's neighbours (all exactly 0) by index, like the CPU",
    withDevice(async ({ device }) => {
      const n = 20;
      const vectors = vectorsWithZeroRows(5, n, 6);
      const actual = await gpuSimilarityTopK(device, vectors, n, 6, 4, { excludeSelf: true });
      // Row 2 is zero: its best four are columns 0, 1, 3, 4 at score 0.
      expect(Array.from(actual.indices.subarray(8, 12))).toEqual([0, 1, 3, 4]);
      expect(Array.from(actual.scores.subarray(8, 12))).toEqual([0, 0, 0, 0]);
    }),
  );

  it(
    'gives the same result in many small chunks, reporting rising progress up to n',
    withDevice(async ({ device }) => {
      const n = 130;
      const dim = 37;
      const k = 9;
      const vectors = vectorsWithZeroRows(77, n, dim);
      const whole = await gpuSimilarityTopK(device, vectors, n, dim, k, { excludeSelf: true });
      const progress: Array<[number, number]> = [];
      const rowsPerChunk = 7;
      const chunked = await gpuSimilarityTopK(device, vectors, n, dim, k, {
        excludeSelf: true,
        maxChunkBytes: rowsPerChunk * n * BYTES_PER_F32,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(chunked).toEqual(whole);
      expect(progress.length).toBe(Math.ceil(n / rowsPerChunk));
      expect(progress.map(([done]) => done)).toEqual(
        progress.map((_, i) => Math.min((i + 1) * rowsPerChunk, n)),
      );
      expect(progress.every(([, total]) => total === n)).toBe(true);
      const expected = similarityTopK(vectors, n, dim, k, true);
      expectTopKEquivalent(chunked, expected, {
        nextScores: nextScoresOf(similarityTopK(vectors, n, dim, k + 1, true)),
      });
    }),
  );

  it(
    'returns the same neighbours on repeated calls',
    withDevice(async ({ device }) => {
      const vectors = vectorsWithZeroRows(3, 50, 16);
      const first = await gpuSimilarityTopK(device, vectors, 50, 16, 5, { excludeSelf: true });
      const second = await gpuSimilarityTopK(device, vectors, 50, 16, 5, { excludeSelf: true });
      expect(second).toEqual(first);
    }),
  );

  it(
    'handles k = 0 and n = 0 without GPU work',
    withDevice(async ({ device }) => {
      const none = await gpuSimilarityTopK(device, new Float32Array(0), 0, 8, 5, { excludeSelf: true });
      expect(none).toEqual({ k: 5, rows: 0, indices: new Int32Array(0), scores: new Float32Array(0) });
      const zeroK = await gpuSimilarityTopK(device, new Float32Array(8), 2, 4, 0, { excludeSelf: true });
      expect(zeroK.indices.length).toBe(0);
    }),
  );

  it(
    'rejects k above MAX_K and a shape mismatch with RangeError',
    withDevice(async ({ device }) => {
      const vectors = new Float32Array(40 * 4);
      await expect(gpuSimilarityTopK(device, vectors, 40, 4, 33, { excludeSelf: true })).rejects.toThrow(RangeError);
      await expect(gpuSimilarityTopK(device, vectors, 40, 4, 33, { excludeSelf: true })).rejects.toThrow(/0 to 32/);
      await expect(gpuSimilarityTopK(device, vectors, 41, 4, 3, { excludeSelf: true })).rejects.toThrow(/160 values but 41×4/);
    }),
  );

  it(
    'rejects with AbortError before any work when the signal is already aborted',
    withDevice(async ({ device }) => {
      const controller = new AbortController();
      controller.abort();
      const vectors = vectorsWithZeroRows(1, 10, 4);
      await expect(
        gpuSimilarityTopK(device, vectors, 10, 4, 3, { excludeSelf: true, signal: controller.signal }),
      ).rejects.toMatchObject({ name: 'AbortError' });
    }),
  );

  it(
    'stops between chunks when aborted mid-way, freeing its buffers',
    withDevice(async ({ device }) => {
      const n = 64;
      const controller = new AbortController();
      const progress: number[] = [];
      const vectors = vectorsWithZeroRows(2, n, 8);
      const run = gpuSimilarityTopK(device, vectors, n, 8, 3, {
        excludeSelf: true,
        signal: controller.signal,
        maxChunkBytes: 4 * n * BYTES_PER_F32,
        onProgress: (done) => {
          progress.push(done);
          if (done >= 8) controller.abort();
        },
      });
      const error: unknown = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toMatchObject({ name: 'AbortError', message: 'Aborted' });
      expect(progress).toEqual([4, 8]);
      // The harness fails this test if any buffer the call created is still alive.
    }),
  );
});

describe('gpuCosineMatrix vs cosineBlock', () => {
  it.for([
    [1, 1, 1, undefined],
    [37, 130, 384, undefined],
    [37, 130, 384, 5 * 130 * BYTES_PER_F32],
    [130, 3, 5, 1],
  ] as const)('%i×%i rows of dim %i, chunk cap %s bytes', ([aRows, bRows, dim, maxChunkBytes], ctx) =>
    withDevice(async ({ device }) => {
      const rng = mulberry32(aRows + bRows + dim);
      const a = normalizeRows(randomNormalMatrix(rng, aRows, dim), aRows, dim);
      const b = normalizeRows(randomNormalMatrix(rng, bRows, dim), bRows, dim);
      const actual = await gpuCosineMatrix(device, a, aRows, b, bRows, dim, { maxChunkBytes });
      expect(actual.length).toBe(aRows * bRows);
      expect(maxAbsDiff(actual, cosineBlock(a, aRows, b, bRows, dim))).toBeLessThanOrEqual(TOLERANCE);
    })(ctx),
  );

  it(
    'returns an empty matrix for empty inputs',
    withDevice(async ({ device }) => {
      expect((await gpuCosineMatrix(device, new Float32Array(0), 0, new Float32Array(6), 2, 3)).length).toBe(0);
    }),
  );
});

describe('chunk and dispatch planning', () => {
  const limits = {
    maxStorageBufferBindingSize: 1 << 30,
    maxBufferSize: 1 << 30,
    maxComputeWorkgroupsPerDimension: 65535,
  };

  it('keeps a block of scores under every cap, in whole 32-row tiles', () => {
    expect(gpuChunkRows(2000, 2000, limits)).toBe(2000);
    expect(gpuChunkRows(100_000, 100_000, limits)).toBe(160); // 64 MiB / 400 kB = 167 → 160
    expect(gpuChunkRows(100_000, 100_000, { ...limits, maxBufferSize: 8 << 20 })).toBe(20);
    expect(gpuChunkRows(130, 130, limits, 7 * 130 * 4)).toBe(7);
    expect(gpuChunkRows(130, 130, limits, 1)).toBe(1);
    expect(() => gpuChunkRows(10, 1 << 29, limits)).toThrow(RangeError);
  });

  it('wraps large 1-D dispatches into y', () => {
    expect(dispatchGrid1D(10, 65535)).toEqual([10, 1]);
    expect(dispatchGrid1D(65536, 65535)).toEqual([65535, 2]);
    expect(() => dispatchGrid1D(65535 * 65535 + 1, 65535)).toThrow(RangeError);
  });
});

describe('withDevice harness', () => {
  it.fails(
    'fails a test that causes a validation error',
    withDevice(async ({ device }) => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.dispatchWorkgroups(1); // No pipeline set: invalid.
      pass.end();
      device.queue.submit([encoder.finish()]);
    }),
  );

  it.fails(
    'fails a test that leaves a buffer alive',
    withDevice(async ({ device }) => {
      device.createBuffer({ label: 'leaked on purpose', size: 16, usage: GPUBufferUsage.STORAGE });
    }),
  );
});
