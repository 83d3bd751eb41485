/** The patent map's pure UI helpers: hit grid, box and lasso, viewport maths, search and point states. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random';
import { fitView, PointGrid, pointsInBox, pointsInPolygon, toLayout, toScreen, zoomAt } from '../../src/ui/map-geometry';
import { hasCode, pointStates, POINT_STATE, searchMatches, type MapPoint } from '../../src/ui/map-style';

describe('map geometry and styling', () => {
  const rng = mulberry32(4);
  const n = 5000;
  const coordinates = Float32Array.from({ length: n * 2 }, () => rng() * 100 - 30);

  it('the grid finds the same nearest point as a full scan', () => {
    const grid = new PointGrid(coordinates, n);
    for (let q = 0; q < 200; q++) {
      const x = rng() * 120 - 40, y = rng() * 120 - 40, radius = rng() * 5;
      let best = -1, bestD = radius * radius;
      for (let i = 0; i < n; i++) {
        const d = (coordinates[i * 2] - x) ** 2 + (coordinates[i * 2 + 1] - y) ** 2;
        if (d < bestD || (d === bestD && best >= 0 && i < best) || (d === bestD && best < 0)) { best = i; bestD = d; }
      }
      expect(grid.nearest(x, y, radius)).toBe(best);
    }
    expect(grid.nearest(0, 0, 50, () => false)).toBe(-1);
  });

  it('box and lasso select what lies inside; a square lasso equals the box', () => {
    const box = pointsInBox(coordinates, n, 10, 20, 40, -5);
    expect(box.length).toBeGreaterThan(0);
    expect(box.every((i) => coordinates[i * 2] >= 10 && coordinates[i * 2] <= 40 && coordinates[i * 2 + 1] >= -5 && coordinates[i * 2 + 1] <= 20)).toBe(true);
    const lasso = pointsInPolygon(coordinates, n, [[10, -5], [40, -5], [40, 20], [10, 20]]);
    expect(lasso).toEqual(box.filter((i) => coordinates[i * 2] > 10 && coordinates[i * 2] < 40 && coordinates[i * 2 + 1] > -5 && coordinates[i * 2 + 1] < 20));
    const triangle = pointsInPolygon(coordinates, n, [[0, 0], [50, 0], [0, 50]]);
    expect(triangle.every((i) => coordinates[i * 2] + coordinates[i * 2 + 1] <= 50 && coordinates[i * 2] >= 0 && coordinates[i * 2 + 1] >= 0)).toBe(true);
  });

  it('fits every point on screen; zoom keeps the point under the cursor; screen and layout round-trip', () => {
    const view = fitView(coordinates, n, 800, 600);
    for (let i = 0; i < n; i++) {
      const [sx, sy] = toScreen(view, coordinates[i * 2], coordinates[i * 2 + 1]);
      expect(sx >= 0 && sx <= 800 && sy >= 0 && sy <= 600).toBe(true);
    }
    const before = toLayout(view, 123, 456);
    const zoomed = zoomAt(view, 3.5, 123, 456);
    const after = toLayout(zoomed, 123, 456);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    const [x, y] = toLayout(view, ...toScreen(view, 12.5, -3));
    expect(x).toBeCloseTo(12.5, 9);
    expect(y).toBeCloseTo(-3, 9);
  });

  it('search highlights matches, a selection dims or hides the rest, codes match by level', () => {
    const points: MapPoint[] = [
      { id: 'a', title: 'Lithium anode', year: 2001, codes: ['H01M 4/13', 'H01M'], haystack: 'a lithium anode h01m 4/13' },
      { id: 'b', title: 'Wind blade', year: 2010, codes: ['F03D 1/06'], haystack: 'b wind blade f03d 1/06' },
      { id: 'c', title: 'Lithium cathode', year: 2012, codes: ['H01M 4/131'], haystack: 'c lithium cathode h01m 4/131' },
    ];
    expect(Array.from(searchMatches(points, ' LITHIUM  anode') ?? [])).toEqual([1, 0, 0]);
    expect(searchMatches(points, '   ')).toBeNull();
    const none = new Uint8Array(3);
    expect(Array.from(pointStates(3, { selected: none, selectionSize: 0, matches: searchMatches(points, 'lithium'), onlySelection: false })))
      .toEqual([POINT_STATE.highlighted, POINT_STATE.dimmed, POINT_STATE.highlighted]);
    const selected = Uint8Array.from([0, 1, 0]);
    expect(Array.from(pointStates(3, { selected, selectionSize: 1, matches: null, onlySelection: false }))).toEqual([POINT_STATE.dimmed, POINT_STATE.selected, POINT_STATE.dimmed]);
    expect(Array.from(pointStates(3, { selected, selectionSize: 1, matches: null, onlySelection: true }))).toEqual([POINT_STATE.hidden, POINT_STATE.selected, POINT_STATE.hidden]);
    expect(points.map((p) => hasCode(p, 'h01m'))).toEqual([true, false, true]);
    expect(points.map((p) => hasCode(p, 'H01M 4/00'))).toEqual([true, false, true]);
    expect(points.map((p) => hasCode(p, 'H01M 4/13'))).toEqual([true, false, false]);
    expect(points.map((p) => hasCode(p, 'F03'))).toEqual([false, true, false]);
  });
});
