import * as Comlink from 'comlink';
import { ForecastEngine } from '../src/gpu/forecast-engine';

Comlink.expose(new ForecastEngine());
