import * as Comlink from 'comlink';
import { ChatGroundingEngine } from '../src/engines/chat-grounding-engine';
import { CodeNeighbourEngine } from '../src/engines/code-neighbours';
import { DashboardEngine } from '../src/engines/dashboard-engine';
import { ForecastEngine } from '../src/engines/forecast-engine';
import { MapPointsEngine } from '../src/engines/map-points-engine';
import { SpaceEngine } from '../src/engines/space-engine';
import { installBoundary } from './boundary';

// Similarity, forecast, the technology space and the pollution dashboard share one worker and one GPU device. The patent
// map's UMAP has its own (layout.worker.ts): it runs for seconds without yielding. The chat's
// grounding reads the dashboard's open job, so it lives beside it.
const dashboard = new DashboardEngine();
const api = {
  neighbours: Comlink.proxy(new CodeNeighbourEngine()),
  forecast: Comlink.proxy(new ForecastEngine()),
  space: Comlink.proxy(new SpaceEngine()),
  points: Comlink.proxy(new MapPointsEngine()),
  dashboard: Comlink.proxy(dashboard),
  grounding: Comlink.proxy(new ChatGroundingEngine(dashboard)),
};
export type ComputeWorkerApi = typeof api;
installBoundary();
Comlink.expose(api);
