/**
 * The one place the chat meets a chat model. Until a model is loaded (and in report mode, a
 * kiosk, a machine without a GPU) there is none: questions are answered with the sources found
 * and reports are composed from the data, through the same stream, Stop and storage.
 *
 * To wire the engine client (src/clients/chat-client.ts), return an adapter over its loaded
 * engine here: `create` is its `create(request)`, `contextTokens` and `name` come from the
 * engine's info(), and `countTokens` from its tokenizer when it offers one.
 */
import type { ChatChunk, ChatRequest } from '../core/chat/engine';

export interface ChatModel {
  /** Shown with each answer and stored with the turn (e.g. `bundled:ps-llama-yesno-tiny`). */
  readonly name: string;
  /** Prompt + answer tokens the model accepts. */
  readonly contextTokens: number;
  /** The model's own token count; without it the prompt is sized at 3 characters a token (on the safe side). */
  countTokens?(text: string): number;
  create(request: ChatRequest): AsyncIterable<ChatChunk>;
}

/** The loaded chat model, or null for the data-only answers. */
export async function activeChatModel(): Promise<ChatModel | null> {
  return null;
}
