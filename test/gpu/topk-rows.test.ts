import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random';
import { topkRows, type TopK } from '../../src/core/similarity';
import { finishTopKScores, TOPK_MAX_K, TopkRowsKernel } from '../../src/gpu/kernels/topk-rows';
import { withDevice, type GpuTestKit } from './gpu-harness';

/** Scores on a grid of 1/16, so exact ties are everywhere and the tie rule is exercised. */
function tiedScores(seed: number, rows: number, cols: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: rows * cols }, () => Math.round(rng() * 32) / 16 - 1);
}

async function gpuTopK(
  gpu: GpuTestKit,
  scores: Float32Array,
  rows: number,
  cols: number,
  k: number,
  rowOffset: number,
  excludeSelf: boolean,
): Promise<TopK> {
  const topIndices = gpu.createStorage(rows * k * 4);
  const topScores = gpu.createStorage(rows * k * 4);
  const kernel = await TopkRowsKernel.create(gpu.device);
  await gpu.run((encoder) =>
    kernel.encode(encoder, {
      scores: gpu.upload(scores),
      topIndices,
      topScores,
      rows,
      cols,
      k,
      rowOffset,
      excludeSelf,
    }),
  );
  kernel.destroy();
  const indices = await gpu.readI32(topIndices, rows * k);
  const top = await gpu.readF32(topScores, rows * k);
  finishTopKScores(indices, top);
  return { k, rows, indices, scores: top };
}

describe('topk_rows.wgsl vs topkRows', () => {
  it('supports k up to 32', () => {
    expect(TOPK_MAX_K).toBe(32);
  });

  // [rows, cols, k, rowOffset]: rowOffset places the block inside a larger self-similarity
  // matrix, so the excluded column is rowOffset + row (and may lie beyond cols).
  it.for([
    [1, 1, 1, 0],
    [3, 5, 2, 0],
    [3, 5, 5, 2],
    [37, 130, 10, 50],
    [130, 37, 32, 0],
    [70, 200, 32, 100],
    [5, 3, 8, 0],
  ])('%i×%i tied scores, k=%i, row offset %i: identical indices and scores', ([rows, cols, k, rowOffset], ctx) =>
    withDevice(async (gpu) => {
      const scores = tiedScores(rows * 1000 + cols + k, rows, cols);
      for (const excludeSelf of [false, true]) {
        const expected = topkRows(scores, rows, cols, k, {
          excludeColumnOfRow: excludeSelf ? (row) => rowOffset + row : undefined,
        });
        const actual = await gpuTopK(gpu, scores, rows, cols, k, rowOffset, excludeSelf);
        expect(actual).toEqual(expected);
      }
    })(ctx),
  );

  it(
    'breaks a row of equal scores by column order and pads short rows',
    withDevice(async (gpu) => {
      const scores = new Float32Array([0.5, 0.5, 0.5, 0.5, -2, -2, -2, -2]);
      const top = await gpuTopK(gpu, scores, 2, 4, 6, 0, true);
      expect(Array.from(top.indices)).toEqual([1, 2, 3, -1, -1, -1, 0, 2, 3, -1, -1, -1]);
      expect(Array.from(top.scores)).toEqual([0.5, 0.5, 0.5, -Infinity, -Infinity, -Infinity, -2, -2, -2, -Infinity, -Infinity, -Infinity]);
    }),
  );

  it(
    'agrees on untied random scores with the largest k',
    withDevice(async (gpu) => {
      const rng = mulberry32(99);
      const rows = 64;
      const cols = 500;
      const scores = Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1);
      const actual = await gpuTopK(gpu, scores, rows, cols, TOPK_MAX_K, 0, true);
      expect(actual).toEqual(topkRows(scores, rows, cols, TOPK_MAX_K, { excludeColumnOfRow: (row) => row }));
    }),
  );

  it(
    'throws a RangeError for k above MAX_K, naming the limit',
    withDevice(async (gpu) => {
      const kernel = await TopkRowsKernel.create(gpu.device);
      const buffer = gpu.createStorage(1024);
      const encoder = gpu.device.createCommandEncoder();
      const args = { scores: buffer, topIndices: buffer, topScores: buffer, rows: 1, cols: 1, rowOffset: 0, excludeSelf: false };
      expect(() => kernel.encode(encoder, { ...args, k: TOPK_MAX_K + 1 })).toThrow(RangeError);
      expect(() => kernel.encode(encoder, { ...args, k: TOPK_MAX_K + 1 })).toThrow(/0 to 32/);
      expect(() => kernel.encode(encoder, { ...args, k: 2.5 })).toThrow(RangeError);
      encoder.finish();
      kernel.destroy();
    }),
  );
});
