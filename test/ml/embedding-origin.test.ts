import { describe, expect, it } from 'vitest';
import { describeEmbeddingOrigin, type EmbeddingOrigin } from '../../src/clients/pipeline';

const shipped = (verified: boolean): EmbeddingOrigin => ({
  source: 'shipped', verification: null, shippedRejected: null,
  shipped: verified
    ? { source: 'shipped', verified: true, sample: 32, worstCosine: 0.999991, checkedOn: 'wasm', installedAt: 0 }
    : { source: 'shipped', verified: false, installedAt: 0 },
});

describe('the status text of where patent vectors came from', () => {
  it('says shipped vectors are being checked, then how they were verified, or why they were rejected', () => {
    expect(describeEmbeddingOrigin(shipped(false))).toBe('shipped with the demo, checking a sample here…');
    expect(describeEmbeddingOrigin(shipped(false), { passed: true, sample: 32, worstCosine: 0.9999995, device: 'wasm' }))
      .toBe('shipped with the demo, verified: 32 recomputed here on WASM (worst cosine 1.00000)');
    expect(describeEmbeddingOrigin(shipped(false), { passed: false, sample: 32, worstCosine: 0.5, device: 'wasm', reason: 'they differ' }))
      .toBe('shipped with the demo, rejected: they differ');
    expect(describeEmbeddingOrigin({ ...shipped(true), source: 'stored' })).toBe('stored, shipped with the demo, verified: 32 recomputed here on WASM (worst cosine 0.99999)');
  });

  it('says nothing about shipping for vectors embedded or stored here', () => {
    expect(describeEmbeddingOrigin({ source: 'embedded', shipped: null, verification: null, shippedRejected: null })).toBe('embedded here');
    expect(describeEmbeddingOrigin({ source: 'stored', shipped: null, verification: null, shippedRejected: null })).toBe('stored');
  });
});
