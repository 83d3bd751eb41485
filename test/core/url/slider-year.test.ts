import { describe, expect, it } from 'vitest';
import { yearWindows } from '../../../src/core/layout/sliding-windows';
import { sliderTime, sliderYear } from '../../../src/core/url/slider-year';

describe('slider time ↔ year', () => {
  const windows = yearWindows(1990, 2010, { size: 5, step: 3 });

  it('gives a window centre at whole times and interpolates between them', () => {
    expect(sliderYear(windows, 0)).toBe(windows[0].centre);
    expect(sliderYear(windows, 2)).toBe(windows[2].centre);
    expect(sliderYear(windows, 1.5)).toBeCloseTo((windows[1].centre + windows[2].centre) / 2, 9);
  });

  it('inverts: the time of a time\'s year is that time', () => {
    for (let t = 0; t <= windows.length - 1; t += 0.37) expect(sliderTime(windows, sliderYear(windows, t))).toBeCloseTo(t, 9);
  });

  it('clamps to the windows and keeps all-years as null', () => {
    expect(sliderYear(windows, -3)).toBe(windows[0].centre);
    expect(sliderYear(windows, 99)).toBe(windows[windows.length - 1].centre);
    expect(sliderTime(windows, 1800)).toBe(0);
    expect(sliderTime(windows, 2500)).toBe(windows.length - 1);
    expect(sliderYear(windows, null)).toBeNull();
    expect(sliderTime(windows, null)).toBeNull();
    expect(sliderTime([], 2000)).toBeNull();
    expect(sliderYear([], 0)).toBeNull();
  });

  it('maps a year to the same years under other window settings', () => {
    const other = yearWindows(1990, 2010, { size: 3, step: 1 });
    const year = sliderYear(windows, 2.4) as number;
    expect(sliderYear(other, sliderTime(other, year))).toBeCloseTo(year, 9);
  });
});
