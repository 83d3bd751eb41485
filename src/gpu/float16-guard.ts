/**
 * webgpu-utils names `Float16Array` in its module-level type tables (for f16 WGSL types), so a
 * runtime without it (Chrome before 135, Safari before 18.2, Node before 24) cannot even load the
 * module, and the compute worker, CPU twins included, would fail to start. No shader here uses
 * f16, so a stand-in that refuses to be constructed is enough to load it. Imported before
 * webgpu-utils (ES modules evaluate imports in order); it changes nothing where the type exists.
 */
const scope = globalThis as { Float16Array?: unknown };

if (typeof scope.Float16Array === 'undefined') {
  scope.Float16Array = class Float16ArrayUnavailable {
    constructor() {
      throw new TypeError('Float16Array is not available in this runtime: the GPU kernels use no f16 values');
    }
  };
}

export {};
