import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOWS, formatWindows, inRange, parseWindows, scaledDefaultWindows, trainingLeak } from '../../../src/core/forecast/windows';

describe('forecast windows', () => {
  it('parses learn,embed,score ranges, open or closed at the start', () => {
    expect(parseWindows('1980-2005,2006-2010,2011-2015')).toEqual({
      learn: { from: 1980, to: 2005 }, embed: { from: 2006, to: 2010 }, score: { from: 2011, to: 2015 },
    });
    const open = parseWindows('-2005, 2006-2010, 2011-2015');
    expect(open.learn).toEqual({ from: Number.NEGATIVE_INFINITY, to: 2005 });
    expect(parseWindows('..1995,1996-2000,2001').score).toEqual({ from: 2001, to: 2001 });
    expect(formatWindows(open)).toBe('≤2005,2006-2010,2011-2015');
  });

  it('rejects overlapping, reversed, open-ended later windows and wrong counts', () => {
    expect(() => parseWindows('1980-2006,2006-2010,2011-2015')).toThrow(/learning window must end/);
    expect(() => parseWindows('1980-2005,2006-2011,2011-2015')).toThrow(/embedding window must end/);
    expect(() => parseWindows('1980-2005,2010-2006,2011-2015')).toThrow(/ends before it starts/);
    expect(() => parseWindows('1980-2005,-2010,2011-2015')).toThrow(/cannot read/);
    expect(() => parseWindows('1980-2005,2006-2010')).toThrow(/three windows/);
  });

  it('scales the seed default to a data range', () => {
    expect(scaledDefaultWindows(1976, 2015)).toEqual(DEFAULT_WINDOWS);
    expect(formatWindows(scaledDefaultWindows(1980, 2020))).toBe('≤2010,2011-2015,2016-2020');
    expect(formatWindows(scaledDefaultWindows(1919, 2012))).toBe('≤1988,1989-2000,2001-2012');
    expect(formatWindows(scaledDefaultWindows(2000, 2004))).toBe('≤2002,2003,2004');
    expect(() => scaledDefaultWindows(2000, 2001)).toThrow(/three years/);
  });

  it('includes both ends of a range', () => {
    expect(inRange(2006, DEFAULT_WINDOWS.embed)).toBe(true);
    expect(inRange(2010, DEFAULT_WINDOWS.embed)).toBe(true);
    expect(inRange(2011, DEFAULT_WINDOWS.embed)).toBe(false);
    expect(inRange(1, DEFAULT_WINDOWS.learn)).toBe(true);
  });
});

describe('models trained on the scoring years', () => {
  const windows = parseWindows('-2010,2011-2015,2016-2020');
  it('are flagged when their training reaches into the scoring window, or does not say how far it goes', () => {
    expect(trainingLeak(2016, windows, 'm')).toMatch(/up to 2016.*2016-2020.*optimistic.*up to 2015/);
    expect(trainingLeak(null, windows, 'm')).toMatch(/does not state/);
    expect(trainingLeak(undefined, windows, 'm')).toMatch(/does not state/);
  });
  it('pass when their training ends before the scoring window', () => {
    expect(trainingLeak(2015, windows, 'm')).toBeNull();
  });
});
