/**
 * Where ChatClient's engines actually run, behind three small interfaces so the client can be
 * tested in Node with the real ONNX engine and a scripted web-llm: the ML worker's chat engine
 * (ONNX models, over Comlink), web-llm (its own worker, through the adapter on this page; the
 * 6 MB library is imported only when a web-llm model is listed or loaded), and the settings
 * store that keeps the user's choice.
 */
import * as Comlink from 'comlink';
import type { AppConfig, InitProgressReport } from '@mlc-ai/web-llm';
import type { ChatChunk, ChatEngine, ChatFit } from '../core/chat/engine';
import type { Prompt } from '../core/chat/prompt';
import type { ProgressCallback } from '../core/progress';
import type { ChatGenerateRequest, ChatLoaded, ChatLoadOptions, ChatWorkerEngine, WorkerPromptInput } from '../engines/chat-engine';
import type { OnnxChatChoice } from '../ml/chat/chat-choice';
import { chatWorker } from './clients';
import { datasetStore } from './store-client';

/** The ML worker's ChatWorkerEngine as the page reaches it (every call is asynchronous). */
export interface OnnxChatBackend {
  fit(choice: OnnxChatChoice): Promise<ChatFit>;
  load(options: ChatLoadOptions, task: { taskId?: string }, onProgress?: ProgressCallback): Promise<ChatLoaded>;
  generate(request: ChatGenerateRequest, taskId: string, onChunk: (chunk: ChatChunk) => void): Promise<void>;
  abort(taskId: string): Promise<void>;
  buildPrompt(input: WorkerPromptInput): Promise<Prompt>;
  unload(): Promise<void>;
}

export interface WebLlmBackend {
  /** web-llm's prebuiltAppConfig. */
  appConfig(): Promise<AppConfig>;
  fit(modelId: string): Promise<ChatFit>;
  /** The adapter; it checks the fit again before its factory downloads anything. */
  load(modelId: string, onProgress: (report: InitProgressReport) => void): Promise<ChatEngine>;
}

export interface ChoiceStore {
  get(): Promise<unknown>;
  set(value: unknown): Promise<void>;
}

export interface ChatBackends {
  onnx: OnnxChatBackend;
  webllm: WebLlmBackend;
  settings: ChoiceStore;
}

/** Key of the chosen engine in the app's settings (IndexedDB), kept across reloads. */
export const CHAT_CHOICE_SETTING_KEY = 'chatChoice';

/** The ONNX engine in the ML worker (or any Comlink endpoint exposing one): callbacks cross as proxies. */
export function workerOnnxBackend(remote: () => Comlink.Remote<ChatWorkerEngine> = () => chatWorker.get()): OnnxChatBackend {
  return {
    fit: (choice) => remote().fit(choice),
    load: (options, task, onProgress) => remote().load(options, task, onProgress ? Comlink.proxy(onProgress) : undefined),
    generate: (request, taskId, onChunk) => remote().generate(request, taskId, Comlink.proxy(onChunk)),
    abort: (taskId) => remote().abort(taskId),
    buildPrompt: (input) => remote().buildPrompt(input),
    unload: () => remote().unload(),
  };
}

function browserWebLlmBackend(): WebLlmBackend {
  const appConfig = async () => (await import('@mlc-ai/web-llm')).prebuiltAppConfig;
  return {
    appConfig,
    async fit(modelId) {
      const [{ fitWebLlm, browserFitEnvironment }, { modelRecord }] = await Promise.all([import('../ml/chat/webllm-fit'), import('../ml/chat/webllm-presets')]);
      try {
        return await fitWebLlm(modelRecord(await appConfig(), modelId), browserFitEnvironment());
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    async load(modelId, onProgress) {
      const [{ WebLlmChatEngine }, { browserFitEnvironment }] = await Promise.all([import('../ml/chat/webllm-engine'), import('../ml/chat/webllm-fit')]);
      return WebLlmChatEngine.load(modelId, { appConfig: await appConfig(), environment: browserFitEnvironment(), onProgress });
    },
  };
}

function settingsChoiceStore(): ChoiceStore {
  return {
    get: async () => (await datasetStore()).getSetting<unknown>(CHAT_CHOICE_SETTING_KEY),
    set: async (value) => (await datasetStore()).setSetting(CHAT_CHOICE_SETTING_KEY, value),
  };
}

export function browserChatBackends(): ChatBackends {
  return { onnx: workerOnnxBackend(), webllm: browserWebLlmBackend(), settings: settingsChoiceStore() };
}
