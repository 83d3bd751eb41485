import * as Comlink from 'comlink';
import { MapLayoutEngine } from '../src/engines/map-layout-engine';
import { installBoundary } from './boundary';

// The patent map's layout (PCA, UMAP, topics) in a worker of its own: UMAP runs up to 6 s
// without yielding (k-NN, PCA start; bench-results/compute-queue.json, test/bench/compute-queue.bench.ts),
// so in the compute worker a nearest-codes query would wait that long, and on a second core it runs beside it.
installBoundary();
Comlink.expose(new MapLayoutEngine());
