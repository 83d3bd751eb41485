import * as Comlink from 'comlink';
import { DatasetEmbedder } from '../src/engines/dataset-embedder';
import { MatchEngine } from '../src/engines/match-engine';
import { installBoundary } from './boundary';

// Every ONNX model (encoder, Yes/No LLM) runs here, so the app loads one ONNX Runtime and one
// transformers.js. Comlink.proxy marks each engine so `remote.embedder` is typed as a Remote.
const api = { embedder: Comlink.proxy(new DatasetEmbedder()), matcher: Comlink.proxy(new MatchEngine()) };
export type MlWorkerApi = typeof api;
installBoundary();
Comlink.expose(api);
