import * as Comlink from 'comlink';
import { MapLayoutEngine } from '../src/gpu/map-layout-engine';

Comlink.expose(new MapLayoutEngine());
