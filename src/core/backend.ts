/** What ran a similarity step, for the status line: the GPU adapter, or the CPU twin and why. */
export interface SimilarityBackend {
  kind: 'webgpu' | 'cpu';
  /** Adapter description when WebGPU runs, e.g. "SwiftShader Device (Subzero)". */
  adapterName?: string;
  isFallbackAdapter?: boolean;
  /** Why the CPU twin runs instead of WebGPU; shown to the user. */
  fallbackReason?: string;
}
