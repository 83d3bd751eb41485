import { BodyWriter, I32, moduleBytes, op, simd, V128, type FunctionSpec } from './wasm-binary';

/**
 * WebAssembly loops of the exact radix AUC (src/core/forecast/ranking.ts), one per hot pass.
 * They do what the JS backend in ranking-passes.ts does, to the bit; ranking.ts keeps the order
 * of passes, the bucket walk and all ROC / precision bookkeeping.
 *
 *   cells(bits, labels, n, cells) → nan    pass 1: cells[2·bucket + label]++; 1 if a NaN was seen
 *   scatter(bits, labels, n, cursor, out)  pass 2: out[cursor[cell]++] = low 16 bits (u16)
 *   countLows(neg, nNeg, pos, nPos, counts) pass 3: counts[low] += 1 per negative, 2¹⁶ per positive
 *   scan(p, end, limit, state) → stop      pass 3: walk a packed count table, see below
 *
 * Key of a float32 pattern x (see ranking.ts): -0 becomes +0, then x ^ ((x >> 31) | 2³¹); the
 * bucket is its high half, the low half its low 16 bits. Labels count as 1 when non-zero.
 *
 * `scan` reads the packed counts c = pos << 16 | neg of [p, end) four at a time (i32x4) and
 * accumulates, relative to where it started, the bucket's 2U share Σ pos·(2·negBefore + neg).
 * Packed counts add without carries (a packed table only serves buckets under 2¹⁶ scores), so one
 * in-register prefix sum of c gives both classes' running counts. It stops before the first group
 * of four whose end reaches `limit` ranks (where a ROC point or the top-k window may begin),
 * stores the packed totals and the 2U share at `state`, and returns where it stopped; ranking.ts
 * then walks those four keys one by one with the exact rules. Table entries it passes are zeroed.
 * Without SIMD the same function is emitted with scalar loads, four per step.
 */

const MINUS_ZERO = 0x80000000 | 0;

/** Pushes the cell index 2·bucket + label of the pattern in `x` (made +0 if it was -0). */
function pushCell(w: BodyWriter, x: number, labels: number): void {
  w.i32(0).get(x).get(x).i32(MINUS_ZERO).emit(op.i32Eq, op.select).set(x);
  w.get(x).get(x).i32(31).emit(op.i32ShrS).i32(MINUS_ZERO).emit(op.i32Or, op.i32Xor).i32(16).emit(op.i32ShrU).i32(1).emit(op.i32Shl);
  w.get(labels).mem(op.i32Load8U, 0, 0).i32(0).emit(op.i32Ne, op.i32Or);
}

/** Shared loop frame for cells/scatter: params (bits, labels, n, …), runs `body` per score. */
function perScore(w: BodyWriter, end: number, body: () => void): void {
  const BITS = 0;
  const LABELS = 1;
  const N = 2;
  w.get(BITS).get(N).i32(2).emit(op.i32Shl, op.i32Add).set(end);
  w.emit(op.block, op.void).get(N).emit(op.i32Eqz, op.brIf, 0);
  w.emit(op.loop, op.void);
  body();
  w.addTo(BITS, 4).addTo(LABELS, 1);
  w.get(BITS).get(end).emit(op.i32Ne, op.brIf, 0);
  w.emit(op.end, op.end);
}

function cellsFunction(): FunctionSpec {
  // params bits 0, labels 1, n 2, cells 3; locals end 4, x 5, nan 6, at 7
  const w = new BodyWriter();
  perScore(w, 4, () => {
    w.get(0).mem(op.i32Load, 2, 0).set(5);
    w.get(6).get(5).i32(0x7fffffff).emit(op.i32And).i32(0x7f800000).emit(op.i32GtS, op.i32Or).set(6);
    pushCell(w, 5, 1);
    w.i32(2).emit(op.i32Shl).get(3).emit(op.i32Add).tee(7);
    w.get(7).mem(op.i32Load, 2, 0).i32(1).emit(op.i32Add).mem(op.i32Store, 2, 0);
  });
  w.get(6);
  return { name: 'cells', params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32], body: w };
}

