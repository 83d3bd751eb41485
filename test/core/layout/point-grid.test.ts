import { describe, expect, it } from 'vitest';
import { drawOrder, levelForBudget, LEVEL0_POINTS, toSlotOrder, visibleRanges } from '../../../src/core/layout/draw-order';
import { insidePolygon, PointGrid } from '../../../src/core/layout/point-grid';
import { gaussian, mulberry32 } from '../../../src/core/random';

/** Clustered points (dense cores, empty gaps), a few exact duplicates and points on cell-like round coordinates. */
function clustered(seed: number, n: number): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    if (i % 97 === 0) { out[i * 2] = Math.round(rng() * 20); out[i * 2 + 1] = Math.round(rng() * 20); continue; }
    const c = Math.floor(rng() * 9);
    out[i * 2] = (c % 3) * 8 + 2 + gaussian(rng);
    out[i * 2 + 1] = Math.floor(c / 3) * 8 + 2 + gaussian(rng);
  }
  for (let i = 1; i < n; i += 501) { out[i * 2] = out[(i - 1) * 2]; out[i * 2 + 1] = out[(i - 1) * 2 + 1]; }
  return out;
}

function scanBox(coordinates: Float32Array, n: number, x0: number, y0: number, x1: number, y1: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = coordinates[i * 2], y = coordinates[i * 2 + 1];
    if (x >= Math.min(x0, x1) && x <= Math.max(x0, x1) && y >= Math.min(y0, y1) && y <= Math.max(y0, y1)) out.push(i);
  }
  return out;
}

function scanPolygon(coordinates: Float32Array, n: number, polygon: Array<[number, number]>): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (insidePolygon(coordinates[i * 2], coordinates[i * 2 + 1], polygon)) out.push(i);
  return out;
}

/** A star-like, self-touching outline as a hand-drawn lasso: many short edges and one long closing edge. */
function lasso(rng: () => number, cx: number, cy: number, radius: number, vertices: number): Array<[number, number]> {
  return Array.from({ length: vertices }, (_, k) => {
    const angle = (k / vertices) * 1.8 * Math.PI;
    const r = radius * (0.4 + 0.6 * rng());
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
  });
}

describe('point grid selections', () => {
  const n = 20_000;
  const coordinates = clustered(3, n);
  const grid = new PointGrid(coordinates, n);
  const rng = mulberry32(8);

  it('box selection equals the full scan, edges included', () => {
    for (let q = 0; q < 60; q++) {
      const x0 = rng() * 30 - 5, y0 = rng() * 30 - 5, x1 = x0 + rng() * 15, y1 = y0 + rng() * 15;
      const expected = scanBox(coordinates, n, x0, y0, x1, y1);
      expect(grid.inBox(x1, y0, x0, y1)).toEqual(expected);
    }
    // Edges exactly through points (integer coordinates).
    expect(grid.inBox(4, 4, 12, 12)).toEqual(scanBox(coordinates, n, 4, 4, 12, 12));
    expect(grid.inBox(100, 100, 200, 200)).toEqual([]);
  });

  it('lasso selection equals the even-odd full scan, also for outlines with long edges and outside the map', () => {
    let selected = 0;
    for (let q = 0; q < 40; q++) {
      const polygon = lasso(rng, rng() * 24, rng() * 24, 2 + rng() * 12, 3 + Math.floor(rng() * 300));
      const expected = scanPolygon(coordinates, n, polygon);
      selected += expected.length;
      expect(grid.inPolygon(polygon)).toEqual(expected);
    }
    expect(selected).toBeGreaterThan(1000);
    const square: Array<[number, number]> = [[4, 4], [12, 4], [12, 12], [4, 12]];
    expect(grid.inPolygon(square)).toEqual(scanPolygon(coordinates, n, square));
    expect(grid.inPolygon([[0, 0], [1, 1]])).toEqual([]);
    expect(grid.inPolygon([[-50, -50], [-40, -50], [-40, -40]])).toEqual([]);
  });

  it('repeated selections do not leak into each other', () => {
    const a = grid.inBox(0, 0, 10, 10);
    grid.inPolygon(lasso(rng, 12, 12, 8, 50));
    expect(grid.inBox(0, 0, 10, 10)).toEqual(a);
  });
});

describe('draw order for the map renderer', () => {
  const n = 150_000;
  const coordinates = clustered(5, n);
  const order = drawOrder(coordinates, n);

  it('is a permutation with doubling levels of detail', () => {
    const seen = new Uint8Array(n);
    for (const i of order.slots) seen[i]++;
    expect(seen.every((v) => v === 1)).toBe(true);
    expect(Array.from(order.levelStarts)).toEqual([0, LEVEL0_POINTS, 2 * LEVEL0_POINTS, 4 * LEVEL0_POINTS, n]);
    expect(drawOrder(coordinates, n).slots).toEqual(order.slots);
  });

  it('a level is a uniform sample: its share of a region matches the region share', () => {
    const inLeftHalf = (i: number) => coordinates[i * 2] < 10;
    const share = (from: number, to: number) => { let k = 0; for (let s = from; s < to; s++) if (inLeftHalf(order.slots[s])) k++; return k / (to - from); };
    const all = share(0, n);
    expect(Math.abs(share(0, LEVEL0_POINTS) - all)).toBeLessThan(0.02);
    expect(Math.abs(share(LEVEL0_POINTS, 2 * LEVEL0_POINTS) - all)).toBeLessThan(0.02);
  });

  it('visible ranges hold exactly the points of the cells in view (a superset of the points in the box)', () => {
    const [x0, y0, x1, y1] = [3, 5, 9, 11];
    const { ranges, points } = visibleRanges(order, x0, y0, x1, y1, order.levels - 1);
    const drawn = new Set<number>();
    for (const r of ranges) for (let s = r.start; s < r.start + r.count; s++) drawn.add(order.slots[s]);
    expect(drawn.size).toBe(points);
    for (const i of scanBox(coordinates, n, x0, y0, x1, y1)) expect(drawn.has(i)).toBe(true);
    expect(points).toBeLessThan(n / 3);
    expect(visibleRanges(order, -1e9, -1e9, 1e9, 1e9, order.levels - 1)).toEqual({ ranges: [{ start: 0, count: n }], points: n });
  });

  it('a budget picks the deepest levels that fit, zoomed in it draws everything', () => {
    expect(levelForBudget(order, -1e9, -1e9, 1e9, 1e9, 70_000)).toBe(1);
    expect(levelForBudget(order, -1e9, -1e9, 1e9, 1e9, 1000)).toBe(0);
    expect(levelForBudget(order, 3, 3, 4, 4, 70_000)).toBe(order.levels - 1);
    expect(levelForBudget(order, -1e9, -1e9, 1e9, 1e9, Infinity)).toBe(order.levels - 1);
  });

  it('values follow their points into slot order', () => {
    const colours = Uint8Array.from({ length: n * 4 }, (_, k) => (Math.floor(k / 4) * 7 + k) % 251);
    const slotted = toSlotOrder(order, colours, 4);
    for (const s of [0, 1, 999, n - 1]) expect(Array.from(slotted.subarray(s * 4, s * 4 + 4))).toEqual(Array.from(colours.subarray(order.slots[s] * 4, order.slots[s] * 4 + 4)));
    expect(drawOrder(new Float32Array(0), 0).levels).toBe(0);
  });
});
