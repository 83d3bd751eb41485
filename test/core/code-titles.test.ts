import { describe, expect, it } from 'vitest';
import { parseCodeTitles } from '../../src/core/code-titles';

describe('parseCodeTitles', () => {
  it('reads code<TAB>title rows with normalised codes, skipping a header, comments and blank lines', () => {
    const text = '\uFEFFcode\ttitle\r\nH04L\tTransmission of digital information\r\n\n# a comment\nh04l 27/26\tOFDM systems \nG06T0007000000\tImage analysis\n';
    const parsed = parseCodeTitles(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.titles).toEqual({
      H04L: 'Transmission of digital information',
      'H04L 27/26': 'OFDM systems',
      'G06T 7/00': 'Image analysis',
    });
  });

  it('reports bad rows by line number and keeps the good ones', () => {
    const text = [
      'H04L\tTransmission',
      'no tab here',
      'not-a-code\tSomething',
      'H01M\t',
      'H04L\tAnother title',
      'H04L\tTransmission',
      'H01M 4/00\tElectrodes',
    ].join('\n');
    const parsed = parseCodeTitles(text);
    expect(parsed.titles).toEqual({ H04L: 'Transmission', 'H01M 4/00': 'Electrodes' });
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(parsed.errors[0].message).toMatch(/no tab/);
    expect(parsed.errors[1].message).toMatch(/"not-a-code" is not an IPC\/CPC code/);
    expect(parsed.errors[2].message).toMatch(/H01M has an empty title/);
    expect(parsed.errors[3].message).toMatch(/H04L appears again with another title/);
  });

  it('a header is only skipped on the first line', () => {
    const parsed = parseCodeTitles('H04L\tTransmission\ncode\ttitle\n');
    expect(parsed.errors).toEqual([{ line: 2, message: '"code" is not an IPC/CPC code' }]);
  });
});
