import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { cosineBlock, normalizeRows } from '../../src/core/similarity';
import { COSINE_TILE_EDGE, CosineTileKernel } from '../../src/gpu/kernels/cosine-tile';
import { maxAbsDiff, padRowsToVec4, withDevice, type GpuTestKit } from './gpu-harness';

/** f32 dot products of unit vectors: error grows ~√dim·2⁻²⁴; 1e-4 bounds it for dim ≤ 10⁴. */
const TOLERANCE = 1e-4;
/** Written into the score buffer beyond the block, to catch stores out of bounds. */
const SENTINEL = 12345;

function unitRows(seed: number, rows: number, dim: number, zeroEvery = 0): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), rows, dim);
  if (zeroEvery > 0) for (let r = 0; r < rows; r += zeroEvery) x.fill(0, r * dim, (r + 1) * dim);
  return normalizeRows(x, rows, dim);
}

async function gpuCosine(
  gpu: GpuTestKit,
  a: Float32Array,
  aRows: number,
  aRowOffset: number,
  blockRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
): Promise<Float32Array> {
  const paddedA = padRowsToVec4(a, aRows, dim);
  const paddedB = padRowsToVec4(b, bRows, dim);
  const outLength = blockRows * bRows;
  const scores = gpu.upload(new Float32Array(outLength + 64).fill(SENTINEL));
  const kernel = await CosineTileKernel.create(gpu.device);
  await gpu.run((encoder) =>
    kernel.encode(encoder, {
      a: gpu.upload(paddedA.data),
      b: gpu.upload(paddedB.data),
      scores,
      aRowOffset,
      aRows: blockRows,
      bRows,
      vec4sPerRow: paddedA.vec4sPerRow,
    }),
  );
  kernel.destroy();
  const all = await gpu.readF32(scores, outLength + 64);
  expect(all.subarray(outLength).every((v) => v === SENTINEL)).toBe(true);
  return all.subarray(0, outLength);
}

describe('cosine_tile.wgsl vs cosineBlock', () => {
  it('covers 32×32 scores per workgroup', () => {
    expect(COSINE_TILE_EDGE).toBe(32);
  });

  it.for([
    [1, 1, 1],
    [3, 37, 5],
    [37, 130, 384],
    [130, 3, 7],
    [33, 65, 4],
    [64, 64, 6],
  ])('%i×%i rows of dim %i (some zero rows)', ([aRows, bRows, dim], ctx) =>
    withDevice(async (gpu) => {
      const a = unitRows(aRows * 7 + dim, aRows, dim, 5);
      const b = unitRows(bRows * 11 + dim, bRows, dim, 3);
      const actual = await gpuCosine(gpu, a, aRows, 0, aRows, b, bRows, dim);
      expect(maxAbsDiff(actual, cosineBlock(a, aRows, b, bRows, dim))).toBeLessThanOrEqual(TOLERANCE);
    })(ctx),
  );

  it(
    'reads its block of rows from a_row_offset, with one buffer as both sides',
    withDevice(async (gpu) => {
      const rows = 37;
      const dim = 13;
      const x = unitRows(9, rows, dim);
      const start = 5;
      const blockRows = 21;
      const padded = padRowsToVec4(x, rows, dim);
      const shared = gpu.upload(padded.data);
      const scores = gpu.createStorage(blockRows * rows * 4);
      const kernel = await CosineTileKernel.create(gpu.device);
      await gpu.run((encoder) =>
        kernel.encode(encoder, {
          a: shared,
          b: shared,
          scores,
          aRowOffset: start,
          aRows: blockRows,
          bRows: rows,
          vec4sPerRow: padded.vec4sPerRow,
        }),
      );
      kernel.destroy();
      const actual = await gpu.readF32(scores, blockRows * rows);
      const expected = cosineBlock(x.subarray(start * dim, (start + blockRows) * dim), blockRows, x, rows, dim);
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
      // The diagonal of a self-similarity block is 1 for unit rows.
      for (let i = 0; i < blockRows; i++) expect(actual[i * rows + start + i]).toBeCloseTo(1, 5);
    }),
  );

  it(
    'rejects buffers smaller than the block',
    withDevice(async (gpu) => {
      const kernel = await CosineTileKernel.create(gpu.device);
      const small = gpu.createStorage(64);
      const large = gpu.createStorage(256);
      const scores = gpu.createStorage(24);
      const encoder = gpu.device.createCommandEncoder();
      expect(() =>
        kernel.encode(encoder, { a: small, b: large, scores, aRowOffset: 0, aRows: 2, bRows: 3, vec4sPerRow: 1 }),
      ).not.toThrow();
      expect(() =>
        kernel.encode(encoder, { a: small, b: large, scores, aRowOffset: 3, aRows: 2, bRows: 3, vec4sPerRow: 1 }),
      ).toThrow(/a buffer holds 64 bytes, the dispatch needs 80/);
      expect(() =>
        kernel.encode(encoder, { a: large, b: small, scores, aRowOffset: 0, aRows: 2, bRows: 5, vec4sPerRow: 1 }),
      ).toThrow(/b buffer holds 64 bytes, the dispatch needs 80/);
      expect(() =>
        kernel.encode(encoder, { a: large, b: large, scores, aRowOffset: 0, aRows: 3, bRows: 3, vec4sPerRow: 1 }),
      ).toThrow(/scores buffer holds 24 bytes, the dispatch needs 36/);
      gpu.device.queue.submit([encoder.finish()]);
      await gpu.device.queue.onSubmittedWorkDone();
      kernel.destroy();
    }),
  );
});
