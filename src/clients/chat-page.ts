/**
 * The page's one chat session, kept across route changes: an answer streaming when the user opens
 * another view goes on, and is there (or stored) on coming back.
 */
import { ConversationStore } from '../store/conversation-store';
import { chatContext } from './chat-context-client';
import { workerGrounding } from './chat-grounding-client';
import { activeChatModel } from './chat-model-link';
import { ChatSession } from './chat-session';

/** Milliseconds between the chunks of a data-only answer: the pace it is shown at (`?chatPace=` sets it). */
const DEFAULT_PACE_MS = 25;

let opening: Promise<ConversationStore> | null = null;

/** The main thread's connection to the conversation store; reopened after a failure. */
export function conversationStore(): Promise<ConversationStore> {
  opening ??= ConversationStore.open().catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

function pace(): number {
  const asked = Number(new URLSearchParams(location.search).get('chatPace'));
  return Number.isFinite(asked) && asked >= 0 && new URLSearchParams(location.search).has('chatPace') ? asked : DEFAULT_PACE_MS;
}

let session: ChatSession | null = null;

export function pageChat(): ChatSession {
  if (!session) {
    const ms = pace();
    session = new ChatSession({
      contexts: chatContext,
      grounding: workerGrounding,
      store: conversationStore,
      model: activeChatModel,
      wait: () => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  }
  return session;
}
