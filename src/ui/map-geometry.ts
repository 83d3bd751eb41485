/**
 * Pure geometry of the patent map (no DOM): the view transform between layout and screen
 * coordinates, and box / lasso selection by a full scan. The uniform grid for hover picking and
 * for selections that cost about their outline (PointGrid.inBox / inPolygon, the ones to use at
 * hundreds of thousands of points) lives in src/core/layout/point-grid.ts and is re-exported here.
 */
import { flattenPolygon, insideFlatPolygon } from '../core/layout/point-grid';
import { pointBounds } from '../core/layout/bounds';

export { insidePolygon, PointGrid } from '../core/layout/point-grid';

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
  const { minX, minY, maxX, maxY } = pointBounds(coordinates, n);
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

/** Indices of points inside a closed polygon (layout coordinates, even-odd rule); PointGrid.inPolygon gives the same faster. */
export function pointsInPolygon(coordinates: Float32Array, n: number, polygon: ReadonlyArray<readonly [number, number]>): number[] {
  if (polygon.length < 3) return [];
  const { xs, ys } = flattenPolygon(polygon);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let v = 0; v < xs.length; v++) { minX = Math.min(minX, xs[v]); maxX = Math.max(maxX, xs[v]); minY = Math.min(minY, ys[v]); maxY = Math.max(maxY, ys[v]); }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (insideFlatPolygon(x, y, xs, ys)) out.push(i);
  }
  return out;
}
