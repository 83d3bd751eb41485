/**
 * The kiosk's idle reset over the real stores (fake-indexeddb): a visitor's datasets and the
 * demo's conversations and every chip go, the demo and its patents stay; on a kiosk as shipped it
 * changes nothing.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chipStorageKey } from '../../src/clients/chat-context-client';
import { discardVisitorData, type ListedChipStorage } from '../../src/clients/kiosk-discard';
import { patentItem } from '../../src/core/chat/items';
import { ConversationStore, type StoredTurn } from '../../src/store/conversation-store';
import { DatasetStore } from '../../src/store/dataset-store';
import { makePatents, makeReport, useFreshIndexedDb } from '../store/helpers';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

class MapStorage implements ListedChipStorage {
  readonly items = new Map<string, string>();
  get length(): number { return this.items.size; }
  key(index: number): string | null { return [...this.items.keys()][index] ?? null; }
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
  removeItem(key: string): void { this.items.delete(key); }
}

const turn = (id: string, question: string): StoredTurn => ({
  id, request: { kind: 'question', question }, question, answer: `About ${question} [P1].`, status: 'done', note: null,
  context: [{ tag: 'P1', item: patentItem({ id: 'p00000', title: 'Scrubber', abstract: 'Removes SO2.', year: 2001, codes: ['B01D'] }), origin: 'user' }],
  engine: 'sources', startedAt: 1, endedAt: 2,
});

async function readyDataset(store: DatasetStore, name: string, patents: number): Promise<string> {
  const dataset = await store.createDataset({ name, level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, makePatents(patents));
  await store.finishImport(dataset.id, makeReport(patents), new Map([['H04L', patents]]));
  return dataset.id;
}

describe('discardVisitorData', () => {
  it('deletes the visitors’ datasets, the demo’s conversations and every chip, and keeps the demo', async () => {
    const datasets = await DatasetStore.open();
    const conversations = await ConversationStore.open();
    try {
      const demoId = await readyDataset(datasets, 'Demo corpus', 6);
      const visitorId = await readyDataset(datasets, 'visitor.csv', 3);
      await conversations.saveTurn(demoId, 'c1', turn('t1', 'Which patents remove ammonia?'));
      await conversations.saveTurn(demoId, 'c2', turn('t1', 'And mercury?'));
      await conversations.saveTurn(visitorId, 'c1', turn('t1', 'Mine'));
      const chips = new MapStorage();
      chips.setItem(chipStorageKey(demoId), '{"entries":[]}');
      chips.setItem(chipStorageKey(visitorId), '{"entries":[]}');
      chips.setItem('patent-space:other-setting', 'kept');

      const outcome = await discardVisitorData({ datasets, conversations, demoId, chips });

      expect(outcome).toMatchObject({ changed: true, deletedDatasets: 1, deletedConversations: 2, clearedChips: 2 });
      expect(outcome.demo?.id).toBe(demoId);
      expect((await datasets.listDatasets()).map((d) => d.id)).toEqual([demoId]);
      expect(await datasets.getDataset(visitorId)).toBeUndefined();
      expect(await datasets.countPatents(demoId)).toBe(6);
      expect(await datasets.countPatents(visitorId)).toBe(0);
      expect(await conversations.list(demoId)).toEqual([]);
      expect(await conversations.list(visitorId)).toEqual([]);
      expect([...chips.items.keys()]).toEqual(['patent-space:other-setting']);

      // Run again on what is left: nothing to discard.
      await expect(discardVisitorData({ datasets, conversations, demoId, chips })).resolves.toMatchObject({ changed: false, deletedDatasets: 0, deletedConversations: 0, clearedChips: 0 });
    } finally {
      datasets.close();
      conversations.close();
    }
  });

  it('without a demo, deletes every dataset and says so (the next start imports the demo again)', async () => {
    const datasets = await DatasetStore.open();
    const conversations = await ConversationStore.open();
    try {
      await readyDataset(datasets, 'visitor.csv', 2);
      const outcome = await discardVisitorData({ datasets, conversations, demoId: undefined, chips: null });
      expect(outcome).toMatchObject({ changed: true, deletedDatasets: 1, demo: null });
      expect(await datasets.listDatasets()).toEqual([]);
    } finally {
      datasets.close();
      conversations.close();
    }
  });
});
