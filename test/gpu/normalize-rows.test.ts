import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { normalizeRows } from '../../src/core/similarity';
import { NormalizeRowsKernel } from '../../src/gpu/kernels/normalize-rows';
import { maxAbsDiff, padRowsToVec4, unpadRows, withDevice, type GpuTestKit } from './gpu-harness';

/** f32 normalisation of O(1) values: rounding stays near 1e-7; 1e-5 leaves room for any GPU. */
const TOLERANCE = 1e-5;

async function gpuNormalize(
  gpu: GpuTestKit,
  x: Float32Array,
  rows: number,
  dim: number,
): Promise<Float32Array> {
  const { data, vec4sPerRow } = padRowsToVec4(x, rows, dim);
  const buffer = gpu.upload(data);
  const kernel = await NormalizeRowsKernel.create(gpu.device);
  try {
    await gpu.run((encoder) => kernel.encode(encoder, { rows: buffer, rowCount: rows, vec4sPerRow }));
  } finally {
    kernel.destroy();
  }
  const padded = await gpu.readF32(buffer, data.length);
  // Padding must stay zero, or later dot products would pick it up.
  expect(padded.filter((_, i) => i % (vec4sPerRow * 4) >= dim).every((v) => v === 0)).toBe(true);
  return unpadRows(padded, rows, dim);
}

describe('normalize_rows.wgsl vs normalizeRows', () => {
  it.for([
    [1, 1],
    [3, 5],
    [37, 384],
    [130, 7],
    [65, 4],
  ])(
    '%i rows of dim %i, with zero rows',
    ([rows, dim], ctx) =>
      withDevice(async (gpu) => {
        const x = randomNormalMatrix(mulberry32(rows * 31 + dim), rows, dim);
        for (let r = 0; r < rows; r += 4) x.fill(0, r * dim, (r + 1) * dim);
        const expected = normalizeRows(x, rows, dim);
        const actual = await gpuNormalize(gpu, x, rows, dim);
        expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
        for (let r = 0; r < rows; r += 4) expect(actual.subarray(r * dim, (r + 1) * dim).every((v) => v === 0)).toBe(true);
      })(ctx),
  );

  it(
    'keeps huge and tiny rows finite and correct (f32 squares would overflow / underflow)',
    withDevice(async (gpu) => {
      const x = new Float32Array([3e30, -4e30, 0, 0, 3e-25, 4e-25, 0, 0, 1e20, 1e20, 1e20, 1e20]);
      const actual = await gpuNormalize(gpu, x, 3, 4);
      expect(actual.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(actual, normalizeRows(x, 3, 4))).toBeLessThanOrEqual(TOLERANCE);
    }),
  );

  it(
    'does nothing for zero rows or zero width',
    withDevice(async (gpu) => {
      const kernel = await NormalizeRowsKernel.create(gpu.device);
      const buffer = gpu.createStorage(16);
      await gpu.run((encoder) => {
        kernel.encode(encoder, { rows: buffer, rowCount: 0, vec4sPerRow: 1 });
        kernel.encode(encoder, { rows: buffer, rowCount: 1, vec4sPerRow: 0 });
      });
      kernel.destroy();
      kernel.destroy();
    }),
  );

  it(
    'rejects a buffer too small for the rows',
    withDevice(async (gpu) => {
      const kernel = await NormalizeRowsKernel.create(gpu.device);
      const buffer = gpu.createStorage(32);
      const encoder = gpu.device.createCommandEncoder();
      expect(() => kernel.encode(encoder, { rows: buffer, rowCount: 3, vec4sPerRow: 1 })).toThrow(/holds 32 bytes.*needs 48/);
      encoder.finish();
      kernel.destroy();
    }),
  );
});
