import { describe, expect, it } from 'vitest';
import { csvField, csvText } from '../../src/ui/download';

describe('CSV fields', () => {
  it('quotes only what needs it, doubling quotes, and writes nothing for missing values', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 3.5, null, undefined].map(csvField))
      .toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', '3.5', '', '']);
  });

  it('defuses text a spreadsheet would run as a formula, but leaves numbers alone', () => {
    expect(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd'].map(csvField))
      .toEqual(['"\'=HYPERLINK(""http://x"")"', "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd"]);
    expect(['-0.123456', '-12', '+3.5', '1e-5', -0.5].map(csvField)).toEqual(['-0.123456', '-12', '+3.5', '1e-5', '-0.5']);
  });

  it('writes a header and rows, one line each, ending with a line break', () => {
    expect(csvText(['a', 'b'], [[1, 'x,y'], [null, '=1']])).toBe('a,b\n1,"x,y"\n,\'=1\n');
  });
});
