/**
 * What a kiosk's idle reset discards, over the stores it is handed: every dataset but the demo
 * (with its conversations, results and jobs), the demo's conversations, and every dataset's chat
 * chips. Kept apart from the page wiring (kiosk-reset.ts) so that it runs against any store.
 */
import type { ConversationStore } from '../store/conversation-store';
import type { DatasetStore } from '../store/dataset-store';
import { chipStorageKey, type ChipStorage } from './chat-context-client';

/** The chip storage plus the listing that finding every dataset's chips needs (localStorage has both). */
export interface ListedChipStorage extends ChipStorage {
  readonly length: number;
  key(index: number): string | null;
}

export interface DiscardInput {
  datasets: DatasetStore;
  conversations: ConversationStore;
  /** The dataset the app imported from its own demo file; undefined when there is none. */
  demoId: string | undefined;
  chips: ListedChipStorage | null;
}

export interface DiscardOutcome {
  /** Whether anything was there to discard (false: the kiosk was as shipped). */
  changed: boolean;
  deletedDatasets: number;
  deletedConversations: number;
  clearedChips: number;
  /** The demo's record, to make active again; null when there is no demo. */
  demo: Awaited<ReturnType<DatasetStore['getDataset']>> | null;
}

export async function discardVisitorData({ datasets, conversations, demoId, chips }: DiscardInput): Promise<DiscardOutcome> {
  const all = await datasets.listDatasets();
  const visitors = all.filter((d) => d.id !== demoId);
  for (const d of visitors) await datasets.softDelete(d.id);
  // Purged at once, not at the next start as the app's undo allows: nothing of a visitor's is kept.
  await datasets.purgeDeleted();

  const demo = all.find((d) => d.id === demoId) ?? null;
  let deletedConversations = 0;
  if (demo) {
    for (const c of await conversations.list(demo.id)) await conversations.softDelete(demo.id, c.id);
    deletedConversations = (await conversations.purgeDeleted(demo.id)).length;
  }
  const clearedChips = chips ? clearChips(chips) : 0;
  return {
    changed: visitors.length > 0 || deletedConversations > 0 || clearedChips > 0 || !demo,
    deletedDatasets: visitors.length, deletedConversations, clearedChips, demo,
  };
}

/** Removes every dataset's stored chips; returns how many datasets had some. */
function clearChips(storage: ListedChipStorage): number {
  const prefix = chipStorageKey('');
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  return keys.length;
}
