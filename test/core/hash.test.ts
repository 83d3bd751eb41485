import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, fnv1a, fnv1aString, hex8 } from '../../src/core/hash';

describe('FNV-1a', () => {
  it('matches the published 32-bit test vectors', () => {
    expect(hex8(fnv1aString(''))).toBe('811c9dc5');
    expect(hex8(fnv1aString('a'))).toBe('e40c292c');
    expect(hex8(fnv1aString('foobar'))).toBe('bf9cf968');
    expect(fnv1a(new TextEncoder().encode('foobar'))).toBe(fnv1aString('foobar'));
  });
  it('continues from a given hash', () => {
    expect(fnv1aString('bar', fnv1aString('foo'))).toBe(fnv1aString('foobar'));
    expect(fnv1a(new Uint8Array(0), 7)).toBe(7);
    expect(FNV_OFFSET).toBe(0x811c9dc5);
  });
});
