/**
 * Which chat model the user picked, as plain data (it is stored as a setting and crosses worker
 * boundaries): the bundled Llama, any ONNX chat model by reference (hub id, URL, picked folder),
 * or one of web-llm's MLC prebuilt models by its model id.
 */
import { formatModelRef, parseModelRef, type ModelDtype } from '../model-ref';

export type ChatChoice =
  | { kind: 'bundled'; model: string; dtype: ModelDtype }
  /** `model`: a model reference (`hub:owner/name`, `url:https://…/`, `folder:name`). */
  | { kind: 'hub'; model: string; dtype: ModelDtype }
  /** `model`: a model id of web-llm's prebuiltAppConfig (e.g. `Llama-3.2-1B-Instruct-q4f16_1-MLC`). */
  | { kind: 'webllm'; model: string };

export type OnnxChatChoice = Extract<ChatChoice, { kind: 'bundled' | 'hub' }>;

/** Answer length when a request sets none (an engine also stops at the end of its context). */
export const DEFAULT_MAX_TOKENS = 256;

/**
 * Tokens a prompt leaves free for the answer when the caller does not say: DEFAULT_MAX_TOKENS,
 * or an eighth of a small context (the bundled model has 512 tokens, and the grounded system
 * prompt alone takes 365 of them in its tokenizer).
 */
export function answerReserve(contextTokens: number): number {
  return Math.min(DEFAULT_MAX_TOKENS, Math.floor(contextTokens / 8));
}

export const BUNDLED_CHAT_MODEL = 'bundled:ps-llama-yesno-tiny';
/** fp32 (4.1 MB): the variant whose greedy answers equal the recipe's references. */
export const BUNDLED_CHAT_CHOICE: OnnxChatChoice = { kind: 'bundled', model: BUNDLED_CHAT_MODEL, dtype: 'fp32' };
/** What the hub's ONNX chat models (onnx-community/…) most often ship. */
export const DEFAULT_HUB_CHAT_DTYPE: ModelDtype = 'q4';

/** One entry of the engine picker: a choice and what the user needs to decide on it. */
export interface ChatChoiceOption {
  choice: ChatChoice;
  label: string;
  /** What it is and where it runs. */
  detail: string;
  /** web-llm's own estimate of the GPU memory the model needs. */
  vramMB?: number;
  contextTokens?: number;
  /** web-llm marks models that run on phones and small laptops. */
  lowResource?: boolean;
}

export function isChatChoice(value: unknown): value is ChatChoice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; model?: unknown; dtype?: unknown };
  if (typeof v.model !== 'string' || v.model === '') return false;
  if (v.kind === 'webllm') return true;
  return (v.kind === 'bundled' || v.kind === 'hub') && typeof v.dtype === 'string';
}

/**
 * A typed hub id, `hub:`/`url:`/`folder:` reference or URL as an ONNX chat choice; a bare
 * `owner/name` is a hub id. Throws the reference parser's message for anything else.
 */
export function hubChatChoice(text: string, dtype: ModelDtype = DEFAULT_HUB_CHAT_DTYPE): OnnxChatChoice {
  const trimmed = text.trim();
  const ref = parseModelRef(/^[a-z]+:/i.test(trimmed) ? trimmed : `hub:${trimmed}`);
  if (ref.kind === 'bundled') return { kind: 'bundled', model: formatModelRef(ref), dtype };
  return { kind: 'hub', model: formatModelRef(ref), dtype };
}

export function choiceKey(choice: ChatChoice): string {
  return choice.kind === 'webllm' ? `webllm:${choice.model}` : `${choice.model}#${choice.dtype}`;
}
