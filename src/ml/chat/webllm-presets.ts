/**
 * The MLC prebuilt instruct models the Models view offers, with web-llm's own figures: the ids
 * are picked here (small instruct models that answer in English), every number — GPU memory,
 * context window, required WebGPU features — comes from the app config web-llm ships
 * (`prebuiltAppConfig`), so a new web-llm release brings its own numbers. The config is passed
 * in rather than imported: web-llm's bundle is loaded only when a web-llm model is wanted.
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { ChatChoiceOption } from './chat-choice';

/** Smallest first within each family; q4f32 variants run on GPUs without shader-f16. */
export const WEBLLM_PRESET_IDS: readonly string[] = [
  'Llama-3.2-1B-Instruct-q4f16_1-MLC',
  'Llama-3.2-1B-Instruct-q4f32_1-MLC',
  'Llama-3.2-3B-Instruct-q4f16_1-MLC',
  'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
  'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
  'Qwen2.5-3B-Instruct-q4f16_1-MLC',
  'gemma-2-2b-it-q4f16_1-MLC',
  'Phi-3.5-mini-instruct-q4f16_1-MLC',
  'Llama-3.1-8B-Instruct-q4f16_1-MLC',
];

/** web-llm's context window for a model: its override, else the library's default of 4096. */
export function contextWindow(record: ModelRecord): number {
  const size = record.overrides?.context_window_size;
  return typeof size === 'number' && size > 0 ? size : 4096;
}

/** The record of a model id in web-llm's app config; a clear error for an id it does not have. */
export function modelRecord(appConfig: AppConfig, modelId: string): ModelRecord {
  const record = appConfig.model_list.find((r) => r.model_id === modelId);
  if (!record) throw new Error(`web-llm has no prebuilt model "${modelId}" (it knows ${appConfig.model_list.length} models, e.g. ${WEBLLM_PRESET_IDS[0]})`);
  return record;
}

/** The picker's web-llm entries, in WEBLLM_PRESET_IDS order; ids this web-llm lacks are left out. */
export function webLlmPresets(appConfig: AppConfig): ChatChoiceOption[] {
  return WEBLLM_PRESET_IDS.flatMap((id) => {
    const record = appConfig.model_list.find((r) => r.model_id === id);
    if (!record) return [];
    return [{
      choice: { kind: 'webllm' as const, model: id },
      label: id.replace(/-MLC$/, ''),
      detail: `MLC build, downloaded from Hugging Face when loaded${record.low_resource_required === true ? '; web-llm marks it fit for small devices' : ''}`,
      vramMB: record.vram_required_MB,
      contextTokens: contextWindow(record),
      lowResource: record.low_resource_required === true,
    }];
  });
}
