import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

// web-llm's MLC engine (src/ml/chat/webllm-engine.ts). Its handler takes over this worker's
// onmessage with web-llm's own protocol, so it cannot share the Comlink ML worker: it gets a
// worker of its own, started only when a web-llm model is loaded.
const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent) => handler.onmessage(message);
