import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CatalogueImportReport } from '../../src/core/catalogue/text-import';
import { CatalogueImportGoneError, CatalogueStore, type NewCatalogueImport } from '../../src/store/catalogue-store';
import { useFreshIndexedDb } from './helpers';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

const TEXTS: NewCatalogueImport = { name: 'texts', kind: 'texts', textsFor: 'bref', baseFingerprint: 'abcd0123', sourceFile: { name: 'a.jsonl', bytes: 10 } };

function report(textsStored: number): CatalogueImportReport {
  return {
    kind: 'texts', file: { name: 'a.jsonl', bytes: 10, encoding: 'utf-8' }, rowsRead: textsStored, matched: textsStored, unknown: 0, unknownIds: [],
    noText: 0, textsStored, duplicates: 0, duplicateRows: [], rowErrors: [], rowErrorCount: 0, warnings: [], warningCount: 0, durationMs: 1,
  };
}

describe('CatalogueStore', () => {
  it('keeps an import invisible until it is finished, and writes each chunk in one go', async () => {
    const store = await CatalogueStore.open({ name: 'c1' });
    try {
      const record = await store.createImport(TEXTS);
      await store.putSections(record.id, [{ id: 'A:::1', text: 'one' }, { id: 'A:::2', text: 'two' }]);
      expect(await store.listCatalogues()).toEqual([]);
      expect(await store.textsFor('bref')).toBeUndefined();
      expect(await store.getSection(record.id, 'A:::1')).toBeUndefined();

      const finished = await store.finishImport(record.id, report(2));
      expect(finished).toMatchObject({ status: 'ready', sectionCount: 2, textsFor: 'bref', baseFingerprint: 'abcd0123' });
      expect(await store.textsFor('bref')).toEqual(finished);
      expect(await store.getSection(record.id, 'A:::2')).toEqual({ id: 'A:::2', text: 'two' });
      await expect(store.putSections(record.id, [{ id: 'A:::3', text: 'late' }])).rejects.toThrow(CatalogueImportGoneError);
    } finally {
      store.close();
    }
  });

  it('replaces the earlier texts of the same bundled catalogue only when the new ones are complete', async () => {
    const store = await CatalogueStore.open({ name: 'c2' });
    try {
      const first = await store.createImport(TEXTS);
      await store.putSections(first.id, [{ id: 'A:::1', text: 'old' }, { id: 'A:::9', text: 'only in the old file' }]);
      await store.finishImport(first.id, report(2));
      const own = await store.createImport({ name: 'Own list', kind: 'own', sourceFile: { name: 'o.jsonl', bytes: 5 } });
      await store.putSections(own.id, [{ id: 'X-1', title: 'Mine', text: 'mine' }]);
      await store.finishImport(own.id, { ...report(1), kind: 'own' });

      const second = await store.createImport(TEXTS);
      await store.putSections(second.id, [{ id: 'A:::1', text: 'new' }]);
      expect((await store.textsFor('bref'))?.id).toBe(first.id); // still the old texts mid-import
      await store.finishImport(second.id, report(1));

      expect((await store.textsFor('bref'))?.id).toBe(second.id);
      expect(await store.getSection(second.id, 'A:::1')).toEqual({ id: 'A:::1', text: 'new' });
      expect(await store.getCatalogue(first.id)).toBeUndefined();
      expect(await store.countStoredSections(first.id)).toBe(0);
      // Another catalogue is not touched by the replacement.
      expect((await store.listCatalogues()).map((c) => c.name).sort()).toEqual(['Own list', 'texts']);
      expect(await store.getSections(own.id)).toEqual([{ id: 'X-1', title: 'Mine', text: 'mine' }]);
    } finally {
      store.close();
    }
  });

  it('removes an aborted or abandoned import with everything it wrote, but never a finished one', async () => {
    const store = await CatalogueStore.open({ name: 'c3' });
    try {
      const aborted = await store.createImport(TEXTS);
      await store.putSections(aborted.id, [{ id: 'A:::1', text: 'x' }]);
      expect(await store.abortImport(aborted.id)).toBe(true);
      expect(await store.getCatalogue(aborted.id)).toBeUndefined();
      expect(await store.countStoredSections(aborted.id)).toBe(0);

      const abandoned = await store.createImport(TEXTS);
      await store.putSections(abandoned.id, [{ id: 'A:::1', text: 'x' }]);
      const done = await store.createImport({ ...TEXTS, textsFor: 'other' });
      await store.finishImport(done.id, report(0));
      expect(await store.abortStaleImports(Date.now() + 1)).toEqual([abandoned.id]);
      expect(await store.countStoredSections(abandoned.id)).toBe(0);
      expect(await store.abortImport(done.id)).toBe(false);
      expect(await store.listCatalogues()).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('with Web Locks, removes an unfinished import whose lock nobody holds, whatever its age, and keeps one whose lock is held', async () => {
    const store = await CatalogueStore.open({ name: 'c4' });
    try {
      const alive = await store.createImport({ ...TEXTS, id: 'alive-import' });
      const gone = await store.createImport({ ...TEXTS, id: 'gone-import' });
      await store.putSections(gone.id, [{ id: 'A:::1', text: 'x' }]);
      // Both were created just now: the age rule alone would keep both.
      expect(await store.abortStaleImports(0, async () => new Set(['alive-import']))).toEqual(['gone-import']);
      expect(await store.countStoredSections(gone.id)).toBe(0);
      expect((await store.getCatalogue(alive.id))?.status).toBe('importing');
      // Without lock information the age rule decides.
      expect(await store.abortStaleImports(0)).toEqual([]);
      expect(await store.abortStaleImports(Date.now() + 1)).toEqual([alive.id]);
    } finally {
      store.close();
    }
  });
});
