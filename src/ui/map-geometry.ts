/**
 * Pure geometry of the patent map (no DOM): the view transform between layout and screen
 * coordinates, a uniform grid for hover picking, and box / lasso selection. 50,000 points stay
 * interactive because hover looks at a few grid cells and a selection is one pass over the points.
 */

/** Layout point (cx, cy) sits at the canvas centre; `scale` CSS pixels per layout unit; y grows upwards. */
export interface MapViewport {
  cx: number;
  cy: number;
  scale: number;
  width: number;
  height: number;
}

export function toScreen(view: MapViewport, x: number, y: number): [number, number] {
  return [(x - view.cx) * view.scale + view.width / 2, view.height / 2 - (y - view.cy) * view.scale];
}

export function toLayout(view: MapViewport, sx: number, sy: number): [number, number] {
  return [view.cx + (sx - view.width / 2) / view.scale, view.cy - (sy - view.height / 2) / view.scale];
}

/** The view that shows every point with `margin` (fraction of the smaller side) to spare. */
export function fitView(coordinates: Float32Array, n: number, width: number, height: number, margin = 0.06): MapViewport {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (n === 0) return { cx: 0, cy: 0, scale: 1, width, height };
  const spanX = Math.max(maxX - minX, 1e-9), spanY = Math.max(maxY - minY, 1e-9);
  const usable = 1 - 2 * margin;
  const scale = Math.min((width * usable) / spanX, (height * usable) / spanY);
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: Number.isFinite(scale) && scale > 0 ? scale : 1, width, height };
}

/** Zooms by `factor` keeping the layout point under screen (sx, sy) in place. */
export function zoomAt(view: MapViewport, factor: number, sx: number, sy: number, limits?: { min: number; max: number }): MapViewport {
  const scale = limits ? Math.min(limits.max, Math.max(limits.min, view.scale * factor)) : view.scale * factor;
  const [x, y] = toLayout(view, sx, sy);
  const next = { ...view, scale };
  const [nx, ny] = toLayout(next, sx, sy);
  return { ...next, cx: view.cx + (x - nx), cy: view.cy + (y - ny) };
}

export function panBy(view: MapViewport, dxScreen: number, dyScreen: number): MapViewport {
  return { ...view, cx: view.cx - dxScreen / view.scale, cy: view.cy + dyScreen / view.scale };
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

  constructor(private readonly coordinates: Float32Array, private readonly n: number) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, coordinates[i * 2]); maxX = Math.max(maxX, coordinates[i * 2]);
      minY = Math.min(minY, coordinates[i * 2 + 1]); maxY = Math.max(maxY, coordinates[i * 2 + 1]);
    }
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

  /** The nearest point to (x, y) within `radius` (layout units) passing `accept`, or -1. */
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

  get size(): number {
    return this.n;
  }

  private cellIndex(x: number, y: number): number {
    const c = Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
    return r * this.columns + c;
  }
}

/** Indices of points inside the axis-aligned box spanned by two layout corners. */
export function pointsInBox(coordinates: Float32Array, n: number, x0: number, y0: number, x1: number, y1: number): number[] {
  const minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) out.push(i);
  }
  return out;
}

/** Indices of points inside a closed polygon (layout coordinates, even-odd rule). */
export function pointsInPolygon(coordinates: Float32Array, n: number, polygon: ReadonlyArray<readonly [number, number]>): number[] {
  if (polygon.length < 3) return [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of polygon) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (insidePolygon(x, y, polygon)) out.push(i);
  }
  return out;
}

export function insidePolygon(x: number, y: number, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
