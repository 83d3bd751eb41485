import { describe, expect, it } from 'vitest';
import { crossTopK } from '../../src/core/prefilter/cross-topk';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import type { TopK } from '../../src/core/similarity';
import { gpuCrossTopK } from '../../src/gpu/cross-topk-gpu';
import { expectTopKEquivalent, nextScoresOf, withDevice } from './gpu-harness';

/** f32 cosines of unit rows, GPU against the CPU twin's WebAssembly kernel: both accumulate in f32. */
const TOLERANCE = 1e-5;
const BYTES_PER_F32 = 4;

/** The maxChunkBytes that gives blocks of `rows` patents: a block is capped by its scores or its padded rows. */
function capFor(rows: number, S: number, dim: number): number | undefined {
  return rows === 0 ? undefined : rows * Math.max(S, Math.ceil(dim / 4) * 4) * BYTES_PER_F32;
}

/** Random rows with a few zero rows (they score exactly 0 against everything, on both sides). */
function randomRows(seed: number, rows: number, dim: number): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), rows, dim);
  for (let r = 4; r < rows; r += 11) x.fill(0, r * dim, (r + 1) * dim);
  return x;
}

/** Copies row `from` over each of `to`: exact duplicates, so exact ties on either path. */
function duplicate(x: Float32Array, dim: number, from: number, to: number[]): void {
  for (const r of to) x.copyWithin(r * dim, from * dim, (from + 1) * dim);
}

/**
 * Unit rows with four entries of ±1/2 and the rest 0: every dot product is a multiple of 1/4,
 * exact in f32 in any summation order, so both paths see the same scores bit for bit (and many
 * ties) and must give identical lists.
 */
function dyadicUnitRows(seed: number, rows: number, dim: number): Float32Array {
  const rng = mulberry32(seed);
  const x = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const used = new Set<number>();
    while (used.size < Math.min(4, dim)) used.add(Math.floor(rng() * dim));
    for (const d of used) x[r * dim + d] = rng() < 0.5 ? -0.5 : 0.5;
  }
  return x;
}

/** Among bit-equal neighbouring scores the lower index comes first, in every list. */
function expectTieRule(list: TopK): void {
  const broken: string[] = [];
  for (let row = 0; row < list.rows; row++) {
    for (let i = row * list.k + 1; i < (row + 1) * list.k; i++) {
      if (list.indices[i] >= 0 && list.scores[i] === list.scores[i - 1] && list.indices[i] < list.indices[i - 1]) {
        broken.push(`row ${row}: ${list.indices[i - 1]} before ${list.indices[i]} at ${list.scores[i]}`);
      }
    }
  }
  expect(broken).toEqual([]);
}

async function expectLikeCpu(
  device: GPUDevice,
  patents: Float32Array,
  P: number,
  sections: Float32Array,
  S: number,
  dim: number,
  k: number,
  maxChunkBytes?: number,
): Promise<void> {
  const actual = await gpuCrossTopK(device, patents, P, sections, S, dim, { k, maxChunkBytes });
  const expected = await crossTopK(patents, P, sections, S, dim, { k });
  const next = await crossTopK(patents, P, sections, S, dim, { k: k + 1 });
  const options = { scoreTolerance: TOLERANCE, tieTolerance: TOLERANCE };
  expectTopKEquivalent(actual.perPatent, expected.perPatent, { ...options, nextScores: nextScoresOf(next.perPatent) });
  expectTopKEquivalent(actual.perSection, expected.perSection, { ...options, nextScores: nextScoresOf(next.perSection) });
  expectTieRule(actual.perPatent);
  expectTieRule(actual.perSection);
}