function scatterFunction(): FunctionSpec {
  // params bits 0, labels 1, n 2, cursor 3, out 4; locals end 5, x 6, at 7, slot 8
  const w = new BodyWriter();
  perScore(w, 5, () => {
    w.get(0).mem(op.i32Load, 2, 0).set(6);
    pushCell(w, 6, 1);
    w.i32(2).emit(op.i32Shl).get(3).emit(op.i32Add).tee(7).mem(op.i32Load, 2, 0).set(8);
    // out[slot] = (x ^ (x >> 31)) & 0xffff, x already made +0 by pushCell
    w.get(8).i32(1).emit(op.i32Shl).get(4).emit(op.i32Add);
    w.get(6).get(6).i32(31).emit(op.i32ShrS, op.i32Xor).mem(op.i32Store16, 1, 0);
    w.get(7).get(8).i32(1).emit(op.i32Add).mem(op.i32Store, 2, 0);
  });
  return { name: 'scatter', params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32], body: w };
}

function countLowsFunction(): FunctionSpec {
  // params neg 0, nNeg 1, pos 2, nPos 3, counts 4; locals end 5, at 6
  const w = new BodyWriter();
  for (const [ptr, n, step] of [[0, 1, 1], [2, 3, 0x10000]] as const) {
    w.get(ptr).get(n).i32(1).emit(op.i32Shl, op.i32Add).set(5);
    w.emit(op.block, op.void).get(n).emit(op.i32Eqz, op.brIf, 0);
    w.emit(op.loop, op.void);
    w.get(ptr).mem(op.i32Load16U, 1, 0).i32(2).emit(op.i32Shl).get(4).emit(op.i32Add).tee(6);
    w.get(6).mem(op.i32Load, 2, 0).i32(step).emit(op.i32Add).mem(op.i32Store, 2, 0);
    w.addTo(ptr, 2).get(ptr).get(5).emit(op.i32Ne, op.brIf, 0);
    w.emit(op.end, op.end);
  }
  return { name: 'countLows', params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32], body: w };
}

/** Byte lanes of i8x16.shuffle(a, zero) moving i32 lanes up by `by` (zeros shifted in). */
function shiftUp(by: number): number[] {
  const lanes: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    for (let byte = 0; byte < 4; byte++) lanes.push(lane < by ? 16 + byte : (lane - by) * 4 + byte);
  }
  return lanes;
}

const BROADCAST_LANE_3 = [12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15];

