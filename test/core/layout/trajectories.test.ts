import { describe, expect, it } from 'vitest';
import { yearRange, yearWindows, windowsContaining } from '../../../src/core/layout/sliding-windows';
import {
  buildTrajectories, fillMissing, frameAt, positionAt, presenceAt, smoothPath, type LayoutFrame,
} from '../../../src/core/layout/trajectories';

/** One code per frame list; `null` where the code is absent from that frame. 1-D positions. */
function frames1d(values: Array<number | null>): LayoutFrame[] {
  return values.map((value) => (value === null
    ? { codes: [], components: 1, coordinates: new Float32Array(0) }
    : { codes: ['X'], components: 1, coordinates: new Float32Array([value]) }));
}

describe('year windows', () => {
  it('steps through the range and ends with a full window on the last year', () => {
    const windows = yearWindows(1980, 2020, { size: 10, step: 5 });
    expect(windows.map((w) => w.label)).toEqual([
      '1980–1989', '1985–1994', '1990–1999', '1995–2004', '2000–2009', '2005–2014', '2010–2019', '2011–2020',
    ]);
    expect(windows[0].centre).toBe(1984.5);
    expect(windowsContaining(windows, 1996)).toEqual([2, 3]);
  });

  it('needs no extra window when the steps land on the last year, and one window for a short range', () => {
    expect(yearWindows(2000, 2009, { size: 5, step: 5 }).map((w) => [w.start, w.end])).toEqual([[2000, 2004], [2005, 2009]]);
    expect(yearWindows(2000, 2002, { size: 5, step: 1 }).map((w) => [w.start, w.end])).toEqual([[2000, 2002]]);
    expect(() => yearWindows(2000, 2010, { size: 0, step: 1 })).toThrow(RangeError);
  });

  it('finds the year range', () => {
    expect(yearRange([1999, 1985, Number.NaN, 2020])).toEqual({ first: 1985, last: 2020 });
    expect(yearRange([])).toBeNull();
  });
});

describe('trajectories', () => {
  it('fills gaps linearly and holds the ends', () => {
    const positions = new Float64Array([0, 0, 10, 20, 0, 0, 50, 60, 0, 0]);
    const observed = new Uint8Array([0, 1, 0, 1, 0]);
    fillMissing(positions, observed, 5, 2);
    expect(Array.from(positions)).toEqual([10, 20, 10, 20, 30, 40, 50, 60, 50, 60]);
  });

  it('smooths with a centred moving average that shrinks at the ends', () => {
    const out = smoothPath(new Float64Array([0, 3, 6, 9]), 4, 1, { kind: 'moving-average', radius: 1 });
    expect(Array.from(out)).toEqual([1.5, 3, 6, 7.5]);
  });

  it('smooths exponentially forward then backward, without lag', () => {
    // Forward (α = ½): 0, 0, 1.5. Backward: f1 = ½·0 + ½·1.5 = 0.75, f0 = ½·0 + ½·0.75 = 0.375.
    const out = smoothPath(new Float64Array([0, 0, 3]), 3, 1, { kind: 'exponential', alpha: 0.5 });
    expect(Array.from(out)).toEqual([0.375, 0.75, 1.5]);
  });

  it('builds a trajectory per code from frames with missing windows', () => {
    const [trajectory] = buildTrajectories(frames1d([null, 2, null, null, 8]), { kind: 'none' });
    expect(trajectory.code).toBe('X');
    expect(Array.from(trajectory.positions)).toEqual([2, 2, 4, 6, 8]);
    expect(Array.from(trajectory.observed)).toEqual([0, 1, 0, 0, 1]);
    const smoothed = buildTrajectories(frames1d([null, 2, null, null, 8]), { kind: 'moving-average', radius: 1 })[0];
    expect(Array.from(smoothed.positions)).toEqual([2, Math.fround(8 / 3), 4, 6, 7]);
  });

  it('interpolates between frames for the time slider', () => {
    const frames: LayoutFrame[] = [
      { codes: ['A', 'B'], components: 2, coordinates: new Float32Array([0, 0, 10, 10]) },
      { codes: ['B', 'A'], components: 2, coordinates: new Float32Array([20, 10, 4, 8]) },
    ];
    const trajectories = buildTrajectories(frames);
    expect(trajectories.map((t) => t.code)).toEqual(['A', 'B']);
    expect(Array.from(positionAt(trajectories[0], 0.25))).toEqual([1, 2]);
    expect(Array.from(positionAt(trajectories[0], 5))).toEqual([4, 8]);
    expect(Array.from(positionAt(trajectories[0], -1))).toEqual([0, 0]);
    expect(Array.from(frameAt(trajectories, 0.5))).toEqual([2, 4, 15, 10]);
    const [fading] = buildTrajectories(frames1d([1, null, 3]));
    expect(presenceAt(fading, 0.5)).toBe(0.5);
  });
});
