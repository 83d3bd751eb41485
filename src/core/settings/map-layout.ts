/**
 * The patent map's layout settings: shared by the view that edits them and the engine that
 * computes layouts (src/engines/map-layout-engine.ts), so the view need not import the engine.
 */
export interface MapLayoutSettings {
  method: 'pca' | 'umap';
  seed: number;
  /** UMAP's n_neighbors (the point itself included); the GPU graph allows up to 33. */
  neighbours: number;
  minDist: number;
}

export const DEFAULT_MAP_SETTINGS: MapLayoutSettings = { method: 'umap', seed: 1, neighbours: 15, minDist: 0.1 };
/** The top-k kernel keeps at most 32 neighbours per row (TOPK_MAX_K), plus the point itself. */
export const GPU_MAX_NEIGHBOURS = 33;

/** What the view offers in its inputs, and clamps typed values to. */
export const MAP_SETTING_LIMITS = { neighbours: { min: 2, max: 100 }, minDist: { min: 0, max: 0.99 } } as const;
