/** The computational core of the 2D patent map and the 3D technology space; see docs/layout.md. */
export * from './clusters';
export { sampleIndices } from './cluster-quality';
export * from './knn';
export * from './knn-forest';
export * from './knn-refine';
export * from './pca';
export * from './procrustes';
export * from './quality';
export * from './sliding-windows';
export * from './topic-labels';
export * from './trajectories';
export * from './umap';
export { fitCurve, type CurveParameters } from './umap-curve';
