import { HIGH_BUCKETS, type RankingPasses } from '../forecast/ranking-passes';
import type { GroupWalk } from '../forecast/ranking-walk';
import { rankingKernelBytes } from './ranking-kernel';

/**
 * The WebAssembly backend of the radix AUC's per-score loops (see ranking-kernel.ts for the
 * loops, ranking-passes.ts for the contract). Each run gets its own instance and memory, so two
 * rankings interleaved on one thread (chunked runs awaiting between chunks) cannot clash; the
 * compiled module is shared. Scores and labels are copied into wasm memory in 64 K-score slices
 * (L2-sized, a memcpy each) for passes 1 and 2; the scattered lows live in wasm memory for pass 3.
 */

const STAGE = 1 << 16;
// Memory layout, in bytes.
const CELLS = 0;
const CURSOR = CELLS + 8 * HIGH_BUCKETS;
const COUNTS = CURSOR + 8 * HIGH_BUCKETS;
const STATE = COUNTS + 4 * HIGH_BUCKETS;
const STAGE_BITS = STATE + 64;
const STAGE_LABELS = STAGE_BITS + 4 * STAGE;
const SCATTERED = STAGE_LABELS + STAGE;
const PAGE = 64 * 1024;

interface RankingExports {
  cells(bits: number, labels: number, n: number, cells: number): number;
  scatter(bits: number, labels: number, n: number, cursor: number, out: number): void;
  countLows(neg: number, nNeg: number, pos: number, nPos: number, counts: number): void;
  scan(p: number, end: number, limit: number, state: number): number;
}

const modules = new Map<boolean, WebAssembly.Module>();
let wasmSupport: boolean | undefined;
let simdSupport: boolean | undefined;

/** Whether WebAssembly runs here at all (absent, e.g., in Safari's Lockdown Mode). */
export function wasmRankingSupported(): boolean {
  wasmSupport ??= typeof WebAssembly === 'object' && WebAssembly.validate(rankingKernelBytes(false));
  return wasmSupport;
}

function compiled(withSimd: boolean): WebAssembly.Module {
  let module = modules.get(withSimd);
  if (!module) {
    module = new WebAssembly.Module(rankingKernelBytes(withSimd));
    modules.set(withSimd, module);
  }
  return module;
}

function exportsOf(instance: WebAssembly.Instance): RankingExports {
  const { cells, scatter, countLows, scan } = instance.exports;
  if (typeof cells !== 'function' || typeof scatter !== 'function' || typeof countLows !== 'function' || typeof scan !== 'function') {
    throw new Error('ranking kernel: missing exports');
  }
  return {
    cells: cells as RankingExports['cells'],
    scatter: scatter as RankingExports['scatter'],
    countLows: countLows as RankingExports['countLows'],
    scan: scan as RankingExports['scan'],
  };
}

export class WasmRankingPasses implements RankingPasses {
  readonly cellSize: Uint32Array;
  readonly scattered: Uint16Array;
  private readonly kernel: RankingExports;
  private readonly heapU32: Uint32Array;
  private readonly heapU8: Uint8Array;

  /** `withSimd` undefined: SIMD where it validates. */
  constructor(private readonly bits: Uint32Array, private readonly labels: Uint8Array, withSimd?: boolean) {
    simdSupport ??= WebAssembly.validate(rankingKernelBytes(true));
    const useSimd = withSimd ?? simdSupport;
    const memory = new WebAssembly.Memory({ initial: Math.ceil((SCATTERED + 2 * bits.length + 16) / PAGE) });
    this.kernel = exportsOf(new WebAssembly.Instance(compiled(useSimd), { env: { memory } }));
    this.heapU32 = new Uint32Array(memory.buffer);
    this.heapU8 = new Uint8Array(memory.buffer);
    this.cellSize = new Uint32Array(memory.buffer, CELLS, 2 * HIGH_BUCKETS);
    this.scattered = new Uint16Array(memory.buffer, SCATTERED, bits.length);
  }

  count(start: number, end: number): boolean {
    let nan = false;
    for (let s = start; s < end; s += STAGE) {
      const n = this.stage(s, Math.min(end, s + STAGE));
      nan = this.kernel.cells(STAGE_BITS, STAGE_LABELS, n, CELLS) !== 0 || nan;
    }
    return nan;
  }

  startScatter(cellStart: Uint32Array): void {
    this.heapU32.set(cellStart.subarray(0, 2 * HIGH_BUCKETS), CURSOR / 4);
  }

  scatter(start: number, end: number): void {
    for (let s = start; s < end; s += STAGE) {
      const n = this.stage(s, Math.min(end, s + STAGE));
      this.kernel.scatter(STAGE_BITS, STAGE_LABELS, n, CURSOR, SCATTERED);
    }
  }

  /**
   * Counts the bucket in wasm, then lets `scan` run until a group of four keys reaches the walk's
   * limit; those four go through walk.group one by one, and the scan resumes after them.
   */
  walkPacked(walk: GroupWalk, negFrom: number, posFrom: number, posEnd: number, high: number): void {
    const { kernel, heapU32 } = this;
    kernel.countLows(SCATTERED + 2 * negFrom, posFrom - negFrom, SCATTERED + 2 * posFrom, posEnd - posFrom, COUNTS);
    const end = COUNTS + 4 * HIGH_BUCKETS;
    for (let p = COUNTS; ;) {
      const stop = kernel.scan(p, end, walk.limitAhead(), STATE);
      const carry = heapU32[STATE / 4];
      walk.settle(carry & 0xffff, carry >>> 16, heapU32[STATE / 4 + 1]);
      if (stop === end) return;
      for (let at = stop; at < stop + 16; at += 4) {
        const count = heapU32[at / 4];
        if (count === 0) continue;
        heapU32[at / 4] = 0;
        walk.group((high | ((at - COUNTS) / 4)) >>> 0, count >>> 16, count & 0xffff);
      }
      p = stop + 16;
    }
  }

  /** Copies scores [from, to) (≤ STAGE) and their labels into the staging area. */
  private stage(from: number, to: number): number {
    this.heapU32.set(this.bits.subarray(from, to), STAGE_BITS / 4);
    this.heapU8.set(this.labels.subarray(from, to), STAGE_LABELS);
    return to - from;
  }
}
