/**
 * Buffer layouts read from the WGSL source with webgpu-utils (makeShaderDataDefinitions,
 * makeStructuredView), so no TypeScript copy of a struct or of a binding number can drift from
 * its shader: each storage variable is bound by its WGSL name, and a uniform struct is filled by
 * field name at the offsets and in the scalar types (u32, i32, f32) the shader declares.
 */
import './float16-guard';
import { makeShaderDataDefinitions, makeStructuredView, type ShaderDataDefinitions } from 'webgpu-utils';

export type WgslScalar = 'u32' | 'i32' | 'f32';

export interface UniformField {
  name: string;
  type: WgslScalar;
  /** Byte offset inside the struct. */
  offset: number;
}

export interface ShaderBinding {
  name: string;
  binding: number;
  kind: 'storage' | 'uniform';
}

export interface ShaderLayout {
  /** Group 0, ascending binding number (the only group these compute kernels use). */
  bindings: readonly ShaderBinding[];
  /** The one uniform variable's name, or null when the shader has none. */
  uniform: string | null;
  definitions: ShaderDataDefinitions;
}

/** Uniform binding sizes are rounded up to 16 bytes so every backend accepts the binding. */
const UNIFORM_SIZE_GRANULE_BYTES = 16;
const SCALARS: ReadonlySet<string> = new Set(['u32', 'i32', 'f32']);
const I32_MIN = -0x8000_0000;
const I32_MAX = 0x7fff_ffff;
const U32_MAX = 0xffff_ffff;

/** Memoised per source: shaders are module constants, parsed once. */
const definitionsBySource = new Map<string, ShaderDataDefinitions>();
const layouts = new Map<string, ShaderLayout>();

function definitionsOf(wgsl: string): ShaderDataDefinitions {
  let definitions = definitionsBySource.get(wgsl);
  if (!definitions) {
    definitions = makeShaderDataDefinitions(wgsl);
    definitionsBySource.set(wgsl, definitions);
  }
  return definitions;
}

/** The bindings of a compute kernel: group 0 only, at most one uniform. */
export function shaderLayout(wgsl: string): ShaderLayout {
  const cached = layouts.get(wgsl);
  if (cached) return cached;
  const definitions = definitionsOf(wgsl);
  const bindings: ShaderBinding[] = [];
  const collect = (kind: ShaderBinding['kind'], variables: ShaderDataDefinitions['storages']) => {
    for (const [name, variable] of Object.entries(variables)) {
      if (variable.group !== 0) throw new Error(`WGSL variable ${name} is in group ${variable.group}; compute kernels here use group 0 only`);
      bindings.push({ name, binding: variable.binding, kind });
    }
  };
  collect('storage', definitions.storages);
  collect('uniform', definitions.uniforms);
  bindings.sort((a, b) => a.binding - b.binding);
  const uniforms = Object.keys(definitions.uniforms);
  if (uniforms.length > 1) throw new Error(`WGSL source declares ${uniforms.length} uniforms (${uniforms.join(', ')}); kernels here take one`);
  const layout: ShaderLayout = { bindings, uniform: uniforms[0] ?? null, definitions };
  layouts.set(wgsl, layout);
  return layout;
}

/** Fields of the uniform variable `name` (a struct of scalars), in declaration order. */
export function uniformFields(wgsl: string, name: string): readonly UniformField[] {
  const variable = definitionsOf(wgsl).uniforms[name];
  if (!variable) throw new Error(`WGSL source has no uniform ${name}`);
  const fields = (variable.typeDefinition as { fields?: Record<string, { offset: number; type: { type?: string; numElements?: number } }> }).fields;
  if (!fields) throw new Error(`uniform ${name} is not a struct`);
  return Object.entries(fields).map(([field, { offset, type }]) => {
    if (type.type === undefined || !SCALARS.has(type.type) || (type.numElements ?? 1) !== 1) {
      throw new Error(`uniform ${name}: field ${field} must be a scalar u32, i32 or f32`);
    }
    return { name: field, type: type.type as WgslScalar, offset };
  });
}

/**
 * The bytes of uniform `name` holding `values`: every field given exactly once, integers in range
 * for u32 and i32, finite numbers for f32. Rounded up to a multiple of 16 bytes.
 */
export function packUniform(wgsl: string, name: string, values: Readonly<Record<string, number>>): ArrayBuffer {
  const fields = uniformFields(wgsl, name);
  const extra = Object.keys(values).filter((key) => !fields.some((field) => field.name === key));
  if (extra.length > 0) {
    throw new Error(`uniform ${name} has no field(s) ${extra.join(', ')}; fields: ${fields.map((f) => f.name).join(', ')}`);
  }
  for (const field of fields) checkValue(name, field, values[field.name]);
  const variable = definitionsOf(wgsl).uniforms[name];
  const size = Math.ceil(Math.max(variable.size, 1) / UNIFORM_SIZE_GRANULE_BYTES) * UNIFORM_SIZE_GRANULE_BYTES;
  const view = makeStructuredView(variable, new ArrayBuffer(size));
  view.set(values);
  return view.arrayBuffer;
}

function checkValue(uniform: string, field: UniformField, value: number | undefined): void {
  if (value === undefined) throw new Error(`uniform ${uniform}: missing value for ${field.name}`);
  const ok = field.type === 'f32'
    ? Number.isFinite(value)
    : Number.isInteger(value) && value >= (field.type === 'u32' ? 0 : I32_MIN) && value <= (field.type === 'u32' ? U32_MAX : I32_MAX);
  if (!ok) throw new RangeError(`uniform ${uniform}: ${field.name} must be a${field.type === 'f32' ? ' finite f32' : `n ${field.type}`}, got ${value}`);
}
