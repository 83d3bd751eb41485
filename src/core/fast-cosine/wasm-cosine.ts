import { cpuCosineBlock, type CosineBlockFn } from '../forecast/candidate-cosine';
import { assertMatrix } from '../similarity';
import { cosineKernelBytes, DEFAULT_SHAPE, type KernelShape } from './cosine-kernel';

/**
 * The fast CPU backend of the forecast's block scorer: the same contract as `cpuCosineBlock`
 * (rows [blockStart, blockStart + blockRows) of unit rows against rows [blockStart, rows)), on
 * the WebAssembly SIMD micro-kernel of cosine-kernel.ts.
 *
 * - All rows are packed d-major into B panels once per matrix (see {@link WasmCosineKernel.block});
 *   each call packs only its own A rows.
 * - The kernel runs over L2-sized chunks of panels, so every A tile reads B from L2, not memory.
 * - Tiles wholly below the diagonal are skipped and filled afterwards by symmetry (the kernel's
 *   (i, j) and (j, i) results are bit-identical), which saves the lower half of every block's
 *   leading square; the padded result is then copied out row by row.
 *
 * Works wherever WebAssembly SIMD does: Node ≥ 16.4, Chrome/Edge ≥ 91, Firefox ≥ 89,
 * Safari ≥ 16.4, i.e. every WebGPU-era browser; in a worker and in Node it loads synchronously.
 */

const F32 = 4;
/** B bytes per chunk: 32 panels × (8 rows × 384 dims × 4 B) = 384 KiB, well inside a 1 MiB L2. */
const L2_BYTES = 384 * 1024;
/** Cap on the padded output scratch inside wasm memory; the result is copied out per group. */
const SCRATCH_BYTES = 16 * 1024 * 1024;
const PAGE = 64 * 1024;

type TilesFn = (pa: number, pb: number, panels: number, out: number, stride: number, dimP: number) => void;

/** The kernel's memory could not grow to what a block needs (address space, or the 4 GiB of wasm32). */
export class WasmMemoryError extends Error {
  constructor(readonly bytes: number, cause: unknown) {
    super(`WebAssembly memory cannot grow to ${bytes} bytes`, { cause });
    this.name = 'WasmMemoryError';
  }
}

/** Which matrix the packed B panels in memory hold. */
interface PackedMatrix {
  matrix: Float32Array;
  rows: number;
  dim: number;
  fingerprint: number;
}

