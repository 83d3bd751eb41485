// cosine_tile.wgsl: scores[i][j] = dot(a[a_row_offset + i], b[j]) for one block of rows of `a`
// against every row of `b`. With unit-norm rows (normalize_rows.wgsl) these are cosine
// similarities. CPU twin: cosineBlock in src/core/similarity.ts. Runner:
// src/gpu/kernels/cosine-tile.ts.
//
// Entry point: cosine_tile, @workgroup_size(8, 8); each invocation computes a 4×4 block of
// scores, so a workgroup covers a 32×32 tile (32 columns of b in x, 32 rows of a in y).
// Bindings (group 0):
//   0 a       array<vec4<f32>>, read. Rows of vec4s_per_row vec4s (dimension zero-padded to 4).
//   1 b       array<vec4<f32>>, read. Same row layout; may be the same buffer as `a`.
//   2 scores  array<f32>, read_write. a_rows × b_rows, row-major, row stride b_rows.
//   3 params  Params (uniform). The runner reads its layout and the binding numbers from this file.
// Dispatch: (ceil(b_rows / 32), ceil(a_rows / 32)).
//
// Design:
// - Register blocking instead of workgroup-memory tiling: each vec4 of `a` is reused against
//   four rows of `b` and vice versa (4 loads feed 16 dot products, all in registers), and there
//   are no barriers. On SwiftShader this layout measured ~10× faster than a shared-memory
//   tiled kernel; on discrete GPUs the caches give most of the reuse tiling would.
// - Both operands are read along rows ("A·Bᵀ"), so no transposed copy of the vectors is needed
//   and one normalised buffer can serve as both `a` and `b`.
// - Edge blocks clamp their loads to the last valid row/column instead of branching in the hot
//   loop, and skip the stores that fall outside; so any a_rows and b_rows work, not only
//   multiples of 4 or 32.
// - a_row_offset selects the block's rows inside a buffer holding all rows, because storage
//   binding offsets must be 256-byte aligned and a row block usually is not.

struct Params {
  a_row_offset: u32,
  a_rows: u32,
  b_rows: u32,
  vec4s_per_row: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> scores: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// Scores per invocation along each axis, and invocations per workgroup along each axis. The
// runner reads both from this file to size its dispatch: a tile is BLOCK × WORKGROUP_EDGE = 32.
const BLOCK: u32 = 4u;
const WORKGROUP_EDGE: u32 = 8u;

fn store_row(row: u32, col0: u32, values: vec4<f32>) {
  if (row >= params.a_rows) {
    return;
  }
  let base = row * params.b_rows + col0;
  for (var j = 0u; j < BLOCK; j++) {
    if (col0 + j < params.b_rows) {
      scores[base + j] = values[j];
    }
  }
}

@compute @workgroup_size(WORKGROUP_EDGE, WORKGROUP_EDGE)
fn cosine_tile(@builtin(global_invocation_id) global_id: vec3<u32>) {
  let col0 = global_id.x * BLOCK;
  let row0 = global_id.y * BLOCK;
  if (col0 >= params.b_rows || row0 >= params.a_rows) {
    return;
  }
  let stride = params.vec4s_per_row;
  let last_col = params.b_rows - 1u;
  let last_row = params.a_rows - 1u;

  let b0 = min(col0, last_col) * stride;
  let b1 = min(col0 + 1u, last_col) * stride;
  let b2 = min(col0 + 2u, last_col) * stride;
  let b3 = min(col0 + 3u, last_col) * stride;
  let a0 = (params.a_row_offset + min(row0, last_row)) * stride;
  let a1 = (params.a_row_offset + min(row0 + 1u, last_row)) * stride;
  let a2 = (params.a_row_offset + min(row0 + 2u, last_row)) * stride;
  let a3 = (params.a_row_offset + min(row0 + 3u, last_row)) * stride;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < stride; k++) {
    let bv0 = b[b0 + k];
    let bv1 = b[b1 + k];
    let bv2 = b[b2 + k];
    let bv3 = b[b3 + k];
    let av0 = a[a0 + k];
    let av1 = a[a1 + k];
    let av2 = a[a2 + k];
    let av3 = a[a3 + k];
    acc0 += vec4<f32>(dot(av0, bv0), dot(av0, bv1), dot(av0, bv2), dot(av0, bv3));
    acc1 += vec4<f32>(dot(av1, bv0), dot(av1, bv1), dot(av1, bv2), dot(av1, bv3));
    acc2 += vec4<f32>(dot(av2, bv0), dot(av2, bv1), dot(av2, bv2), dot(av2, bv3));
    acc3 += vec4<f32>(dot(av3, bv0), dot(av3, bv1), dot(av3, bv2), dot(av3, bv3));
  }

  store_row(row0, col0, acc0);
  store_row(row0 + 1u, col0, acc1);
  store_row(row0 + 2u, col0, acc2);
  store_row(row0 + 3u, col0, acc3);
}
