import { describe, expect, it } from 'vitest';
import { codeMatcher, hasCode } from '../../../src/core/map/code-match';

describe('code matching for the map', () => {
  const codes = [['H01M 4/13', 'H01M'], ['F03D 1/06'], ['H01M 4/131']];
  it('a subclass or partial code covers every code below it; a main group its subgroups; a subgroup only itself', () => {
    expect(codes.map((c) => hasCode({ codes: c }, 'h01m'))).toEqual([true, false, true]);
    expect(codes.map((c) => hasCode({ codes: c }, 'H01M 4/00'))).toEqual([true, false, true]);
    expect(codes.map((c) => hasCode({ codes: c }, 'H01M 4/13'))).toEqual([true, false, false]);
    expect(codes.map((c) => hasCode({ codes: c }, 'F03'))).toEqual([false, true, false]);
  });

  it('an empty code matches nothing', () => {
    expect(codeMatcher('  ')).toBeNull();
    expect(hasCode({ codes: ['H01M'] }, '')).toBe(false);
  });
});