/** One instantiated kernel with its own memory. Not reentrant; one per thread. */
export class WasmCosineKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly tiles: TilesFn;
  private heap: Float32Array;
  private packed: PackedMatrix | undefined;

  /** `maximumPages` caps the memory (64 KiB pages), as a tab short of address space would. */
  constructor(module: WebAssembly.Module, readonly shape: KernelShape = DEFAULT_SHAPE, maximumPages?: number) {
    this.memory = new WebAssembly.Memory(maximumPages === undefined ? { initial: 1 } : { initial: 1, maximum: maximumPages });
    this.heap = new Float32Array(this.memory.buffer);
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    const tiles = instance.exports.tiles;
    if (typeof tiles !== 'function') throw new Error('cosine kernel: missing export "tiles"');
    this.tiles = tiles as TilesFn;
  }

  /**
   * CosineBlockFn contract, synchronously. A sweep over a matrix (candidateCosines: blocks from
   * blockStart 0 up, ~16 per embedding) packs all its rows into B panels once, at its first
   * block, and reuses them for the later blocks: packing is a strided transpose, ~10× a memcpy,
   * and per block it would cost ~6 % of the run. Panels are repacked at every blockStart 0 and
   * whenever the array object, its shape or a sample of its values differ, so the one thing not
   * to do is rewrite `normalized` in place in the middle of a sweep.
   * Every element of the result is written, so `out` may hold anything.
   */
  block(normalized: Float32Array, rows: number, dim: number, blockStart: number, blockRows: number, out?: Float32Array): Float32Array {
    assertMatrix('normalized', normalized, rows, dim);
    if (!Number.isInteger(blockStart) || !Number.isInteger(blockRows) || blockStart < 0 || blockRows < 0 || blockStart + blockRows > rows) {
      throw new RangeError(`block [${blockStart}, ${blockStart + blockRows}) is outside ${rows} rows`);
    }
    const width = rows - blockStart;
    if (out !== undefined && out.length !== blockRows * width) {
      throw new RangeError(`out holds ${out.length} values but the block needs ${blockRows * width}`);
    }
    const result = out ?? new Float32Array(blockRows * width);
    if (blockRows === 0 || dim === 0) return result.fill(0);

    const { rows: R, vectors, unroll } = this.shape;
    const W = 4 * vectors;
    const dimP = Math.ceil(dim / unroll) * unroll;
    // B panels cover all rows on a grid from row 0; the block's columns start `shift` into panel p0.
    const allPanels = Math.ceil(rows / W);
    const p0 = Math.floor(blockStart / W);
    const shift = blockStart - p0 * W;
    const panels = allPanels - p0;
    const paddedWidth = panels * W;
    const tiles = Math.ceil(blockRows / R);
    const groupTiles = Math.max(1, Math.min(tiles, Math.floor(SCRATCH_BYTES / (R * paddedWidth * F32))));
    const chunkPanels = Math.max(1, Math.floor(L2_BYTES / (dimP * W * F32)));
    // Layout (f32 elements): packed B (all rows) | packed A (this block) | output scratch.
    const aBase = allPanels * dimP * W;
    const outBase = aBase + tiles * dimP * R;
    this.reserve((outBase + groupTiles * R * paddedWidth) * F32);
    if (blockStart === 0 || !this.holds(normalized, rows, dim)) {
      this.pack(normalized, dim, 0, rows, W, dimP, 0);
      this.packed = { matrix: normalized, rows, dim, fingerprint: fingerprint(normalized) };
    }
    this.pack(normalized, dim, blockStart, blockRows, R, dimP, aBase);

    const heap = this.heap;
    const panelBytes = dimP * W * F32;
    const tileBytes = dimP * R * F32;
    for (let g0 = 0; g0 < tiles; g0 += groupTiles) {
      const g1 = Math.min(tiles, g0 + groupTiles);
      for (let c0 = 0; c0 < panels; c0 += chunkPanels) {
        const c1 = Math.min(panels, c0 + chunkPanels);
        for (let t = g0; t < g1; t++) {
          // Panels wholly left of the tile's first row lie below the diagonal: mirrored later.
          const first = Math.max(c0, Math.floor((blockStart + R * t) / W) - p0);
          if (first >= c1) continue;
          this.tiles(
            aBase * F32 + t * tileBytes,
            (p0 + first) * panelBytes,
            c1 - first,
            (outBase + (t - g0) * R * paddedWidth + first * W) * F32,
            paddedWidth * F32,
            dimP,
          );
        }
      }
      const rowEnd = Math.min(blockRows, g1 * R);
      for (let r = g0 * R; r < rowEnd; r++) {
        const from = outBase + (r - g0 * R) * paddedWidth + shift;
        result.set(heap.subarray(from, from + width), r * width);
      }
    }
    mirrorLowerTriangle(result, blockRows, width);
    return result;
  }

  private holds(matrix: Float32Array, rows: number, dim: number): boolean {
    const packed = this.packed;
    return packed !== undefined && packed.matrix === matrix && packed.rows === rows && packed.dim === dim
      && packed.fingerprint === fingerprint(matrix);
  }

  /**
   * Packs `count` rows from `start` d-major in groups of `group` rows: element (row j, d) goes to
   * base + ⌊j/group⌋·dimP·group + d·group + j mod group. Padding rows and dims are zeroed.
   */
  private pack(src: Float32Array, dim: number, start: number, count: number, group: number, dimP: number, base: number): void {
    const heap = this.heap;
    const groups = Math.ceil(count / group);
    const groupSize = dimP * group;
    if (count % group !== 0) heap.fill(0, base + (groups - 1) * groupSize, base + groups * groupSize);
    if (dimP > dim) {
      for (let g = 0; g < groups; g++) heap.fill(0, base + g * groupSize + dim * group, base + (g + 1) * groupSize);
    }
    for (let j = 0; j < count; j++) {
      const g = Math.floor(j / group);
      const dst = base + g * groupSize + (j - g * group);
      const from = (start + j) * dim;
      for (let d = 0; d < dim; d++) heap[dst + d * group] = src[from + d];
    }
  }

  /** Grows memory to `bytes`; growing moves nothing, but the heap view must be renewed. */
  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      try {
        this.memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch (error) {
        throw new WasmMemoryError(bytes, error);
      }
    }
    if (this.heap.buffer !== this.memory.buffer) this.heap = new Float32Array(this.memory.buffer);
  }
}

