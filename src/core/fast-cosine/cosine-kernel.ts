import { BodyWriter, I32, moduleBytes, op, simd, V128, type FunctionSpec } from './wasm-binary';

/**
 * The register-blocked dot-product micro-kernel, emitted as WebAssembly SIMD.
 *
 * One call computes an R × W tile of dot products for each of `panels` consecutive panels:
 *   - A is one tile of R rows packed "d-major": for d = 0..dimP-1 the R values a[0..R-1][d] are
 *     adjacent, so each is a `v128.load32_splat` at a constant offset from one pointer;
 *   - B is packed in panels of W = 4·V rows, each d-major too: the W values b[0..W-1][d] are V
 *     adjacent f32x4 vectors, loaded once per d and reused by all R rows;
 *   - R·V f32x4 accumulators stay in registers for the whole dot product. V8's optimising
 *     compiler issues a step's loads first, so R = 4, V = 2 holds 8 accumulators + 2 B vectors +
 *     4 splats + 1 product = 15 of the 15 XMM registers it allocates on x86-64: nothing spills,
 *     and per d there are 6 loads for 8 multiplies and 8 adds (2 FP pipes each: 4 cycles per step,
 *     the non-FMA peak). Measured on Zen 4 (GFLOP/s of the kernel alone): 4×8 ≈ 46; unrolling d
 *     by 2–8, or 3×16 / 4×12 / 6×8 tiles, spill and run 15–40 % slower; relaxed-SIMD FMA (not on
 *     by default in Node 20) gained only ~17 %, so it is not used.
 *
 * Every output lane is a plain sequential f32 sum over d = 0, 1, …, dimP−1 of a[d]·b[d], with no
 * fused multiply-add and no re-association. Two consequences the caller relies on: (i) the result
 * for (i, j) is bit-identical to the one for (j, i), so only the upper triangle is computed; and
 * (ii) the error against the exact dot product is within the textbook bound for recursive
 * summation, |err| ≤ γ_dim · Σ|a_d·b_d| with γ_n = n·u/(1 − n·u), u = 2⁻²⁴.
 *
 * Zero padding (rows beyond the matrix, d beyond dim) adds exact zeros, which change no sum.
 */
export interface KernelShape {
  /** Rows of A per tile. */
  rows: number;
  /** f32x4 vectors per B panel: the panel is 4·vectors rows wide. */
  vectors: number;
  /** d-steps per loop iteration; the packed dim is padded to a multiple of it. */
  unroll: number;
}

export const DEFAULT_SHAPE: KernelShape = { rows: 4, vectors: 2, unroll: 1 };

/** Parameters of the exported `tiles` function, in order. */
const PA = 0; // packed A tile (byte address)
const PB = 1; // first B panel (byte address); panels follow each other
const PANELS = 2; // number of panels, ≥ 1
const OUT = 3; // output address of tile element (0, 0) for the first panel
const STRIDE = 4; // bytes between output rows
const DIMP = 5; // padded dim, a positive multiple of `unroll`

function tilesFunction(shape: KernelShape): FunctionSpec {
  const { rows: R, vectors: V, unroll: U } = shape;
  const W = 4 * V;
  const a = 6;
  const aEnd = 7;
  const o = 8;
  const acc = (r: number, v: number): number => 9 + r * V + v;
  const bVec = (v: number): number => 9 + R * V + v;
  const splat = 9 + R * V + V;
  const w = new BodyWriter();

  // aEnd = pa + dimP·R·4: the A pointer walks the packed tile once per panel.
  w.get(PA).get(DIMP).i32(R * 4).emit(op.i32Mul, op.i32Add).set(aEnd);
  w.emit(op.loop, op.void); // per panel
  for (let r = 0; r < R; r++) for (let v = 0; v < V; v++) w.v128Zero().set(acc(r, v));
  w.get(PA).set(a);
  w.emit(op.loop, op.void); // per U d-steps
  for (let k = 0; k < U; k++) {
    for (let v = 0; v < V; v++) w.get(PB).simdMem(simd.v128Load, 4, (k * W + 4 * v) * 4).set(bVec(v));
    for (let r = 0; r < R; r++) {
      w.get(a).simdMem(simd.v128Load32Splat, 2, (k * R + r) * 4).set(splat);
      for (let v = 0; v < V; v++) {
        w.get(acc(r, v)).get(splat).get(bVec(v)).simd(simd.f32x4Mul).simd(simd.f32x4Add).set(acc(r, v));
      }
    }
  }
  w.addTo(a, U * R * 4).addTo(PB, U * W * 4);
  w.get(a).get(aEnd).emit(op.i32Ne, op.brIf, 0);
  w.emit(op.end);
  // Store the R × W tile, one row of V vectors at a time.
  w.get(OUT).set(o);
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) w.get(o).get(acc(r, v)).simdMem(simd.v128Store, 4, 16 * v);
    if (r < R - 1) w.get(o).get(STRIDE).emit(op.i32Add).set(o);
  }
  w.addTo(OUT, W * 4);
  w.get(PANELS).i32(1).emit(op.i32Sub).tee(PANELS).emit(op.brIf, 0);
  w.emit(op.end);

  return {
    name: 'tiles',
    params: [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, ...new Array<number>(R * V + V + 1).fill(V128)],
    body: w,
  };
}

/** The module's bytes: imports `env.memory`, exports `tiles(pa, pb, panels, out, stride, dimP)`. */
export function cosineKernelBytes(shape: KernelShape = DEFAULT_SHAPE): Uint8Array<ArrayBuffer> {
  return moduleBytes([tilesFunction(shape)]);
}
