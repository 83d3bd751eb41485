import { describe, expect, it } from 'vitest';
import { batchOptionsFor, batchTensors, paddingFraction, planBatches } from '../../src/ml/batching';

describe('planBatches', () => {
  it('sorts by length, keeps every sequence exactly once and pads each batch to its longest row', () => {
    const lengths = [5, 2, 9, 2, 7, 3];
    const batches = planBatches(lengths, { maxBatch: 2, tokenBudget: 1000, bucket: 1 });
    expect(batches.map((b) => b.rows)).toEqual([[1, 3], [5, 0], [4, 2]]);
    expect(batches.map((b) => b.seqLen)).toEqual([2, 5, 9]);
    expect(batches.flatMap((b) => b.rows).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rounds padded lengths up to the bucket (WebGPU shapes) and not at all with bucket 1', () => {
    expect(planBatches([17, 20], { maxBatch: 8, tokenBudget: 1000, bucket: 16 })[0].seqLen).toBe(32);
    expect(planBatches([17, 20], { maxBatch: 8, tokenBudget: 1000, bucket: 1 })[0].seqLen).toBe(20);
  });

  it('gives long sequences smaller batches so no batch exceeds the token budget', () => {
    const lengths = [...Array(10).fill(10), ...Array(10).fill(100)];
    const batches = planBatches(lengths, { maxBatch: 32, tokenBudget: 400, bucket: 1 });
    for (const batch of batches) expect(batch.rows.length * batch.seqLen).toBeLessThanOrEqual(400);
    expect(batches[0].rows).toHaveLength(10);
    expect(batches.filter((b) => b.seqLen === 100).map((b) => b.rows.length)).toEqual([4, 4, 2]);
  });

  it('still makes a batch of one for a sequence longer than the budget', () => {
    expect(planBatches([50], { maxBatch: 4, tokenBudget: 10, bucket: 1 })).toEqual([{ rows: [0], seqLen: 50 }]);
  });

  it('measures padding as the share of padded positions', () => {
    const lengths = [2, 4];
    const batches = planBatches(lengths, { maxBatch: 2, tokenBudget: 100, bucket: 1 });
    expect(paddingFraction(lengths, batches)).toBeCloseTo(2 / 8);
    expect(paddingFraction([], [])).toBe(0);
  });
});

describe('batchTensors', () => {
  it('right-pads ids with 0 and masks real positions with 1, rows in batch order', () => {
    const sequences = [[5, 6, 7], [8]];
    const { inputIds, mask } = batchTensors(sequences, { rows: [1, 0], seqLen: 3 });
    expect(Array.from(inputIds, Number)).toEqual([8, 0, 0, 5, 6, 7]);
    expect(Array.from(mask, Number)).toEqual([1, 0, 0, 1, 1, 1]);
  });
});

describe('planBatches with a padding limit', () => {
  it('cuts a batch before a longer text pads it beyond the limit, once it has enough rows', () => {
    const lengths = [10, 10, 10, 10, 40, 40];
    const limited = planBatches(lengths, { maxBatch: 32, tokenBudget: 1000, bucket: 1, maxPadding: 0.1, minRows: 2 });
    expect(limited.map((b) => b.rows)).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(paddingFraction(lengths, limited)).toBe(0);
    const unlimited = planBatches(lengths, { maxBatch: 32, tokenBudget: 1000, bucket: 1 });
    expect(unlimited).toHaveLength(1);
    expect(paddingFraction(lengths, unlimited)).toBeCloseTo(1 - 120 / 240);
    // Below minRows a batch keeps growing whatever the padding.
    expect(planBatches([1, 50], { maxBatch: 32, tokenBudget: 1000, bucket: 1, maxPadding: 0.1, minRows: 2 })).toHaveLength(1);
  });
});

describe('batchOptionsFor', () => {
  it('sizes WASM batches by activation bytes: large when threaded, smaller on one thread, capped for wide models', () => {
    const threaded = batchOptionsFor('wasm', 2, 512);
    const single = batchOptionsFor('wasm', 1, 512);
    expect(threaded.tokenBudget).toBe(3072);
    expect(single.tokenBudget).toBe(1024);
    expect(batchOptionsFor('wasm', 2, 1536).tokenBudget).toBe(1024);
    expect(batchOptionsFor('wasm', 2, 8).tokenBudget).toBe(16384);
    expect(batchOptionsFor('wasm', 1, 1e9).tokenBudget).toBe(256);
    expect(threaded).toMatchObject({ bucket: 1, maxPadding: 0.1 });
    expect(batchOptionsFor('cpu', 2, 512, 7).maxBatch).toBe(7);
  });

  it('keeps WebGPU on 32 texts with lengths in steps of 16 (its kernels compile per shape)', () => {
    expect(batchOptionsFor('webgpu', 2, 512)).toEqual({ maxBatch: 32, tokenBudget: 4096, bucket: 16 });
  });
});