/** A hash of 64 evenly spaced values' bits: catches an array reused with new contents. */
function fingerprint(matrix: Float32Array): number {
  const bits = new Uint32Array(matrix.buffer, matrix.byteOffset, matrix.length);
  let hash = matrix.length;
  if (bits.length === 0) return hash;
  for (let i = 0; i < 64; i++) {
    hash = Math.imul(hash ^ bits[Math.floor((i * (bits.length - 1)) / 63)], 0x9e3779b1);
  }
  return hash;
}

/** Fills entries (r, j), j < r, of the block's leading square from (j, r). */
function mirrorLowerTriangle(out: Float32Array, blockRows: number, width: number): void {
  for (let r = 1; r < blockRows; r++) {
    const row = r * width;
    for (let j = 0; j < r; j++) out[row + j] = out[j * width + r];
  }
}

let compiled: WebAssembly.Module | undefined;
let shared: WasmCosineKernel | undefined;

/** Whether this engine runs WebAssembly SIMD (the module validates). Cheap; no compile. */
export function wasmCosineSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(cosineKernelBytes());
}

/**
 * This thread's kernel, compiled synchronously on first use. Fine in workers and Node; on a
 * browser main thread call {@link initWasmCosine} first, which compiles asynchronously.
 * Throws when WebAssembly SIMD is missing (check {@link wasmCosineSupported}).
 */
export function wasmCosineKernel(): WasmCosineKernel {
  compiled ??= new WebAssembly.Module(cosineKernelBytes());
  shared ??= new WasmCosineKernel(compiled);
  return shared;
}

/** Explicit async init: compiles off the critical path, then the sync entry points are ready. */
export async function initWasmCosine(): Promise<WasmCosineKernel> {
  compiled ??= await WebAssembly.compile(cosineKernelBytes());
  return wasmCosineKernel();
}

/**
 * Drop-in CosineBlockFn for candidateCosines: `{ cosineBlock: wasmCosineBlock }`. Should the
 * kernel's memory be refused (a tab short of address space), that block is scored by the twin.
 */
export const wasmCosineBlock: CosineBlockFn = (normalized, rows, dim, blockStart, blockRows, out) => {
  try {
    return wasmCosineKernel().block(normalized, rows, dim, blockStart, blockRows, out);
  } catch (error) {
    if (error instanceof WasmMemoryError) return cpuCosineBlock(normalized, rows, dim, blockStart, blockRows);
    throw error;
  }
};

/**
 * The CPU scorer an engine should pass as `cosineBlock` when it has no GPU: wasmCosineBlock where
 * WebAssembly SIMD validates, else the JS twin cpuCosineBlock.
 */
export function fastCpuCosineBlock(): CosineBlockFn {
  return wasmCosineSupported() ? wasmCosineBlock : cpuCosineBlock;
}
