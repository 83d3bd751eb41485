// normalize_rows.wgsl: scales every row of a row-major matrix to unit L2 norm, in place.
// CPU twin: normalizeRows in src/core/similarity.ts. Runner: src/gpu/kernels/normalize-rows.ts.
//
// Entry point: normalize_rows, @workgroup_size(64), one invocation per row.
// Bindings (group 0):
//   0 rows    array<vec4<f32>>, read_write. row_count rows of vec4s_per_row vec4s each; the
//             runner pads the dimension with zeros to a multiple of 4, and zeros change no norm.
//   1 params  Params (uniform). The runner reads its layout and the binding numbers from this file.
// Dispatch: ceil(row_count / 64) workgroups, wrapped into y above
// maxComputeWorkgroupsPerDimension, so the linear row id is rebuilt from workgroup_id.
//
// Design:
// - One invocation per row, no workgroup memory or barriers. Normalising is O(n·dim) against
//   the O(n²·dim) cosine pass, so a cooperative reduction would not pay for itself, and
//   workgroup-memory kernels ran ~10× slower than register-only ones on SwiftShader (the
//   fallback adapter this app must also run on).
// - In place, so normalising n rows needs no second n·dim buffer.
// - Rows are divided by their largest magnitude before squaring: f32 squares overflow above
//   ~1.8e19 and underflow below ~1e-19, while the scaled sum of squares lies in [1, dim]. The CPU
//   twin gets the same effect from accumulating in f64, so both agree to f32 rounding.
// - A zero row has no direction and stays zero (no 0/0 NaN). Differences from the CPU twin:
//   WGSL lets implementations assume finite math, so NaN/Inf inputs are undefined here (the CPU
//   twin zeroes such rows), and devices that flush denormals treat an all-denormal row as zero.

struct Params {
  row_count: u32,
  vec4s_per_row: u32,
}

@group(0) @binding(0) var<storage, read_write> rows: array<vec4<f32>>;
@group(0) @binding(1) var<uniform> params: Params;

const WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn normalize_rows(
  @builtin(workgroup_id) workgroup_id: vec3<u32>,
  @builtin(num_workgroups) num_workgroups: vec3<u32>,
  @builtin(local_invocation_index) local_index: u32,
) {
  let row = (workgroup_id.y * num_workgroups.x + workgroup_id.x) * WORKGROUP_SIZE + local_index;
  if (row >= params.row_count) {
    return;
  }
  let start = row * params.vec4s_per_row;
  let end = start + params.vec4s_per_row;

  var largest = vec4<f32>(0.0);
  for (var i = start; i < end; i++) {
    largest = max(largest, abs(rows[i]));
  }
  let max_magnitude = max(max(largest.x, largest.y), max(largest.z, largest.w));
  if (max_magnitude == 0.0) {
    return; // Already all zeros.
  }

  var sum_of_squares = 0.0;
  for (var i = start; i < end; i++) {
    let scaled = rows[i] / max_magnitude;
    sum_of_squares += dot(scaled, scaled);
  }
  // Divide first, then scale: 1 / max_magnitude alone could overflow for tiny rows.
  let inverse_norm = inverseSqrt(sum_of_squares);
  for (var i = start; i < end; i++) {
    rows[i] = (rows[i] / max_magnitude) * inverse_norm;
  }
}
