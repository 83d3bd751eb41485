/**
 * A minimal WebAssembly binary writer: just what the cosine and ranking kernels need (one
 * imported memory, i32 and v128 values, structured loops, SIMD f32x4 arithmetic).
 *
 * Why emit the binary from TypeScript instead of shipping a compiled .wasm: the module is a few
 * hundred bytes, so it needs no build step, no tool dependency and no asset fetch; it compiles
 * synchronously in a worker, in Node and in tests alike; and the kernel source stays readable
 * next to the code that calls it. Opcode numbers follow the WebAssembly core spec 2.0 (binary
 * format, §5.4) and the fixed-width SIMD proposal, now part of it.
 */

export type Bytes = number[];

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Core opcodes (one byte each). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load8U: 0x2d,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  i32Store16: 0x3b,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  /** The empty block type. */
  void: 0x40,
} as const;

/** SIMD opcodes, each emitted as 0xfd followed by the LEB128 number below. */
export const simd = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  i32x4ExtractLane: 0x1b,
  v128And: 0x4e,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4Mul: 0xb5,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
} as const;

/** Unsigned LEB128. */
export function uleb(value: number): Bytes {
  const out: Bytes = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): Bytes {
  const out: Bytes = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Helpers for writing one function body as a flat byte list. */
export class BodyWriter {
  readonly bytes: Bytes = [];

  emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  get(local: number): this {
    return this.emit(op.localGet, ...uleb(local));
  }

  set(local: number): this {
    return this.emit(op.localSet, ...uleb(local));
  }

  tee(local: number): this {
    return this.emit(op.localTee, ...uleb(local));
  }

  i32(value: number): this {
    return this.emit(op.i32Const, ...sleb(value));
  }

  /** `local += delta` for an i32 local. */
  addTo(local: number, delta: number): this {
    return this.get(local).i32(delta).emit(op.i32Add).set(local);
  }

  simd(opcode: number): this {
    return this.emit(0xfd, ...uleb(opcode));
  }

  /** A SIMD memory access: alignment hint as log2(bytes), then a constant byte offset. */
  simdMem(opcode: number, alignLog2: number, offset: number): this {
    return this.simd(opcode).emit(...uleb(alignLog2), ...uleb(offset));
  }

  v128Zero(): this {
    return this.simd(simd.v128Const).emit(...new Array<number>(16).fill(0));
  }

  /** i8x16.shuffle of the two vectors on the stack: byte i of the result is input byte lanes[i]. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new RangeError('a shuffle names 16 byte lanes');
    return this.simd(simd.i8x16Shuffle).emit(...lanes);
  }

  /** Plain memory access (load/store opcode) with an alignment hint (log2 bytes) and offset. */
  mem(opcode: number, alignLog2: number, offset: number): this {
    return this.emit(opcode, alignLog2, ...uleb(offset));
  }
}

export interface FunctionSpec {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals after the parameters, in declaration order. */
  locals: number[];
  body: BodyWriter;
}

function vector(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

function utf8(name: string): Bytes {
  const encoded = [...new TextEncoder().encode(name)];
  return [...uleb(encoded.length), ...encoded];
}

/** Groups consecutive equal local types, as the binary format declares them. */
function localDeclarations(locals: number[]): Bytes[] {
  const groups: Bytes[] = [];
  for (let i = 0; i < locals.length;) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    groups.push([...uleb(j - i), locals[i]]);
    i = j;
  }
  return groups;
}

/**
 * A module importing `env.memory` (so the caller owns and grows it) and exporting each
 * function under its name, one type per function.
 */
export function moduleBytes(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), ...vector(f.results.map((r) => [r]))]);
  const memoryImport = [...utf8('env'), ...utf8('memory'), 0x02, 0x00, ...uleb(1)];
  const bodies = functions.map((f) => {
    const code = [...vector(localDeclarations(f.locals)), ...f.body.bytes, op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}
