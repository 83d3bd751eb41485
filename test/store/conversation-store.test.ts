import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { patentItem } from '../../src/core/chat/items';
import { ConversationGoneError, ConversationStore, titleFrom, type StoredTurn } from '../../src/store/conversation-store';
import { DatasetStore } from '../../src/store/dataset-store';
import { DB_VERSION, migrateToV1, migrateToV2, migrateToV3, migrateToV4, type PatentSpaceDB, type PatentSpaceDBV1 } from '../../src/store/schema';
import { makePatents, makeReport, useFreshIndexedDb } from './helpers';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

function turn(id: string, question: string, answer = `An answer to ${question} [P1].`, status: StoredTurn['status'] = 'done'): StoredTurn {
  return {
    id, request: { kind: 'question', question }, question, answer, status, note: null,
    context: [{ tag: 'P1', item: patentItem({ id: 'p00000', title: 'Scrubber', abstract: 'Removes SO2.', year: 2001, codes: ['B01D'] }), origin: 'user' }],
    engine: 'sources', startedAt: 1, endedAt: 2,
  };
}

async function readyDataset(store: DatasetStore, name: string): Promise<string> {
  const dataset = await store.createDataset({ name, level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, makePatents(2));
  await store.finishImport(dataset.id, makeReport(2), new Map([['H04L', 2]]));
  return dataset.id;
}

describe('ConversationStore', () => {
  it('writes turns per dataset, lists the latest first, and deletes them with their dataset', async () => {
    const datasets = await DatasetStore.open();
    const conversations = await ConversationStore.open();
    try {
      const a = await readyDataset(datasets, 'A');
      const b = await readyDataset(datasets, 'B');
      const first = await conversations.saveTurn(a, 'c1', turn('t1', 'Which patents remove ammonia?'), { now: 10 });
      expect(first).toMatchObject({ datasetId: a, id: 'c1', title: 'Which patents remove ammonia?', createdAt: 10, updatedAt: 10 });
      await conversations.saveTurn(a, 'c1', turn('t2', 'And mercury?', 'Half an ans', 'stopped'), { now: 20 });
      await conversations.saveTurn(a, 'c2', turn('t1', 'Other'), { now: 15 });
      await conversations.saveTurn(b, 'c1', turn('t1', 'In B'), { now: 30 });

      const stored = await conversations.get(a, 'c1');
      expect(stored?.turns.map((t) => [t.id, t.status, t.answer])).toEqual([['t1', 'done', 'An answer to Which patents remove ammonia? [P1].'], ['t2', 'stopped', 'Half an ans']]);
      expect(stored?.turns[0].context[0].item).toMatchObject({ kind: 'patent', id: 'p00000', abstract: 'Removes SO2.' });
      expect((await conversations.list(a)).map((c) => c.id)).toEqual(['c1', 'c2']);
      expect((await conversations.latest(b))?.title).toBe('In B');

      // A regenerated answer replaces its turn; a turn id given twice is refused.
      await conversations.saveTurn(a, 'c1', turn('t3', 'And mercury?', 'The whole answer [P1].'), { replace: 't2', now: 25 });
      expect((await conversations.get(a, 'c1'))?.turns.map((t) => t.id)).toEqual(['t1', 't3']);
      await expect(conversations.saveTurn(a, 'c1', turn('t1', 'again'))).rejects.toThrow(/already has a turn t1/);
      await expect(conversations.saveTurn(a, 'c1', turn('t9', 'x'), { replace: 'gone' })).rejects.toThrow(ConversationGoneError);
      expect((await conversations.get(a, 'c1'))?.turns).toHaveLength(2);

      // Deleting dataset A (soft, then purged) removes its conversations and leaves B's.
      await datasets.softDelete(a);
      await datasets.purgeDeleted();
      expect(await conversations.list(a)).toEqual([]);
      expect(await conversations.get(a, 'c2')).toBeUndefined();
      expect((await conversations.list(b)).map((c) => c.id)).toEqual(['c1']);
      // And no turn is written for a dataset that is gone.
      await expect(conversations.saveTurn(a, 'c1', turn('t1', 'late'))).rejects.toThrow(ConversationGoneError);
      expect(await conversations.get(a, 'c1')).toBeUndefined();
    } finally {
      conversations.close();
      datasets.close();
    }
  });

  it('deletes a conversation with undo until it is purged', async () => {
    const datasets = await DatasetStore.open();
    const conversations = await ConversationStore.open();
    try {
      const a = await readyDataset(datasets, 'A');
      await conversations.saveTurn(a, 'c1', turn('t1', 'One'), { now: 1 });
      await conversations.saveTurn(a, 'c2', turn('t1', 'Two'), { now: 2 });
      await conversations.softDelete(a, 'c2');
      expect((await conversations.list(a)).map((c) => c.id)).toEqual(['c1']);
      await conversations.undoDelete(a, 'c2');
      expect((await conversations.latest(a))?.id).toBe('c2');
      await conversations.softDelete(a, 'c2');
      expect(await conversations.purgeDeleted(a)).toEqual(['c2']);
      expect(await conversations.get(a, 'c2')).toBeUndefined();
      await expect(conversations.undoDelete(a, 'c2')).rejects.toThrow(ConversationGoneError);
      expect((await conversations.list(a)).map((c) => c.id)).toEqual(['c1']);
    } finally {
      conversations.close();
      datasets.close();
    }
  });

  it('titles a conversation by its first question, on one line', () => {
    expect(titleFrom('  What\nabates   NOx? ')).toBe('What abates NOx?');
    expect(titleFrom('x'.repeat(100))).toHaveLength(80);
    expect(titleFrom('   ')).toBe('Conversation');
  });
});

describe('schema v5', () => {
  it('adds the conversation store to a v4 database and keeps every store and record', async () => {
    const v4 = await openDB<PatentSpaceDB>('v4', 4, {
      async upgrade(db, _old, _new, tx) {
        migrateToV1(db as unknown as IDBPDatabase<PatentSpaceDBV1>);
        await migrateToV2(db, tx as unknown as Parameters<typeof migrateToV2>[1]);
        migrateToV3(db);
        migrateToV4(db);
      },
    });
    const stores = ['datasets', 'patents', 'settings', 'matchJobs', 'matchJobChunks'] as const;
    const tx = v4.transaction([...stores], 'readwrite');
    await Promise.all([
      tx.objectStore('datasets').put({ id: 'ds-1', name: 'Kept', createdAt: 1, level: 'subclass', status: 'ready', patentCount: 2, codeCount: 1, sourceFiles: [] }),
      ...makePatents(2).map((p) => tx.objectStore('patents').put({ ...p, datasetId: 'ds-1' })),
      tx.objectStore('settings').put('ds-1', 'activeDatasetId'),
      tx.objectStore('matchJobs').put({ datasetId: 'ds-1', id: 'job-1' } as unknown as PatentSpaceDB['matchJobs']['value']),
      tx.objectStore('matchJobChunks').put({ datasetId: 'ds-1', jobId: 'job-1', chunk: 0 } as unknown as PatentSpaceDB['matchJobChunks']['value']),
      tx.done,
    ]);
    expect(v4.objectStoreNames.contains('conversations')).toBe(false);
    v4.close();

    const conversations = await ConversationStore.open({ name: 'v4' });
    expect(await conversations.list('ds-1')).toEqual([]);
    await conversations.saveTurn('ds-1', 'c1', turn('t1', 'After the upgrade'));
    conversations.close();

    const raw = await openDB<PatentSpaceDB>('v4');
    try {
      expect(raw.version).toBe(DB_VERSION);
      expect(DB_VERSION).toBe(5);
      expect(await raw.get('datasets', 'ds-1')).toMatchObject({ name: 'Kept', status: 'ready' });
      expect(await raw.count('patents')).toBe(2);
      expect(await raw.get('settings', 'activeDatasetId')).toBe('ds-1');
      expect(await raw.get('matchJobs', ['ds-1', 'job-1'])).toMatchObject({ id: 'job-1' });
      expect(await raw.count('matchJobChunks')).toBe(1);
      const read = raw.transaction('conversations');
      expect(read.objectStore('conversations').keyPath).toEqual(['datasetId', 'id']);
      expect(await read.objectStore('conversations').get(['ds-1', 'c1'])).toMatchObject({ title: 'After the upgrade' });
    } finally {
      raw.close();
    }
  });
});
