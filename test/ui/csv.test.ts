import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/ui/download';

describe('CSV fields', () => {
  it('quotes only what needs it, doubling quotes, and writes nothing for missing values', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 3.5, null, undefined].map(csvField))
      .toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', '3.5', '', '']);
  });
});
