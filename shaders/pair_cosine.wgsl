// pair_cosine.wgsl: cosines[p] = dot(rows[first[p]], rows[second[p]]) for a list of row pairs.
// With unit-norm rows these are cosine similarities. CPU twin: pairCosines in
// src/core/pair-cosine.ts. Runners: src/gpu/kernels/pair-cosine.ts (one dispatch) and
// src/gpu/forecast-cosine.ts (chunks of pairs).
//
// Entry point: pair_cosine, @workgroup_size(64), one invocation per pair.
// Bindings (group 0):
//   0 rows     array<vec4<f32>>, read. Rows of vec4s_per_row vec4s (dimension zero-padded to 4).
//   1 first    array<u32>, read. Row index of each pair's first member.
//   2 second   array<u32>, read. Row index of each pair's second member.
//   3 cosines  array<f32>, read_write. One score per pair, in pair order.
//   4 params   Params (uniform). The runner reads its layout and the binding numbers from this file.
// Dispatch: ceil(pair_count / 64) workgroups, wrapped into y above
// maxComputeWorkgroupsPerDimension, so the linear pair id is rebuilt from workgroup_id.
//
// Design:
// - The forecast needs the cosines of its candidate pairs only, a sparse subset of the upper
//   triangle (pairs never combined before). Gathering them by index writes and reads back 4
//   bytes per candidate, where the dense cosine_tile blocks wrote every pair of the triangle.
// - first and second are separate arrays so the runner can upload slices of the candidate lists
//   the forecast already holds, without interleaving them into a new array.
// - One invocation per pair, no workgroup memory: pairs share rows at random, so a tile would
//   not reuse loads, and the rows (a few thousand codes × dim) stay in cache.
// - Accumulation as in cosine_tile.wgsl (a sum of vec4 dot products in f32), so both GPU paths
//   give the same value for a pair; the CPU twin accumulates in f64 and agrees to f32 rounding.
// - Indices are checked by the runner before upload (the CPU twin throws on the same ones);
//   the bounds test below only keeps a stale buffer from reading out of range.

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

@compute @workgroup_size(WORKGROUP_SIZE)
fn pair_cosine(
  @builtin(workgroup_id) workgroup_id: vec3<u32>,
  @builtin(num_workgroups) num_workgroups: vec3<u32>,
  @builtin(local_invocation_index) local_index: u32,
) {
  let pair = (workgroup_id.y * num_workgroups.x + workgroup_id.x) * WORKGROUP_SIZE + local_index;
  if (pair >= params.pair_count) {
    return;
  }
  let i = first[pair];
  let j = second[pair];
  if (i >= params.row_count || j >= params.row_count) {
    cosines[pair] = 0.0;
    return;
  }
  let stride = params.vec4s_per_row;
  let a = i * stride;
  let b = j * stride;
  var sum = 0.0;
  for (var k = 0u; k < stride; k++) {
    sum += dot(rows[a + k], rows[b + k]);
  }
  cosines[pair] = sum;
}
