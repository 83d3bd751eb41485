import { describe, expect, it } from 'vitest';
import {
  fastCpuCosineBlock,
  initWasmCosine,
  WasmCosineKernel,
  wasmCosineBlock,
  wasmCosineKernel,
  WasmMemoryError,
  wasmCosineSupported,
} from '../../src/core/fast-cosine/wasm-cosine';
import { cosineKernelBytes } from '../../src/core/fast-cosine/cosine-kernel';
import { sleb, uleb } from '../../src/core/fast-cosine/wasm-binary';
import { candidateCosines, cpuCosineBlock } from '../../src/core/forecast/candidate-cosine';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { normalizeRows } from '../../src/core/similarity';

/**
 * Tolerance of the WebAssembly kernel against the twin, per entry, for rows a, b:
 * the kernel sums a_d·b_d in f32 in order d = 0, 1, …, so |fast − exact| ≤ γ_dim·Σ|a_d·b_d| with
 * γ_n = n·u/(1 − n·u), u = 2⁻²⁴ (recursive summation, Higham §3.1); the twin sums in f64 and rounds
 * once to f32, |twin − exact| ≤ u·|exact| + O(dim·2⁻⁵³). Σ|a_d·b_d| ≤ |a|·|b| (Cauchy–Schwarz) and
 * |exact| ≤ |a|·|b|, so |fast − twin| ≤ (dim + 1)·u·|a|·|b| up to O(u²) terms, i.e.
 * (dim + 1)·2⁻²⁴ for unit rows: 2.3·10⁻⁵ at 384 dims. Observed differences are ~100× smaller
 * (errors of random sign grow like √dim); the bound is what the code guarantees.
 */
function tolerance(dim: number, normA = 1, normB = 1): number {
  const u = 2 ** -24;
  return (dim + 1) * u * (1 + 2 * (dim + 1) * u) * normA * normB;
}

/** Seeded rows with a few zero rows (first, one in the middle, last when there are enough). */
function testMatrix(seed: number, rows: number, dim: number): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), rows, dim);
  for (const r of [0, Math.floor(rows / 2), rows - 1]) if (rows >= 3) x.fill(0, r * dim, (r + 1) * dim);
  return x;
}

function norms(x: Float32Array, rows: number, dim: number): number[] {
  return Array.from({ length: rows }, (_, r) => Math.hypot(...x.subarray(r * dim, (r + 1) * dim)));
}

/** Largest |fast − twin| / tolerance over the block; ≤ 1 passes. */
function worstRatio(
  fast: Float32Array,
  twin: Float32Array,
  rowNorms: number[],
  dim: number,
  blockStart: number,
  blockRows: number,
  width: number,
): number {
  let worst = 0;
  for (let r = 0; r < blockRows; r++) {
    for (let j = 0; j < width; j++) {
      const bound = tolerance(dim, rowNorms[blockStart + r], rowNorms[blockStart + j]);
      const diff = Math.abs(fast[r * width + j] - twin[r * width + j]);
      worst = Math.max(worst, diff === 0 ? 0 : diff / bound);
    }
  }
  return worst;
}

const SIZES = [1, 3, 37, 130];
const DIMS = [1, 5, 384];