describe('gpuCrossTopK vs crossTopK', () => {
  it.for([
    // P, S, dim, k, chunk cap in patent rows (0: the default, one block)
    [1, 1, 1, 1, 0],
    [37, 45, 19, 5, 0],
    [70, 33, 384, 10, 0],
    [130, 70, 37, 32, 7],
    [100, 41, 64, 10, 1],
    [20, 3, 8, 7, 6], // k > S: every patent list padded
    [5, 40, 6, 8, 2], // k > P: every section list padded
  ] as const)('P=%i, S=%i, dim=%i, k=%i, %i rows per chunk', ([P, S, dim, k, chunkRows], ctx) =>
    withDevice(async ({ device }) => {
      const patents = randomRows(P * 7 + dim, P, dim);
      const sections = randomRows(S * 13 + dim, S, dim);
      const maxChunkBytes = capFor(chunkRows, S, dim);
      await expectLikeCpu(device, patents, P, sections, S, dim, k, maxChunkBytes);
    })(ctx),
  );

  it(
    'keeps the tie rule on duplicated rows split across chunks',
    withDevice(async ({ device }) => {
      const [P, S, dim, k] = [90, 50, 23, 6];
      const patents = randomRows(31, P, dim);
      const sections = randomRows(32, S, dim);
      duplicate(patents, dim, 3, [10, 41, 77]);
      duplicate(patents, dim, 60, [61, 89]);
      duplicate(sections, dim, 2, [30, 49]);
      await expectLikeCpu(device, patents, P, sections, S, dim, k, 8 * S * BYTES_PER_F32);
      const { perSection, perPatent } = await gpuCrossTopK(device, patents, P, sections, S, dim, {
        k,
        maxChunkBytes: 8 * S * BYTES_PER_F32,
      });
      // Where patent 3 is listed with room after it, its copies 10, 41, 77 follow at its score
      // (zero rows, which tie with everything at 0, aside).
      let checked = 0;
      for (let s = 0; s < S; s++) {
        const list = Array.from(perSection.indices.subarray(s * k, (s + 1) * k));
        const at = list.indexOf(3);
        if (at >= 0 && at + 3 < k && perSection.scores[s * k + at] !== 0) {
          checked++;
          expect(list.slice(at, at + 4)).toEqual([3, 10, 41, 77]);
          expect(new Set(perSection.scores.subarray(s * k + at, s * k + at + 4)).size).toBe(1);
        }
      }
      // Likewise section 2's copies 30 and 49 in the patents' lists.
      for (let p = 0; p < P; p++) {
        const list = Array.from(perPatent.indices.subarray(p * k, (p + 1) * k));
        const at = list.indexOf(2);
        if (at >= 0 && at + 2 < k && perPatent.scores[p * k + at] !== 0) {
          checked++;
          expect(list.slice(at, at + 3)).toEqual([2, 30, 49]);
        }
      }
      expect(checked).toBeGreaterThan(0);
    }),
  );

  it.for([
    [70, 45, 10, 6, 0],
    [70, 45, 10, 6, 3],
    [33, 97, 4, 32, 5],
  ] as const)('is identical to the CPU on bit-exact scores: P=%i, S=%i, dim=%i, k=%i, %i rows per chunk', ([P, S, dim, k, chunkRows], ctx) =>
    withDevice(async ({ device }) => {
      const patents = dyadicUnitRows(P + dim, P, dim);
      const sections = dyadicUnitRows(S + dim, S, dim);
      duplicate(patents, dim, 1, [20, 50]);
      duplicate(sections, dim, 0, [7, 44]);
      const maxChunkBytes = capFor(chunkRows, S, dim);
      const actual = await gpuCrossTopK(device, patents, P, sections, S, dim, { k, maxChunkBytes, normalized: true });
      const expected = await crossTopK(patents, P, sections, S, dim, { k, normalized: true });
      expect(actual.perPatent).toEqual(expected.perPatent);
      expect(actual.perSection).toEqual(expected.perSection);
    })(ctx),
  );

  it(
    'gives the same lists in many chunks as in one, reporting rising patent rows up to P',
    withDevice(async ({ device }) => {
      const [P, S, dim, k] = [75, 40, 12, 5];
      const patents = randomRows(5, P, dim);
      const sections = randomRows(6, S, dim);
      const whole = await gpuCrossTopK(device, patents, P, sections, S, dim, { k });
      const progress: Array<[number, number]> = [];
      const chunked = await gpuCrossTopK(device, patents, P, sections, S, dim, {
        k,
        maxChunkBytes: 4 * S * BYTES_PER_F32,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(chunked).toEqual(whole);
      expect(progress).toEqual(Array.from({ length: Math.ceil(P / 4) }, (_, i) => [Math.min((i + 1) * 4, P), P]));
    }),
  );

  it(
    'returns padded empty lists without GPU work for P = 0, S = 0 or k = 0',
    withDevice(async ({ device }) => {
      const rows = randomRows(1, 3, 4);
      const noPatents = await gpuCrossTopK(device, new Float32Array(0), 0, rows, 3, 4, { k: 2 });
      expect(Array.from(noPatents.perSection.indices)).toEqual([-1, -1, -1, -1, -1, -1]);
      expect(noPatents.perSection.scores.every((s) => s === -Infinity)).toBe(true);
      const noSections = await gpuCrossTopK(device, rows, 3, new Float32Array(0), 0, 4, { k: 2 });
      expect(noSections.perPatent.rows).toBe(3);
      expect(noSections.perSection.rows).toBe(0);
      const zeroK = await gpuCrossTopK(device, rows, 3, rows, 3, 4, { k: 0 });
      expect(zeroK.perPatent.indices.length + zeroK.perSection.indices.length).toBe(0);
    }),
  );
});

describe('gpuCrossTopK input and abort', () => {
  it(
    'rejects k above 32, a shape mismatch and a non-finite value with RangeError',
    withDevice(async ({ device }) => {
      const rows = randomRows(2, 40, 4);
      await expect(gpuCrossTopK(device, rows, 40, rows, 40, 4, { k: 33 })).rejects.toThrow(RangeError);
      await expect(gpuCrossTopK(device, rows, 40, rows, 40, 4, { k: 33 })).rejects.toThrow(/0 to 32/);
      await expect(gpuCrossTopK(device, rows, 41, rows, 40, 4, { k: 3 })).rejects.toThrow(/160 values but 41×4/);
      const broken = rows.slice();
      broken[4 * 7 + 2] = Number.NaN;
      await expect(gpuCrossTopK(device, broken, 40, rows, 40, 4, { k: 3 })).rejects.toThrow(/patents row 7 holds NaN/);
      await expect(gpuCrossTopK(device, rows, 40, broken, 40, 4, { k: 3 })).rejects.toThrow(/sections row 7 holds NaN/);
    }),
  );

  it(
    'rejects with AbortError before any work when the signal is already aborted',
    withDevice(async ({ device }) => {
      const controller = new AbortController();
      controller.abort();
      const rows = randomRows(3, 10, 4);
      await expect(gpuCrossTopK(device, rows, 10, rows, 10, 4, { k: 3, signal: controller.signal })).rejects.toMatchObject({
        name: 'AbortError',
      });
    }),
  );

  it(
    'stops between chunks when aborted mid-way, freeing its buffers',
    withDevice(async ({ device }) => {
      const [P, S, dim] = [64, 20, 8];
      const controller = new AbortController();
      const progress: number[] = [];
      const run = gpuCrossTopK(device, randomRows(4, P, dim), P, randomRows(5, S, dim), S, dim, {
        k: 3,
        signal: controller.signal,
        maxChunkBytes: 4 * S * BYTES_PER_F32,
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
