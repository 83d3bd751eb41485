/**
 * The order in which the map renderer keeps its points on the GPU, so that a frame submits only
 * what it needs. In software WebGL (SwiftShader, the only WebGL on a machine without a GPU) a
 * frame costs about 0.2 µs per point submitted even when the point is off screen, and point size
 * hardly matters: at 650,000 points that is 100-500 ms a frame whatever is visible. So:
 * - levels of detail: a seeded shuffle splits the points into nested random samples, level 0 of
 *   LEVEL0_POINTS points, each next level as large as all before it (doubling), so drawing
 *   levels 0..L draws a uniform sample of the map;
 * - within a level, points are sorted by a square grid cell (row-major), so the points of a
 *   visible block of cells are one contiguous range per grid row (culling when zoomed in).
 * `slots[s]` is the point index kept in GPU slot s; `cellStarts[level·cells + cell]` is where that
 * cell's slots begin (with one trailing entry per level).
 */
import { mulberry32 } from '../random';
import { pointBounds } from './bounds';

export const LEVEL0_POINTS = 32_768;

export interface DrawOrder {
  n: number;
  /** GPU slot → point index. */
  slots: Int32Array;
  /** Slot where each level begins, and n at the end (levels + 1 entries). */
  levelStarts: Int32Array;
  levels: number;
  columns: number;
  rows: number;
  minX: number;
  minY: number;
  cell: number;
  /** levels × (columns·rows + 1) slot offsets. */
  cellStarts: Int32Array;
}

export interface SlotRange {
  start: number;
  count: number;
}

/** Points per cell aimed at; about 64 keeps a zoomed view's partly visible border small. */
const POINTS_PER_CELL = 64;
const MAX_SIDE = 256;

export function drawOrder(coordinates: Float32Array, n: number, seed = 1): DrawOrder {
  let { minX, minY, maxX, maxY } = pointBounds(coordinates, n);
  if (!(maxX >= minX) || !(maxY >= minY)) { minX = minY = 0; maxX = maxY = 1; }
  const side = Math.min(MAX_SIDE, Math.max(1, Math.round(Math.sqrt(n / POINTS_PER_CELL))));
  const cell = Math.max((maxX - minX) / side, (maxY - minY) / side, 1e-9);
  const columns = Math.floor((maxX - minX) / cell) + 1;
  const rows = Math.floor((maxY - minY) / cell) + 1;
  const cells = columns * rows;

  const levelStarts: number[] = [0];
  for (let size = Math.min(n, LEVEL0_POINTS); levelStarts[levelStarts.length - 1] < n; size = levelStarts[levelStarts.length - 1]) {
    levelStarts.push(Math.min(n, levelStarts[levelStarts.length - 1] + Math.max(1, size)));
  }
  const levels = levelStarts.length - 1;
  // Fisher–Yates: rank[i] is point i's position in a seeded random order; its level follows.
  const shuffled = new Int32Array(n);
  for (let i = 0; i < n; i++) shuffled[i] = i;
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = shuffled[i]; shuffled[i] = shuffled[j]; shuffled[j] = t;
  }
  const key = new Int32Array(n);
  for (let level = 0; level < levels; level++) {
    for (let rank = levelStarts[level]; rank < levelStarts[level + 1]; rank++) {
      const i = shuffled[rank];
      const c = Math.min(columns - 1, Math.max(0, Math.floor((coordinates[i * 2] - minX) / cell) || 0));
      const r = Math.min(rows - 1, Math.max(0, Math.floor((coordinates[i * 2 + 1] - minY) / cell) || 0));
      key[i] = level * cells + r * columns + c;
    }
  }
  // Counting sort by (level, cell); within a cell, index order.
  const cellStarts = new Int32Array(levels * (cells + 1));
  const counts = new Int32Array(levels * cells + 1);
  for (let i = 0; i < n; i++) counts[key[i] + 1]++;
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  for (let l = 0; l < levels; l++) cellStarts.set(counts.subarray(l * cells, (l + 1) * cells + 1), l * (cells + 1));
  const fill = counts.slice(0, -1);
  const slots = new Int32Array(n);
  for (let i = 0; i < n; i++) slots[fill[key[i]]++] = i;
  return { n, slots, levelStarts: Int32Array.from(levelStarts), levels, columns, rows, minX, minY, cell, cellStarts };
}

/**
 * Slot ranges of the cells that meet the box [x0, x1] × [y0, y1] (layout units), for levels
 * 0..maxLevel, adjacent ranges merged; and how many points they hold.
 */
export function visibleRanges(order: DrawOrder, x0: number, y0: number, x1: number, y1: number, maxLevel: number): { ranges: SlotRange[]; points: number } {
  const { columns, rows, minX, minY, cell, cellStarts } = order;
  const c0 = Math.max(0, Math.floor((x0 - minX) / cell)), c1 = Math.min(columns - 1, Math.floor((x1 - minX) / cell));
  const r0 = Math.max(0, Math.floor((y0 - minY) / cell)), r1 = Math.min(rows - 1, Math.floor((y1 - minY) / cell));
  const ranges: SlotRange[] = [];
  let points = 0;
  if (!(c0 <= c1 && r0 <= r1) || order.n === 0) return { ranges, points };
  const stride = columns * rows + 1;
  for (let l = 0; l <= Math.min(maxLevel, order.levels - 1); l++) {
    for (let r = r0; r <= r1; r++) {
      const start = cellStarts[l * stride + r * columns + c0];
      const end = cellStarts[l * stride + r * columns + c1 + 1];
      if (end <= start) continue;
      points += end - start;
      const last = ranges[ranges.length - 1];
      if (last && last.start + last.count === start) last.count += end - start;
      else ranges.push({ start, count: end - start });
    }
  }
  return { ranges, points };
}

/** The deepest level whose visible points (levels 0..L together) stay within `budget`; at least 0. */
export function levelForBudget(order: DrawOrder, x0: number, y0: number, x1: number, y1: number, budget: number): number {
  if (!(budget < order.n)) return order.levels - 1;
  let level = 0;
  for (let l = 1; l < order.levels; l++) {
    if (visibleRanges(order, x0, y0, x1, y1, l).points > budget) break;
    level = l;
  }
  return level;
}

/** Point-indexed values (`width` per point) rearranged into slot order. */
export function toSlotOrder<T extends Uint8Array | Float32Array>(order: DrawOrder, values: T, width: number): T {
  const out = new (values.constructor as { new(length: number): T })(order.n * width);
  const { slots } = order;
  if (width === 1) {
    for (let s = 0; s < slots.length; s++) out[s] = values[slots[s]];
  } else {
    for (let s = 0; s < slots.length; s++) {
      const from = slots[s] * width, to = s * width;
      for (let w = 0; w < width; w++) out[to + w] = values[from + w];
    }
  }
  return out;
}
