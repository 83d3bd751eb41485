import { describe, expect, it } from 'vitest';
import { isAbortError } from '../../../src/core/abort';
import { wasmCosineBlock } from '../../../src/core/fast-cosine/wasm-cosine';
import { cpuCosineBlock } from '../../../src/core/forecast/candidate-cosine';
import { crossTopK, type CrossTopKOptions } from '../../../src/core/prefilter/cross-topk';
import { mulberry32, randomNormalMatrix } from '../../../src/core/random';
import { cosineBlock, normalizeRows, type TopK } from '../../../src/core/similarity';

/** Full P × S cosine matrix by a plain double loop in f64 on the raw rows; 0 for a zero row. */
function naiveMatrix(a: Float32Array, aRows: number, b: Float32Array, bRows: number, dim: number): Float64Array {
  const norm = (x: Float32Array, r: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[r * dim + d] * x[r * dim + d];
    return Math.sqrt(s);
  };
  const out = new Float64Array(aRows * bRows);
  for (let i = 0; i < aRows; i++) {
    for (let j = 0; j < bRows; j++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += a[i * dim + d] * b[j * dim + d];
      const n = norm(a, i) * norm(b, j);
      out[i * bRows + j] = n === 0 ? 0 : dot / n;
    }
  }
  return out;
}

/** Reference top-k lists by sorting: score descending, then index ascending; padded with −1. */
function naiveLists(matrix: Float64Array, rows: number, cols: number, k: number, byColumn: boolean): number[][] {
  const lists: number[][] = [];
  const outer = byColumn ? cols : rows;
  const inner = byColumn ? rows : cols;
  for (let o = 0; o < outer; o++) {
    const at = (i: number): number => (byColumn ? matrix[i * cols + o] : matrix[o * cols + i]);
    const order = Array.from({ length: inner }, (_, i) => i).sort((x, y) => at(y) - at(x) || x - y);
    const list = order.slice(0, k);
    while (list.length < k) list.push(-1);
    lists.push(list);
  }
  return lists;
}

/**
 * Same lists as the reference, except where two scores are within float rounding of each other
 * (then either order is right): every listed score must match the reference's at that place.
 */
function expectMatches(got: TopK, matrix: Float64Array, rows: number, cols: number, byColumn: boolean): void {
  const reference = naiveLists(matrix, rows, cols, got.k, byColumn);
  const score = (o: number, i: number): number => (byColumn ? matrix[i * cols + o] : matrix[o * cols + i]);
  expect(got.rows).toBe(byColumn ? cols : rows);
  reference.forEach((list, o) => {
    list.forEach((want, p) => {
      const have = got.indices[o * got.k + p];
      if (want === -1) {
        expect(have).toBe(-1);
        expect(got.scores[o * got.k + p]).toBe(-Infinity);
        return;
      }
      expect(have).toBeGreaterThanOrEqual(0);
      expect(Math.abs(got.scores[o * got.k + p] - score(o, want))).toBeLessThan(1e-5);
      if (have !== want) expect(Math.abs(score(o, have) - score(o, want))).toBeLessThan(1e-5);
    });
    // No index twice in a list.
    const listed = Array.from(got.indices.subarray(o * got.k, (o + 1) * got.k)).filter((i) => i >= 0);
    expect(new Set(listed).size).toBe(listed.length);
  });
}

/** Random rows with planted zero rows and exact duplicates (ties). */
function awkwardInput(seed: number, rows: number, dim: number, zeros: number[], duplicates: [number, number][]): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), rows, dim);
  for (const r of zeros) x.fill(0, r * dim, (r + 1) * dim);
  for (const [to, from] of duplicates) x.copyWithin(to * dim, from * dim, (from + 1) * dim);
  return x;
}

const P = 37;
const S = 23;
const DIM = 19;
const patents = awkwardInput(1, P, DIM, [4, 30], [[9, 2], [20, 2], [36, 0]]);
const sections = awkwardInput(2, S, DIM, [7], [[15, 3], [22, 3], [11, 5]]);
const matrix = naiveMatrix(patents, P, sections, S, DIM);
/** Bytes for b rows per block on the stacked layout: b × (b + S) scores. */
const bytesFor = (b: number): number => b * (b + S) * 4;

const scorers: [string, CrossTopKOptions][] = [
  ['scalar cosineBlock (rectangular)', { crossCosine: cosineBlock }],
  ['scalar twin via the CosineBlockFn contract', { cosineBlock: cpuCosineBlock }],
  ['WebAssembly SIMD kernel', { cosineBlock: wasmCosineBlock }],
  ['default (fast CPU)', {}],
];

