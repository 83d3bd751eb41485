import { describe, expect, it } from 'vitest';
import { csvField, csvText } from '../../src/core/csv-writer';

describe('CSV fields', () => {
  it('quotes only what needs it, doubling quotes, and writes nothing for missing values', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 3.5, null, undefined].map(csvField))
      .toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '3.5', '', '']);
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(['=HYPERLINK("http://evil","x")', '@SUM(A1)', '+1+1', '-1+1', '\tcmd', '\rcmd'].map(csvField)).toEqual([
      `"'=HYPERLINK(""http://evil"",""x"")"`, "'@SUM(A1)", "'+1+1", "'-1+1", "'\tcmd", `"'\rcmd"`,
    ]);
  });

  it('writes numbers as numbers, negative ones too, and non-finite numbers as empty cells', () => {
    expect([-1.5, 0, Number.NaN, Number.POSITIVE_INFINITY].map(csvField)).toEqual(['-1.5', '0', '', '']);
  });

  it('joins a header and rows into lines ending with a newline', () => {
    expect(csvText(['id', 'title'], [['EP1', '=1+1'], ['EP2', 'a, b']])).toBe(`id,title\nEP1,'=1+1\nEP2,"a, b"\n`);
  });
});
