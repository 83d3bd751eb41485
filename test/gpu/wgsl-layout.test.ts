/**
 * Buffer layouts read from WGSL with webgpu-utils (src/gpu/wgsl-layout.ts) and the shared kernel
 * runner that binds buffers by their WGSL names (src/gpu/runner.ts).
 */
import { describe, expect, it } from 'vitest';
import cosineTile from '../../shaders/cosine_tile.wgsl?raw';
import pairCosine from '../../shaders/pair_cosine.wgsl?raw';
import { ComputeKernel } from '../../src/gpu/runner';
import { packUniform, shaderLayout, uniformFields } from '../../src/gpu/wgsl-layout';
import { withDevice } from './gpu-harness';

const WGSL = `
struct Params {
  a: u32, // first
  b_c: u32,
  scale: f32,
  shift: i32,
}
struct Other { x: vec3f }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<uniform> other: Other;
@compute @workgroup_size(1) fn main() { _ = params; _ = other; }
`;

describe('uniform layouts from the WGSL source', () => {
  it('reads uniform layouts from the WGSL source, f32 and i32 fields included', () => {
    expect(uniformFields(WGSL, 'params')).toEqual([
      { name: 'a', type: 'u32', offset: 0 },
      { name: 'b_c', type: 'u32', offset: 4 },
      { name: 'scale', type: 'f32', offset: 8 },
      { name: 'shift', type: 'i32', offset: 12 },
    ]);
    expect(() => uniformFields(WGSL, 'other')).toThrow(/x must be a scalar u32, i32 or f32/);
    expect(() => uniformFields(WGSL, 'Missing')).toThrow(/no uniform Missing/);
  });

  it('packs each field at its offset in its own type, padded to 16 bytes', () => {
    const bytes = packUniform(WGSL, 'params', { a: 1, b_c: 0xffff_ffff, scale: 0.5, shift: -3 });
    expect(bytes.byteLength).toBe(16);
    expect(Array.from(new Uint32Array(bytes, 0, 2))).toEqual([1, 0xffff_ffff]);
    expect(new Float32Array(bytes, 8, 1)[0]).toBe(0.5);
    expect(new Int32Array(bytes, 12, 1)[0]).toBe(-3);
    // Three u32 fields (12 bytes) are bound as 16.
    expect(packUniform(pairCosine, 'params', { pair_count: 7, row_count: 3, vec4s_per_row: 96 }).byteLength).toBe(16);
  });

  it('rejects missing, unknown and out-of-range values with the field named', () => {
    expect(() => packUniform(WGSL, 'params', { a: 1, b_c: 2, scale: 1 })).toThrow(/missing value for shift/);
    expect(() => packUniform(WGSL, 'params', { a: 1, b_c: 2, scale: 1, shift: 0, extra: 1 })).toThrow(/no field\(s\) extra/);
    expect(() => packUniform(WGSL, 'params', { a: -1, b_c: 2, scale: 1, shift: 0 })).toThrow(RangeError);
    expect(() => packUniform(WGSL, 'params', { a: 1.5, b_c: 2, scale: 1, shift: 0 })).toThrow(/a must be an u32/);
    expect(() => packUniform(WGSL, 'params', { a: 1, b_c: 2, scale: Number.NaN, shift: 0 })).toThrow(/scale must be a finite f32/);
    expect(() => packUniform(WGSL, 'params', { a: 1, b_c: 2, scale: 1, shift: 2 ** 31 })).toThrow(/shift must be an i32/);
  });

  it('lists a kernel\'s bindings by WGSL name and number', () => {
    expect(shaderLayout(cosineTile).bindings).toEqual([
      { name: 'a', binding: 0, kind: 'storage' },
      { name: 'b', binding: 1, kind: 'storage' },
      { name: 'scores', binding: 2, kind: 'storage' },
      { name: 'params', binding: 3, kind: 'uniform' },
    ]);
    expect(shaderLayout(cosineTile).uniform).toBe('params');
    expect(() => shaderLayout(WGSL)).toThrow(/2 uniforms/);
  });
});

describe('ComputeKernel (the shared runner)', () => {
  it('refuses buffers the shader does not declare and storage bindings left out', withDevice(async ({ device, createStorage }) => {
    const kernel = await ComputeKernel.create(device, 'pair_cosine', pairCosine);
    try {
      const buffer = createStorage(64);
      const encoder = device.createCommandEncoder();
      const params = { pair_count: 1, row_count: 1, vec4s_per_row: 1 };
      expect(() => kernel.dispatch(encoder, { rows: buffer, first: buffer, second: buffer, cosines: buffer, extra: buffer }, params, [1]))
        .toThrow(/no storage binding\(s\) extra/);
      expect(() => kernel.dispatch(encoder, { rows: buffer, first: buffer, second: buffer }, params, [1]))
        .toThrow(/no buffer given for storage binding cosines/);
      encoder.finish();
    } finally {
      kernel.destroy();
    }
  }));
});
