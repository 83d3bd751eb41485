/**
 * A uniform grid over 2D layout points for the map's hover picking and its box and lasso
 * selections. Hover looks at the few cells around the cursor. A box or lasso takes every point of
 * the cells that lie wholly inside it without testing them and tests points one by one only in
 * the cells that its outline crosses, so at 650,000 points a selection costs about its outline,
 * not the whole map. Results are exactly those of the full scans (pointsInBox / pointsInPolygon
 * in src/ui/map-geometry.ts), in ascending index order.
 */
import { pointBounds } from './bounds';

/** Even-odd rule; a point is inside when a ray towards +x crosses the outline an odd number of times. */
export function insidePolygon(x: number, y: number, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The same test on flat vertex arrays: no destructuring in the inner loop. */
export function insideFlatPolygon(x: number, y: number, xs: Float64Array, ys: Float64Array): boolean {
  let inside = false;
  const m = xs.length;
  for (let i = 0, j = m - 1; i < m; j = i++) {
    const yi = ys[i], yj = ys[j];
    if ((yi > y) !== (yj > y) && x < ((xs[j] - xs[i]) * (y - yi)) / (yj - yi) + xs[i]) inside = !inside;
  }
  return inside;
}

export function flattenPolygon(polygon: ReadonlyArray<readonly [number, number]>): { xs: Float64Array; ys: Float64Array } {
  return { xs: Float64Array.from(polygon, (p) => p[0]), ys: Float64Array.from(polygon, (p) => p[1]) };
}

/** Buckets points into about n/4 square cells over their bounding box. */
export class PointGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cell: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Point indices sorted by cell; cell c holds order[starts[c] .. starts[c + 1]). */
  private readonly order: Int32Array;
  private readonly starts: Int32Array;
  /** Scratch flags for selections, so that results come out in index order without a sort. */
  private flags: Uint8Array | null = null;

  constructor(private readonly coordinates: Float32Array, private readonly n: number) {
    let { minX, minY, maxX, maxY } = pointBounds(coordinates, n);
    if (n === 0) { minX = minY = 0; maxX = maxY = 1; }
    const side = Math.max(1, Math.ceil(Math.sqrt(n / 4)));
    this.cell = Math.max((maxX - minX) / side, (maxY - minY) / side, 1e-9);
    this.minX = minX;
    this.minY = minY;
    this.columns = Math.floor((maxX - minX) / this.cell) + 1;
    this.rows = Math.floor((maxY - minY) / this.cell) + 1;
    const counts = new Int32Array(this.columns * this.rows + 1);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.cellIndex(coordinates[i * 2], coordinates[i * 2 + 1]);
      counts[cellOf[i] + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.starts = counts;
    const fill = counts.slice(0, -1);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]]++] = i;
  }

  get size(): number {
    return this.n;
  }

  /** The nearest point to (x, y) within `radius` (layout units) passing `accept`, or -1; ties go to the lower index. */
  nearest(x: number, y: number, radius: number, accept: (index: number) => boolean = () => true): number {
    const c0 = Math.max(0, Math.floor((x - radius - this.minX) / this.cell));
    const c1 = Math.min(this.columns - 1, Math.floor((x + radius - this.minX) / this.cell));
    const r0 = Math.max(0, Math.floor((y - radius - this.minY) / this.cell));
    const r1 = Math.min(this.rows - 1, Math.floor((y + radius - this.minY) / this.cell));
    let best = -1;
    let bestDistance = radius * radius;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        for (let at = this.starts[cell]; at < this.starts[cell + 1]; at++) {
          const i = this.order[at];
          const d = (this.coordinates[i * 2] - x) ** 2 + (this.coordinates[i * 2 + 1] - y) ** 2;
          if (d <= bestDistance && (d < bestDistance || best < 0 || i < best) && accept(i)) {
            best = i;
            bestDistance = d;
          }
        }
      }
    }
    return best;
  }

  /** Indices of points inside the axis-aligned box spanned by two corners (edges included), ascending. */
  inBox(x0: number, y0: number, x1: number, y1: number): number[] {
    const minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
    const columnOf = (x: number) => Math.floor((x - this.minX) / this.cell);
    const rowOf = (y: number) => Math.floor((y - this.minY) / this.cell);
    const b0 = columnOf(minX), b1 = columnOf(maxX), a0 = rowOf(minY), a1 = rowOf(maxY);
    const flags = this.scratch();
    const coordinates = this.coordinates;
    let marked = 0;
    for (let r = Math.max(0, a0); r <= Math.min(this.rows - 1, a1); r++) {
      for (let c = Math.max(0, b0); c <= Math.min(this.columns - 1, b1); c++) {
        const cell = r * this.columns + c;
        // A cell strictly between the box's edge cells lies inside it: floor((x − min)/cell) is
        // monotone in x, so its points cannot fall outside (see the note on inPolygon).
        const interior = c > b0 && c < b1 && r > a0 && r < a1;
        for (let at = this.starts[cell]; at < this.starts[cell + 1]; at++) {
          const i = this.order[at];
          if (interior) { flags[i] = 1; marked++; continue; }
          const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
          if (x >= minX && x <= maxX && y >= minY && y <= maxY) { flags[i] = 1; marked++; }
        }
      }
    }
    return this.collect(flags, marked);
  }

  /**
   * Indices of points inside a closed polygon (even-odd rule), ascending. Cells touched by an
   * edge (closed cell rectangles, slightly enlarged) test each point; every other cell is wholly
   * inside or wholly outside, decided once at its centre by a scanline over the edges.
   */
  inPolygon(polygon: ReadonlyArray<readonly [number, number]>): number[] {
    if (polygon.length < 3 || this.n === 0) return [];
    const { xs, ys } = flattenPolygon(polygon);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let v = 0; v < xs.length; v++) {
      minX = Math.min(minX, xs[v]); maxX = Math.max(maxX, xs[v]); minY = Math.min(minY, ys[v]); maxY = Math.max(maxY, ys[v]);
    }
    if (!Number.isFinite(minX + maxX + minY + maxY)) return [];
    const c0 = Math.max(0, Math.floor((minX - this.minX) / this.cell)), c1 = Math.min(this.columns - 1, Math.floor((maxX - this.minX) / this.cell));
    const r0 = Math.max(0, Math.floor((minY - this.minY) / this.cell)), r1 = Math.min(this.rows - 1, Math.floor((maxY - this.minY) / this.cell));
    if (c0 > c1 || r0 > r1) return [];
    const width = c1 - c0 + 1;
    const boundary = this.boundaryCells(xs, ys, c0, c1, r0, r1);
    const flags = this.scratch();
    const coordinates = this.coordinates;
    const crossings: number[] = [];
    let marked = 0;
    for (let r = r0; r <= r1; r++) {
      const cy = this.minY + (r + 0.5) * this.cell;
      crossings.length = 0;
      for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
        if ((ys[i] > cy) !== (ys[j] > cy)) crossings.push(((xs[j] - xs[i]) * (cy - ys[i])) / (ys[j] - ys[i]) + xs[i]);
      }
      crossings.sort((a, b) => a - b);
      let passed = 0;
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        const start = this.starts[cell], end = this.starts[cell + 1];
        if (start === end) continue;
        if (boundary[(r - r0) * width + (c - c0)]) {
          for (let at = start; at < end; at++) {
            const i = this.order[at];
            const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
            if (x < minX || x > maxX || y < minY || y > maxY) continue;
            if (insideFlatPolygon(x, y, xs, ys)) { flags[i] = 1; marked++; }
          }
          continue;
        }
        const cx = this.minX + (c + 0.5) * this.cell;
        while (passed < crossings.length && crossings[passed] <= cx) passed++;
        // Crossings to the right of the centre: odd means inside, as in insidePolygon.
        if ((crossings.length - passed) % 2 === 1) {
          for (let at = start; at < end; at++) { flags[this.order[at]] = 1; marked++; }
        }
      }
    }
    return this.collect(flags, marked);
  }

  /** Cells in [c0, c1] × [r0, r1] whose closed rectangle (enlarged by a hair) an edge touches. */
  private boundaryCells(xs: Float64Array, ys: Float64Array, c0: number, c1: number, r0: number, r1: number): Uint8Array {
    const width = c1 - c0 + 1;
    const out = new Uint8Array(width * (r1 - r0 + 1));
    const margin = this.cell * 1e-6 + 1e-12;
    for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      const ax = xs[j], ay = ys[j], bx = xs[i], by = ys[i];
      const e0 = Math.max(c0, Math.floor((Math.min(ax, bx) - margin - this.minX) / this.cell));
      const e1 = Math.min(c1, Math.floor((Math.max(ax, bx) + margin - this.minX) / this.cell));
      const f0 = Math.max(r0, Math.floor((Math.min(ay, by) - margin - this.minY) / this.cell));
      const f1 = Math.min(r1, Math.floor((Math.max(ay, by) + margin - this.minY) / this.cell));
      const nx = by - ay, ny = ax - bx;
      for (let r = f0; r <= f1; r++) {
        const y0 = this.minY + r * this.cell - margin, y1 = this.minY + (r + 1) * this.cell + margin;
        for (let c = e0; c <= e1; c++) {
          const x0 = this.minX + c * this.cell - margin, x1 = this.minX + (c + 1) * this.cell + margin;
          // The bounding boxes overlap; the segment meets the rectangle unless its line leaves all four corners on one side.
          const s00 = nx * (x0 - ax) + ny * (y0 - ay), s10 = nx * (x1 - ax) + ny * (y0 - ay);
          const s01 = nx * (x0 - ax) + ny * (y1 - ay), s11 = nx * (x1 - ax) + ny * (y1 - ay);
          const allPositive = s00 > 0 && s10 > 0 && s01 > 0 && s11 > 0;
          const allNegative = s00 < 0 && s10 < 0 && s01 < 0 && s11 < 0;
          if (!allPositive && !allNegative) out[(r - r0) * width + (c - c0)] = 1;
        }
      }
    }
    return out;
  }

  private scratch(): Uint8Array {
    this.flags ??= new Uint8Array(this.n);
    return this.flags;
  }

  /** The flagged indices in ascending order; clears the flags for the next call. */
  private collect(flags: Uint8Array, marked: number): number[] {
    const out = new Array<number>(marked);
    let k = 0;
    for (let i = 0; i < this.n && k < marked; i++) {
      if (flags[i]) { out[k++] = i; flags[i] = 0; }
    }
    return out;
  }

  private cellIndex(x: number, y: number): number {
    const c = Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
    return r * this.columns + c;
  }
}
