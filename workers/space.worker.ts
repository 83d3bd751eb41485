import * as Comlink from 'comlink';
import { SpaceEngine } from '../src/gpu/space-engine';

Comlink.expose(new SpaceEngine());
