import * as Comlink from 'comlink';
import { MatchEngine } from '../src/ml/match-engine';

Comlink.expose(new MatchEngine());
