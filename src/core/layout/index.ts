/** The computational core of the 2D patent map and the 3D technology space; see docs/layout.md. */
export * from './clusters';
export * from './knn';
export * from './pca';
export * from './procrustes';
export * from './quality';
export * from './sliding-windows';
export * from './topic-labels';
export * from './trajectories';
export * from './umap';
