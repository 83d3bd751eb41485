import { describe, expect, it } from 'vitest';
import { wasmCosineBlock, wasmCosineSupported } from '../../src/core/fast-cosine/wasm-cosine';
import { pairCosines, pairCosinesF32 } from '../../src/core/pair-cosine';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { normalizeRows } from '../../src/core/similarity';

describe.skipIf(!wasmCosineSupported())('pairCosinesF32', () => {
  for (const [rows, dim] of [[3, 1], [37, 5], [130, 384], [9, 13]] as const) {
    it(`equals the WebAssembly SIMD block kernel to the bit (${rows} rows × ${dim})`, () => {
      const x = normalizeRows(randomNormalMatrix(mulberry32(rows * dim), rows, dim), rows, dim);
      const block = wasmCosineBlock(x, rows, dim, 0, rows) as Float32Array;
      const first: number[] = [];
      const second: number[] = [];
      for (let i = 0; i < rows; i++) for (let j = i; j < rows; j++) { first.push(i); second.push(j); }
      const f32 = pairCosinesF32(x, rows, dim, Uint32Array.from(first), Uint32Array.from(second));
      const expected = Float32Array.from(first, (i, p) => block[i * rows + second[p]]);
      expect(Array.from(f32)).toEqual(Array.from(expected));
      // and it is a cosine: within f32 rounding of the f64-accumulated twin
      const twin = pairCosines(x, rows, dim, Uint32Array.from(first), Uint32Array.from(second));
      f32.forEach((v, p) => expect(Math.abs(v - twin[p])).toBeLessThan((dim + 1) * 2 ** -23));
    });
  }
});
