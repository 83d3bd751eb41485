/**
 * The technology space's time slider runs over year-window indices (fractional while it moves
 * between windows). A link holds a year instead: the window settings are per machine, so an index
 * would point at other years elsewhere. A year is the windows' centres interpolated linearly, and
 * back, clamped to the first and last window.
 */
export interface WindowCentre {
  centre: number;
}

/** The year the slider time stands for, or null for the all-years layout (or no windows). */
export function sliderYear(windows: readonly WindowCentre[], time: number | null): number | null {
  if (time === null || !Number.isFinite(time) || windows.length === 0) return null;
  const t = Math.min(windows.length - 1, Math.max(0, time));
  const low = Math.floor(t);
  const high = Math.min(windows.length - 1, low + 1);
  return windows[low].centre + (t - low) * (windows[high].centre - windows[low].centre);
}

/** The slider time that shows `year`: the inverse of sliderYear, clamped to the windows. */
export function sliderTime(windows: readonly WindowCentre[], year: number | null): number | null {
  if (year === null || !Number.isFinite(year) || windows.length === 0) return null;
  if (year <= windows[0].centre) return 0;
  for (let i = 0; i + 1 < windows.length; i++) {
    const a = windows[i].centre;
    const b = windows[i + 1].centre;
    if (year <= b) return b > a ? i + (year - a) / (b - a) : i + 1;
  }
  return windows.length - 1;
}
