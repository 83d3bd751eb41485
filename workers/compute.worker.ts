import * as Comlink from 'comlink';
import { CodeNeighbourEngine } from '../src/engines/code-neighbours';
import { ForecastEngine } from '../src/engines/forecast-engine';
import { MapLayoutEngine } from '../src/engines/map-layout-engine';
import { MapPointsEngine } from '../src/engines/map-points-engine';
import { SpaceEngine } from '../src/engines/space-engine';

// Similarity, forecast, technology space and patent-map layout share one worker (and one GPU
// device). UMAP yields between epoch chunks, so a nearest-codes query is answered between them.
const api = {
  neighbours: Comlink.proxy(new CodeNeighbourEngine()),
  forecast: Comlink.proxy(new ForecastEngine()),
  space: Comlink.proxy(new SpaceEngine()),
  layout: Comlink.proxy(new MapLayoutEngine()),
  points: Comlink.proxy(new MapPointsEngine()),
};
export type ComputeWorkerApi = typeof api;
Comlink.expose(api);
