import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../../src/core/dataset-fingerprint';

describe('dataset fingerprint', () => {
  it('depends on the set of ids only, not their order or repeats', () => {
    expect(datasetFingerprint(['b', 'a', 'c'])).toBe(datasetFingerprint(['a', 'c', 'b', 'a']));
  });

  it('tells different sets apart, including ids that concatenate alike', () => {
    const prints = [['a'], ['b'], ['a', 'b'], ['ab'], ['a', 'bc'], ['ab', 'c'], []].map(datasetFingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('starts with the count, so sets of other sizes never collide', () => {
    expect(datasetFingerprint(['x', 'y', 'z']).split('-')[0]).toBe((3).toString(36));
    expect(datasetFingerprint([])).toMatch(/^0-[0-9a-f]{16}$/);
  });
});
