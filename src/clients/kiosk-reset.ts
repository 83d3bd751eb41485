/**
 * A kiosk's idle reset on the page: what visitors left is discarded (kiosk-discard.ts) and the demo
 * is made the active dataset again. The caller then reloads the page on the home view: a reload
 * also drops what lives only in memory (a chat answer, the forms, a selection), which no list of
 * stores could promise to catch. With no demo left (deleted outside kiosk mode), the next start
 * imports it again, as on a first visit.
 */
import { conversationStore } from './chat-page';
import { discardVisitorData, type DiscardOutcome, type ListedChipStorage } from './kiosk-discard';
import { bundledDemoDatasetId, setActiveDataset } from './pipeline';
import { datasetStore } from './store-client';

function pageChips(): ListedChipStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export async function resetKioskData(): Promise<DiscardOutcome> {
  const outcome = await discardVisitorData({
    datasets: await datasetStore(), conversations: await conversationStore(), demoId: await bundledDemoDatasetId(), chips: pageChips(),
  });
  if (outcome.demo) await setActiveDataset(outcome.demo);
  return outcome;
}
