/**
 * The one place the chat meets a chat model. Until a model is loaded (and in report mode, a
 * kiosk, a machine without a GPU) there is none: questions are answered with the sources found
 * and reports are composed from the data, through the same stream, Stop and storage.
 *
 * A model counts once the user has loaded one in Models (the engine client keeps that choice
 * across reloads, but the chat never starts a download by itself: a kiosk or a page without a GPU
 * stays on the data-only answers until someone loads a model). Its prompt is sized by the
 * engine's own tokenizer where it has one (fitPrompt), and its answer gets an eighth of the context.
 */
import type { ChatChunk, ChatRequest } from '../core/chat/engine';
import type { Prompt } from '../core/chat/prompt';
import { answerReserve } from '../ml/chat/chat-choice';
import { chatClient, type WorkerPromptInput } from './chat-client';

export interface ChatModel {
  /** Shown with each answer and stored with the turn (e.g. `bundled:ps-llama-yesno-tiny`). */
  readonly name: string;
  /** Prompt + answer tokens the model accepts. */
  readonly contextTokens: number;
  /** The model's own token count; without it the prompt is sized at 3 characters a token (on the safe side). */
  countTokens?(text: string): number;
  /** Tokens kept for the answer (max_tokens). */
  readonly answerTokens: number;
  /** The grounded prompt cut to this model's context by its own tokenizer. */
  fitPrompt?(input: WorkerPromptInput): Promise<Prompt>;
  create(request: ChatRequest): AsyncIterable<ChatChunk>;
}

/** The loaded chat model, or null for the data-only answers. */
export async function activeChatModel(): Promise<ChatModel | null> {
  const loaded = chatClient.loaded();
  if (!loaded) return null;
  const answerTokens = answerReserve(loaded.info.contextTokens);
  return {
    name: loaded.info.model, contextTokens: loaded.info.contextTokens, answerTokens,
    fitPrompt: (input) => chatClient.buildPrompt({ ...input, answerTokens }),
    create: (request) => chatClient.create(request),
  };
}
