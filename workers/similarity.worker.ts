import * as Comlink from 'comlink';
import { SimilarityEngine } from '../src/gpu/similarity-engine';

Comlink.expose(new SimilarityEngine());
