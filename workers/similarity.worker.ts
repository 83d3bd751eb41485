import * as Comlink from 'comlink';
import { CodeNeighbourEngine } from '../src/gpu/code-neighbours';

Comlink.expose(new CodeNeighbourEngine());
