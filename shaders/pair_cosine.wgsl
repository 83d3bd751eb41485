// pair_cosine.wgsl: cosines[p] = dot(rows[first[p]], rows[second[p]]) for a list of row pairs.
// With unit-norm rows these are cosine similarities. CPU twin: pairCosines in
// src/core/pair-cosine.ts. Runners: src/gpu/kernels/pair-cosine.ts (one dispatch) and
// src/gpu/forecast-cosine.ts (chunks of pairs).
//
// Entry point: pair_cosine, @workgroup_size(64); each invocation scores PAIRS_PER_INVOCATION (4)
// consecutive pairs.
// Bindings (group 0):
//   0 rows     array<vec4<f32>>, read. Rows of vec4s_per_row vec4s (dimension zero-padded to 4).
//   1 first    array<u32>, read. Row index of each pair's first member.
//   2 second   array<u32>, read. Row index of each pair's second member.
//   3 cosines  array<f32>, read_write. One score per pair, in pair order.
//   4 params   Params (uniform). The runner reads its layout and the binding numbers from this file.
// Dispatch: ceil(ceil(pair_count / 4) / 64) workgroups, wrapped into y above
// maxComputeWorkgroupsPerDimension, so the linear invocation id is rebuilt from workgroup_id.
//
// Design:
// - The forecast needs the cosines of its candidate pairs only, a subset of the upper triangle
//   (pairs never combined before). Gathering them by index writes and reads back 4 bytes per
//   candidate, where the dense cosine_tile blocks wrote every pair of the triangle.
// - first and second are separate arrays so the runner can upload slices of the candidate lists
//   the forecast already holds, without interleaving them into a new array.
// - Four consecutive pairs per invocation: the forecast's candidates are sorted by first code, so
//   the four usually share their first row, which is then loaded once for four dot products (the
//   register reuse cosine_tile gets from its 4×4 blocks). When they do not, each pair loads both
//   rows. No workgroup memory: the rows (a few thousand codes × dim) stay in cache.
// - Accumulation as in cosine_tile.wgsl (a sum of vec4 dot products in f32), so both GPU paths
//   give the same value for a pair; the CPU twin accumulates in f64 and agrees to f32 rounding.
// - Indices are checked by the runner before upload (the CPU twin throws on the same ones); a
//   pair outside the rows scores 0 here, so a stale buffer cannot read out of range.

struct Params {
  pair_count: u32,
  row_count: u32,
  vec4s_per_row: u32,
}

@group(0) @binding(0) var<storage, read> rows: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> first: array<u32>;
@group(0) @binding(2) var<storage, read> second: array<u32>;
@group(0) @binding(3) var<storage, read_write> cosines: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

const WORKGROUP_SIZE: u32 = 64u;
const PAIRS_PER_INVOCATION: u32 = 4u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn pair_cosine(
  @builtin(workgroup_id) workgroup_id: vec3<u32>,
  @builtin(num_workgroups) num_workgroups: vec3<u32>,
  @builtin(local_invocation_index) local_index: u32,
) {
  let invocation = (workgroup_id.y * num_workgroups.x + workgroup_id.x) * WORKGROUP_SIZE + local_index;
  let start = invocation * PAIRS_PER_INVOCATION;
  if (start >= params.pair_count) {
    return;
  }
  // The last invocation may hold fewer than four pairs: it repeats the last one, stores fewer.
  let last = params.pair_count - 1u;
  var i: array<u32, PAIRS_PER_INVOCATION>;
  var j: array<u32, PAIRS_PER_INVOCATION>;
  var valid = vec4<bool>(true);
  for (var t = 0u; t < PAIRS_PER_INVOCATION; t++) {
    let pair = min(start + t, last);
    i[t] = first[pair];
    j[t] = second[pair];
    if (i[t] >= params.row_count || j[t] >= params.row_count) {
      valid[t] = false;
      i[t] = 0u;
      j[t] = 0u;
    }
  }
  let stride = params.vec4s_per_row;
  var sums = vec4<f32>(0.0);
  if (i[0] == i[1] && i[0] == i[2] && i[0] == i[3]) {
    let a = i[0] * stride;
    for (var k = 0u; k < stride; k++) {
      let av = rows[a + k];
      sums += vec4<f32>(
        dot(av, rows[j[0] * stride + k]),
        dot(av, rows[j[1] * stride + k]),
        dot(av, rows[j[2] * stride + k]),
        dot(av, rows[j[3] * stride + k]),
      );
    }
  } else {
    for (var k = 0u; k < stride; k++) {
      sums += vec4<f32>(
        dot(rows[i[0] * stride + k], rows[j[0] * stride + k]),
        dot(rows[i[1] * stride + k], rows[j[1] * stride + k]),
        dot(rows[i[2] * stride + k], rows[j[2] * stride + k]),
        dot(rows[i[3] * stride + k], rows[j[3] * stride + k]),
      );
    }
  }
  let count = min(PAIRS_PER_INVOCATION, params.pair_count - start);
  for (var t = 0u; t < count; t++) {
    cosines[start + t] = select(0.0, sums[t], valid[t]);
  }
}
