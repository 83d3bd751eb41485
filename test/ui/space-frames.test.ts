import { describe, expect, it } from 'vitest';
import type { SpaceLayout } from '../../src/core/layout/space';
import { framePositions, neighboursOf, positionsHash, sectionCounts, trailPaths, trajectoriesOf, TRAILS_ALL_MAX } from '../../src/ui/space/space-frames';

/** Three codes over two windows; code 2 is missing from window 1. */
function layout(): SpaceLayout {
  return {
    level: 'subclass', settings: { projection: 'pca', seed: 1, windowSize: 5, windowStep: 3, minPatents: 2, smoothing: 0, k: 2 },
    codes: ['A01B', 'B01D', 'H04L'], counts: [5, 9, 2], sections: ['A', 'B', 'H'],
    positions: Float32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
    windows: [{ index: 0, start: 2000, end: 2004, centre: 2002, label: '2000–2004' }, { index: 1, start: 2003, end: 2007, centre: 2005, label: '2003–2007' }],
    trajectories: Float32Array.from([0, 0, 0, 10, 0, 0, 1, 1, 1, 1, 11, 1, 2, 2, 2, 2, 2, 12]),
    observed: Uint8Array.from([1, 1, 1, 1, 1, 0]),
    neighbours: { k: 2, rows: 3, indices: Int32Array.from([1, 2, 0, -1, 1, 0]), scores: Float32Array.from([0.9, 0.2, 0.9, 0, 0.5, 0.2]) },
    backend: { kind: 'cpu' }, alignment: [], explainedVariance: { view: 1, frame: 1 },
    timingsMs: { vectors: 0, projection: 0, windows: 0, neighbours: 0, total: 0 },
  } as unknown as SpaceLayout;
}

describe('technology space frames', () => {
  it('all years: the layout positions at full size; a time: interpolated positions, absent codes smaller', () => {
    const l = layout();
    const trajectories = trajectoriesOf(l);
    const all = framePositions(l, trajectories, null);
    expect(all.positions).toBe(l.positions);
    expect(Array.from(all.sizes)).toEqual([1, 1, 1]);
    const half = framePositions(l, trajectories, 0.5);
    expect(Array.from(half.positions)).toEqual([5, 0, 0, 1, 6, 1, 2, 2, 7]);
    expect(half.sizes[0]).toBe(1);
    expect(half.sizes[2]).toBeLessThan(1);
    expect(positionsHash(half.positions)).not.toBe(positionsHash(all.positions));
    expect(positionsHash(Float32Array.from(half.positions))).toBe(positionsHash(half.positions));
  });

  it('lists nearest codes in stored order and skips padding', () => {
    expect(neighboursOf(layout(), 'B01D')).toEqual([{ code: 'A01B', similarity: expect.closeTo(0.9, 6), count: 5, section: 'A' }]);
    expect(neighboursOf(layout(), 'Z99Z')).toEqual([]);
  });

  it('draws every trail in a small space, through the past windows to the current position', () => {
    const l = layout();
    const paths = trailPaths(l, trajectoriesOf(l), 0.5, []);
    expect(paths).toHaveLength(3);
    expect(Array.from(paths[0])).toEqual([0, 0, 0, 5, 0, 0]);
    expect(l.codes.length).toBeLessThan(TRAILS_ALL_MAX);
  });

  it('counts codes per section', () => {
    expect(sectionCounts(layout())).toEqual([['A', 1], ['B', 1], ['H', 1]]);
  });
});