describe('WebAssembly SIMD cosine block', () => {
  it('writes LEB128 numbers as the binary format wants them', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624_485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123_456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(WebAssembly.validate(cosineKernelBytes())).toBe(true);
    expect(wasmCosineSupported()).toBe(true);
    expect(fastCpuCosineBlock()).toBe(wasmCosineBlock);
  });

  it('matches the CPU twin on unit rows within (dim + 1)·2⁻²⁴, every block shape', () => {
    for (const rows of SIZES) {
      for (const dim of DIMS) {
        const normalized = normalizeRows(testMatrix(rows * 1000 + dim, rows, dim), rows, dim);
        const rowNorms = norms(normalized, rows, dim);
        const starts = [...new Set([0, 1, Math.floor(rows / 3), rows - 1])].filter((s) => s < rows);
        for (const blockStart of starts) {
          for (const blockRows of [...new Set([1, 2, 5, rows - blockStart])].filter((b) => blockStart + b <= rows)) {
            const fast = wasmCosineBlock(normalized, rows, dim, blockStart, blockRows) as Float32Array;
            const twin = cpuCosineBlock(normalized, rows, dim, blockStart, blockRows) as Float32Array;
            expect(fast.length).toBe(twin.length);
            const ratio = worstRatio(fast, twin, rowNorms, dim, blockStart, blockRows, rows - blockStart);
            expect(ratio, `${rows} rows × ${dim}, block ${blockStart}+${blockRows}`).toBeLessThanOrEqual(1);
          }
        }
      }
    }
  });

  it('scores zero rows exactly 0 and mirrors the lower triangle bit for bit', () => {
    const rows = 130;
    const dim = 384;
    const normalized = normalizeRows(testMatrix(5, rows, dim), rows, dim);
    const block = wasmCosineKernel().block(normalized, rows, dim, 0, rows);
    for (let j = 0; j < rows; j++) {
      expect(block[j]).toBe(0); // row 0 is zero
      expect(block[65 * rows + j]).toBe(0);
      for (let i = 0; i < j; i++) expect(Object.is(block[j * rows + i], block[i * rows + j])).toBe(true);
    }
    expect(Math.abs(block[1 * rows + 1] - 1)).toBeLessThanOrEqual(tolerance(dim));
  });

  it('matches the twin on raw rows within the bound scaled by |a|·|b|', () => {
    for (const dim of DIMS) {
      const rows = 37;
      const raw = testMatrix(dim, rows, dim).map((v, i) => v * (1 + (i % 7)));
      const fast = wasmCosineBlock(raw, rows, dim, 4, 20) as Float32Array;
      const twin = cpuCosineBlock(raw, rows, dim, 4, 20) as Float32Array;
      expect(worstRatio(fast, twin, norms(raw, rows, dim), dim, 4, 20, rows - 4)).toBeLessThanOrEqual(1);
    }
  });

  it('fills a caller buffer completely, and checks its size and the block bounds', () => {
    const rows = 37;
    const dim = 5;
    const normalized = normalizeRows(testMatrix(9, rows, dim), rows, dim);
    const expected = wasmCosineKernel().block(normalized, rows, dim, 3, 11);
    const out = new Float32Array(11 * (rows - 3)).fill(Number.NaN);
    expect(wasmCosineBlock(normalized, rows, dim, 3, 11, out)).toBe(out);
    expect(out).toEqual(expected);
    expect(() => wasmCosineBlock(normalized, rows, dim, 3, 11, new Float32Array(5))).toThrow(RangeError);
    expect(() => wasmCosineBlock(normalized, rows, dim, 30, 11)).toThrow(RangeError);
    expect(wasmCosineBlock(normalized, rows, dim, 3, 0)).toEqual(new Float32Array(0));
    expect(wasmCosineBlock(new Float32Array(0), rows, 0, 3, 2)).toEqual(new Float32Array(2 * (rows - 3)));
  });

  it('reports a memory that cannot grow as WasmMemoryError (wasmCosineBlock then uses the twin)', () => {
    const rows = 37;
    const dim = 384;
    const normalized = normalizeRows(testMatrix(4, rows, dim), rows, dim);
    const small = new WasmCosineKernel(new WebAssembly.Module(cosineKernelBytes()), undefined, 1);
    expect(() => small.block(normalized, rows, dim, 0, rows)).toThrow(WasmMemoryError);
    expect(() => small.block(normalized, rows, dim, 0, 99)).toThrow(RangeError);
  });

  it('repacks for another matrix, and for the same array rewritten before a new sweep', async () => {
    await initWasmCosine();
    const rows = 37;
    const dim = 384;
    const a = normalizeRows(testMatrix(1, rows, dim), rows, dim);
    const b = normalizeRows(testMatrix(2, rows, dim), rows, dim);
    const check = (m: Float32Array, start: number): void => {
      const fast = wasmCosineBlock(m, rows, dim, start, 4) as Float32Array;
      const twin = cpuCosineBlock(m, rows, dim, start, 4) as Float32Array;
      expect(worstRatio(fast, twin, norms(m, rows, dim), dim, start, 4, rows - start)).toBeLessThanOrEqual(1);
    };
    check(a, 0);
    check(b, 10);
    check(a, 20);
    a.set(b);
    check(a, 0);
    check(a, 8);
  });

  it('scores candidates through candidateCosines like the twin, gaps and missing codes included', async () => {
    const dim = 48;
    const names = Array.from({ length: 90 }, (_, i) => `C${i}`);
    const vectors = randomNormalMatrix(mulberry32(21), names.length, dim);
    // C7 has no vector; candidates are dense runs with holes, so both gather paths run.
    const keep = names.filter((name) => name !== 'C7');
    const embedding = { codes: keep, dim, vectors: Float32Array.from(keep.flatMap((name) => [...vectors.subarray(Number(name.slice(1)) * dim, (Number(name.slice(1)) + 1) * dim)])) };
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) if (i % 5 === 0 || (i + j) % 4 !== 0) { first.push(i); second.push(j); }
    }
    const candidates = { codeCount: names.length, first: Uint32Array.from(first), second: Uint32Array.from(second), length: first.length };
    for (const maxBlockBytes of [13 * 89 * 4, 16 * 1024 * 1024]) {
      const fast = await candidateCosines(embedding, names, candidates, { cosineBlock: wasmCosineBlock, maxBlockBytes });
      const twin = await candidateCosines(embedding, names, candidates, { maxBlockBytes });
      expect(fast.missingPairs).toBe(twin.missingPairs);
      expect(fast.missingPairs).toBe(first.filter((i, c) => i === 7 || second[c] === 7).length);
      let worst = 0;
      for (let c = 0; c < candidates.length; c++) worst = Math.max(worst, Math.abs(fast.scores[c] - twin.scores[c]));
      expect(worst).toBeLessThanOrEqual(tolerance(dim));
      expect(fast.scores.some((s) => s !== 0)).toBe(true);
    }
  });
});
