/**
 * A kiosk's idle reset: everything a visitor left is discarded, so the next one finds the demo as
 * it was shipped. Every dataset but the one the app imported from its own demo file is deleted
 * (with its conversations, results and jobs), the demo's conversations are deleted, every dataset's
 * chat chips (localStorage) are cleared, and the demo is made the active dataset again.
 *
 * The caller then reloads the page on the home view: a reload also drops what lives only in memory
 * (a chat answer, the forms, a selection), which no list of stores could promise to catch.
 */
import { bundledDemoDatasetId, setActiveDataset } from './pipeline';
import { conversationStore } from './chat-page';
import { chipStorageKey } from './chat-context-client';
import { datasetStore } from './store-client';

export interface ResetOutcome {
  /** Whether anything was there to discard (false: the kiosk was already as shipped). */
  changed: boolean;
  deletedDatasets: number;
  deletedConversations: number;
  clearedChips: number;
}

export async function resetKioskData(): Promise<ResetOutcome> {
  const store = await datasetStore();
  const demoId = await bundledDemoDatasetId();
  const datasets = await store.listDatasets();
  const visitors = datasets.filter((d) => d.id !== demoId);
  for (const d of visitors) await store.softDelete(d.id);
  // Purged at once, not at the next start as the app's undo allows: nothing of a visitor's is kept.
  await store.purgeDeleted();

  let deletedConversations = 0;
  const demo = datasets.find((d) => d.id === demoId);
  if (demo) {
    const conversations = await conversationStore();
    const stored = await conversations.list(demo.id);
    for (const c of stored) await conversations.softDelete(demo.id, c.id);
    deletedConversations = (await conversations.purgeDeleted(demo.id)).length;
  }

  const clearedChips = clearChips();
  // No demo left (deleted outside kiosk mode): the next start imports it again, as on a first visit.
  if (demo) await setActiveDataset(demo);
  return {
    changed: visitors.length > 0 || deletedConversations > 0 || clearedChips > 0 || !demo,
    deletedDatasets: visitors.length, deletedConversations, clearedChips,
  };
}

/** Removes every dataset's stored chips; returns how many datasets had some. */
function clearChips(): number {
  const prefix = chipStorageKey('');
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    return 0;
  }
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  return keys.length;
}
