// topk_rows.wgsl: per-row top-k of a rows × cols score matrix, by descending score.
// CPU twin: topkRows in src/core/similarity.ts. Runner: src/gpu/kernels/topk-rows.ts.
//
// Entry point: topk_rows, @workgroup_size(64), one invocation per row.
// Bindings (group 0):
//   0 scores       array<f32>, read. row_count × col_count, row-major.
//   1 top_indices  array<i32>, read_write. row_count × k; -1 marks a missing entry.
//   2 top_scores   array<f32>, read_write. row_count × k; the score of a missing entry is left
//                  as 0 because WGSL has no -Infinity literal: the runner rewrites it to
//                  -Infinity on read-back to match the CPU twin.
//   3 params       Params (uniform). The runner reads its layout and the binding numbers from this file.
// Dispatch: ceil(row_count / 64) workgroups, wrapped into y above
// maxComputeWorkgroupsPerDimension, so the linear row id is rebuilt from workgroup_id.
//
// Design:
// - Each invocation keeps a private array of its best MAX_K (score, column) pairs sorted by
//   descending score, and insertion-sorts each new column into it. Rows are independent, so
//   there are no barriers; the score block is already in memory and is read once.
// - MAX_K = 32: two arrays of 32 words are 256 bytes of private memory per invocation. That
//   stays in registers or cheap scratch on most GPUs, and covers the neighbour counts this app
//   asks for (a kNN graph of 10–30). The runner throws a RangeError for larger k; a larger MAX_K
//   would slow every call, since the array size is fixed at compile time.
// - Tie rule, identical to the CPU twin: columns are scanned in ascending order and a new column
//   only displaces entries whose score is strictly lower, so among equal scores the lower column
//   index ranks first. Both sides compare the same f32 values with the same operators, so they
//   pick the same columns whenever the input scores are the same.
// - exclude_self skips column (row_offset + row): the block holds rows row_offset.. of a
//   self-similarity matrix, and a row is not its own neighbour.
// - Scores are assumed finite (WGSL may assume finite math); the CPU twin also skips NaN.

struct Params {
  row_count: u32,
  col_count: u32,
  k: u32,
  row_offset: u32,
  exclude_self: u32,
}

@group(0) @binding(0) var<storage, read> scores: array<f32>;
@group(0) @binding(1) var<storage, read_write> top_indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> top_scores: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

const MAX_K: u32 = 32u;
const WORKGROUP_SIZE: u32 = 64u;
// No column index reaches this, so "exclude nothing" needs no extra branch.
const NO_COLUMN: u32 = 0xffffffffu;

@compute @workgroup_size(WORKGROUP_SIZE)
fn topk_rows(
  @builtin(workgroup_id) workgroup_id: vec3<u32>,
  @builtin(num_workgroups) num_workgroups: vec3<u32>,
  @builtin(local_invocation_index) local_index: u32,
) {
  let row = (workgroup_id.y * num_workgroups.x + workgroup_id.x) * WORKGROUP_SIZE + local_index;
  if (row >= params.row_count) {
    return;
  }
  let k = min(params.k, MAX_K);
  let excluded = select(NO_COLUMN, params.row_offset + row, params.exclude_self != 0u);
  let row_start = row * params.col_count;

  var best_scores: array<f32, MAX_K>;
  var best_columns: array<i32, MAX_K>;
  var filled = 0u;
  for (var column = 0u; column < params.col_count; column++) {
    if (column == excluded) {
      continue;
    }
    let score = scores[row_start + column];
    var slot: u32;
    if (filled < k) {
      slot = filled;
      filled++;
    } else if (score > best_scores[k - 1u]) {
      slot = k - 1u;
    } else {
      continue;
    }
    while (slot > 0u && best_scores[slot - 1u] < score) {
      best_scores[slot] = best_scores[slot - 1u];
      best_columns[slot] = best_columns[slot - 1u];
      slot--;
    }
    best_scores[slot] = score;
    best_columns[slot] = i32(column);
  }

  let out_start = row * params.k;
  for (var i = 0u; i < k; i++) {
    if (i < filled) {
      top_indices[out_start + i] = best_columns[i];
      top_scores[out_start + i] = best_scores[i];
    } else {
      top_indices[out_start + i] = -1;
      top_scores[out_start + i] = 0.0;
    }
  }
}