function simdScanFunction(): FunctionSpec {
  // params p 0, end 1, limit 2, state 3; i32 locals c 4, inner 5; v128 locals v 6, inc 7,
  // carry 8, next 9, acc 10, zero 11, mask 12
  const [P, END, LIMIT, STATE, C, INNER, V, INC, CARRY, NEXT, ACC, ZERO, MASK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const w = new BodyWriter();
  w.i32(0xffff).simd(simd.i32x4Splat).set(MASK);
  w.emit(op.block, op.void).emit(op.loop, op.void);
  w.get(P).get(END).emit(op.i32Eq, op.brIf, 1);
  w.get(P).simdMem(simd.v128Load, 4, 0).set(V);
  // inclusive prefix of the packed counts: [c0, c0+c1, c0+c1+c2, c0+…+c3]
  w.get(V).get(V).get(ZERO).shuffle(shiftUp(1)).simd(simd.i32x4Add).set(INC);
  w.get(INC).get(INC).get(ZERO).shuffle(shiftUp(2)).simd(simd.i32x4Add).set(INC);
  w.get(CARRY).get(INC).get(INC).shuffle(BROADCAST_LANE_3).simd(simd.i32x4Add).set(NEXT);
  // ranks seen by the end of these four: pos + neg of the new carry; stop if the limit is reached
  w.get(NEXT).simd(simd.i32x4ExtractLane).emit(0).set(C);
  w.get(C).i32(16).emit(op.i32ShrU).get(C).i32(0xffff).emit(op.i32And, op.i32Add).get(LIMIT).emit(op.i32GeS, op.brIf, 1);
  // acc += pos · (2·negBefore + neg), negBefore = low half of (carry + exclusive prefix)
  w.get(ACC).get(V).i32(16).simd(simd.i32x4ShrU);
  w.get(CARRY).get(INC).get(ZERO).shuffle(shiftUp(1)).simd(simd.i32x4Add).get(MASK).simd(simd.v128And).i32(1).simd(simd.i32x4Shl);
  w.get(V).get(MASK).simd(simd.v128And).simd(simd.i32x4Add).simd(simd.i32x4Mul).simd(simd.i32x4Add).set(ACC);
  w.get(NEXT).set(CARRY);
  w.get(P).get(ZERO).simdMem(simd.v128Store, 4, 0);
  w.addTo(P, 16).emit(op.br, 0);
  w.emit(op.end, op.end);
  w.get(STATE).get(CARRY).simd(simd.i32x4ExtractLane).emit(0).mem(op.i32Store, 2, 0);
  for (let lane = 0; lane < 4; lane++) {
    w.get(ACC).simd(simd.i32x4ExtractLane).emit(lane);
    if (lane > 0) w.emit(op.i32Add);
  }
  w.set(INNER).get(STATE).get(INNER).mem(op.i32Store, 2, 4);
  w.get(P);
  return { name: 'scan', params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, V128, V128, V128, V128, V128, V128, V128], body: w };
}

function scalarScanFunction(): FunctionSpec {
  // params p 0, end 1, limit 2, state 3; locals carry 4, inner 5, k 6, c 7, total 8
  const [P, END, LIMIT, STATE, CARRY, INNER, C, TOTAL] = [0, 1, 2, 3, 4, 5, 7, 8];
  const w = new BodyWriter();
  w.emit(op.block, op.void).emit(op.loop, op.void);
  w.get(P).get(END).emit(op.i32Eq, op.brIf, 1);
  // total of the four packed counts, then the same stop test as the SIMD scan
  w.get(CARRY);
  for (let k = 0; k < 4; k++) w.get(P).mem(op.i32Load, 2, 4 * k).emit(op.i32Add);
  w.set(TOTAL);
  w.get(TOTAL).i32(16).emit(op.i32ShrU).get(TOTAL).i32(0xffff).emit(op.i32And, op.i32Add).get(LIMIT).emit(op.i32GeS, op.brIf, 1);
  for (let k = 0; k < 4; k++) {
    w.get(P).mem(op.i32Load, 2, 4 * k).set(C);
    // inner += pos · (2·negBefore + neg); carry += c
    w.get(INNER).get(C).i32(16).emit(op.i32ShrU);
    w.get(CARRY).i32(0xffff).emit(op.i32And).i32(1).emit(op.i32Shl).get(C).i32(0xffff).emit(op.i32And, op.i32Add);
    w.emit(op.i32Mul, op.i32Add).set(INNER);
    w.get(CARRY).get(C).emit(op.i32Add).set(CARRY);
    w.get(P).i32(0).mem(op.i32Store, 2, 4 * k);
  }
  w.addTo(P, 16).emit(op.br, 0);
  w.emit(op.end, op.end);
  w.get(STATE).get(CARRY).mem(op.i32Store, 2, 0);
  w.get(STATE).get(INNER).mem(op.i32Store, 2, 4);
  w.get(P);
  return { name: 'scan', params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32, I32], body: w };
}

/** The ranking module; `withSimd` false gives the scalar scan for engines without SIMD. */
export function rankingKernelBytes(withSimd: boolean): Uint8Array<ArrayBuffer> {
  return moduleBytes([cellsFunction(), scatterFunction(), countLowsFunction(), withSimd ? simdScanFunction() : scalarScanFunction()]);
}