describe('crossTopK against a naive full matrix', () => {
  for (const [name, scorer] of scorers) {
    for (const [k, blockRows] of [[5, 5], [30, 1], [50, 8], [10, P]] as const) {
      it(`${name}: k ${k}, ${blockRows} patent rows per block`, async () => {
        const result = await crossTopK(patents, P, sections, S, DIM, { ...scorer, k, maxBlockBytes: bytesFor(blockRows) });
        expect(result.perPatent.k).toBe(k);
        expectMatches(result.perPatent, matrix, P, S, false);
        expectMatches(result.perSection, matrix, P, S, true);
      });
    }
  }

  it('breaks exact ties to the lower index in both directions', async () => {
    for (const scorer of [{ crossCosine: cosineBlock }, { cosineBlock: wasmCosineBlock }]) {
      const { perPatent, perSection } = await crossTopK(patents, P, sections, S, DIM, { ...scorer, k: S, maxBlockBytes: bytesFor(4) });
      for (let p = 0; p < P; p++) {
        if (p === 4 || p === 30) continue; // zero patents: see below
        const list = Array.from(perPatent.indices.subarray(p * S, (p + 1) * S));
        // Sections 3, 15 and 22 are the same vector: always adjacent, in that order.
        const at = list.indexOf(3);
        expect(list.slice(at, at + 3)).toEqual([3, 15, 22]);
        expect(list.indexOf(5)).toBeLessThan(list.indexOf(11));
      }
      // A zero patent scores 0 everywhere: its list is the sections in index order.
      expect(Array.from(perPatent.indices.subarray(4 * S, 5 * S))).toEqual(Array.from({ length: S }, (_, i) => i));
      for (let s = 0; s < S; s++) {
        if (s === 7) continue; // the zero section: see below
        const list = Array.from(perSection.indices.subarray(s * S, (s + 1) * S));
        // Patents 2, 9 and 20 are the same vector, and 0 and 36: adjacent, lower index first.
        if (list.includes(9)) expect(list.indexOf(2)).toBe(list.indexOf(9) - 1);
        if (list.includes(20)) expect(list.indexOf(9)).toBe(list.indexOf(20) - 1);
        if (list.includes(36)) expect(list.indexOf(0)).toBe(list.indexOf(36) - 1);
        expect(list.includes(9) || !list.includes(20)).toBe(true);
      }
      // The zero section: every patent ties at 0, the first k patents in index order.
      expect(Array.from(perSection.indices.subarray(7 * S, 8 * S))).toEqual(Array.from({ length: S }, (_, i) => i));
    }
  });

  it('takes unit rows as they are with `normalized`', async () => {
    const unitPatents = normalizeRows(patents, P, DIM);
    const unitSections = normalizeRows(sections, S, DIM);
    const a = await crossTopK(unitPatents, P, unitSections, S, DIM, { k: 7, normalized: true, maxBlockBytes: bytesFor(6) });
    expectMatches(a.perPatent, matrix, P, S, false);
    expectMatches(a.perSection, matrix, P, S, true);
  });

  it('handles empty inputs and k = 0', async () => {
    const none = await crossTopK(new Float32Array(0), 0, sections, S, DIM, { k: 3 });
    expect(none.perPatent.rows).toBe(0);
    expect(Array.from(none.perSection.indices)).toEqual(new Array(S * 3).fill(-1));
    const zeroK = await crossTopK(patents, P, sections, S, DIM, { k: 0 });
    expect(zeroK.perPatent.indices.length).toBe(0);
    await expect(crossTopK(patents, P + 1, sections, S, DIM)).rejects.toThrow(RangeError);
  });
});

describe('crossTopK progress and abort', () => {
  it('reports rows done after each block, ending at the total', async () => {
    const ticks: [number, number][] = [];
    await crossTopK(patents, P, sections, S, DIM, { k: 3, maxBlockBytes: bytesFor(10), onProgress: (d, t) => ticks.push([d, t]) });
    expect(ticks).toEqual([[10, P], [20, P], [30, P], [37, P]]);
  });

  it('stops between blocks when the signal is aborted', async () => {
    const controller = new AbortController();
    const ticks: number[] = [];
    const run = crossTopK(patents, P, sections, S, DIM, {
      k: 3,
      maxBlockBytes: bytesFor(10),
      signal: controller.signal,
      onProgress: (done) => {
        ticks.push(done);
        controller.abort();
      },
    });
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(ticks).toEqual([10]);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let scored = 0;
    const error = await crossTopK(patents, P, sections, S, DIM, {
      signal: controller.signal,
      crossCosine: (...args) => {
        scored++;
        return cosineBlock(args[0], args[1], args[2], args[3], args[4]);
      },
    }).then(() => undefined, (e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(scored).toBe(0);
  });
});
