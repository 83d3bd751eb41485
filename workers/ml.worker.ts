import * as Comlink from 'comlink';
import { ChatWorkerEngine } from '../src/engines/chat-engine';
import { DatasetEmbedder } from '../src/engines/dataset-embedder';
import { MatchEngine } from '../src/engines/match-engine';
import { MatchJobEngine } from '../src/engines/match-job-engine';
import { SemanticRanker } from '../src/engines/semantic-ranker';
import { sharedGpu } from '../src/gpu/backend';
import { gpuCrossTopK } from '../src/gpu/cross-topk-gpu';
import { installBoundary } from './boundary';

// Every ONNX model (encoder, Yes/No LLM, ONNX chat models) runs here, so the app loads one ONNX
// Runtime and one transformers.js; matching jobs use both. web-llm's models run in their own
// worker (webllm.worker.ts). Comlink.proxy marks each engine so `remote.embedder`
// is typed as a Remote.
const embedder = new DatasetEmbedder();
const matcher = new MatchEngine();
const jobs = new MatchJobEngine(embedder, matcher, { gpu: sharedGpu(), gpuCrossTopK });
const chat = new ChatWorkerEngine();
const semantic = new SemanticRanker(embedder);
const api = { embedder: Comlink.proxy(embedder), matcher: Comlink.proxy(matcher), jobs: Comlink.proxy(jobs), chat: Comlink.proxy(chat), semantic: Comlink.proxy(semantic) };
export type MlWorkerApi = typeof api;
installBoundary();
Comlink.expose(api);
