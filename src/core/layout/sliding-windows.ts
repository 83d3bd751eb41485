/**
 * Sliding year windows for the technology space over time: every window spans `size` years and
 * starts `step` years after the previous one. So that the last years are never dropped, a final
 * full-size window ending at the last year is added when the regular steps stop short of it (its
 * step is then shorter); all windows keep the same size, hence comparable patent counts.
 */
export interface YearWindow {
  index: number;
  /** First and last year, inclusive. */
  start: number;
  end: number;
  /** Middle of the window, the time a frame is drawn at. */
  centre: number;
  /** "2001–2005". */
  label: string;
}

export interface YearWindowOptions {
  size: number;
  step: number;
}

export function yearWindows(firstYear: number, lastYear: number, options: YearWindowOptions): YearWindow[] {
  const { size, step } = options;
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(step) || step < 1) {
    throw new RangeError('window size and step must be positive integers');
  }
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || lastYear < firstYear) {
    throw new RangeError(`bad year range ${firstYear}–${lastYear}`);
  }
  const starts: number[] = [];
  if (lastYear - firstYear + 1 <= size) starts.push(firstYear);
  else {
    for (let start = firstYear; start + size - 1 <= lastYear; start += step) starts.push(start);
    const lastEnd = starts[starts.length - 1] + size - 1;
    if (lastEnd < lastYear) starts.push(lastYear - size + 1);
  }
  return starts.map((start, index) => {
    const end = Math.min(start + size - 1, lastYear);
    return { index, start, end, centre: (start + end) / 2, label: start === end ? `${start}` : `${start}–${end}` };
  });
}

/** Smallest and largest finite year, or null when there is none. */
export function yearRange(years: Iterable<number>): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const year of years) {
    if (!Number.isFinite(year)) continue;
    first = Math.min(first, year);
    last = Math.max(last, year);
  }
  return first <= last ? { first, last } : null;
}

/** Indices of the windows that contain `year` (windows overlap when step < size). */
export function windowsContaining(windows: readonly YearWindow[], year: number): number[] {
  return windows.filter((w) => w.start <= year && year <= w.end).map((w) => w.index);
}
