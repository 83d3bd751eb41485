import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DatasetStore } from '../../src/store/dataset-store';
import { holdImportLock, runningImports, whenImportEnds, type ImportLockManager } from '../../src/store/import-locks';
import { makePatents, makeReport, useFreshIndexedDb } from './helpers';

/** Web Locks as one origin has them: an exclusive lock is granted when free, queued otherwise. */
class FakeLocks implements ImportLockManager {
  private readonly held = new Set<string>();
  private readonly queue: { name: string; grant: () => void }[] = [];

  request(name: string, _options: { mode: 'exclusive' }, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((done) => {
      const grant = () => {
        this.held.add(name);
        void callback().then(() => {
          this.held.delete(name);
          const next = this.queue.findIndex((w) => w.name === name);
          if (next >= 0) this.queue.splice(next, 1)[0].grant();
          done(undefined);
        });
      };
      if (this.held.has(name)) this.queue.push({ name, grant }); else grant();
    });
  }

  async query() {
    return { held: [...this.held].map((name) => ({ name })), pending: this.queue.map(({ name }) => ({ name })) };
  }
}

describe('import locks', () => {
  it('an import is running exactly while its lock is held', async () => {
    const locks = new FakeLocks();
    const release = await holdImportLock('a', locks);
    await expect(runningImports(locks)).resolves.toEqual(new Set(['a']));
    release();
    await expect.poll(() => runningImports(locks)).toEqual(new Set());
  });

  it('knows nothing where the browser has no Web Locks', async () => {
    await expect(runningImports(null)).resolves.toBeNull();
    const release = await holdImportLock('a', null);
    expect(release).toBeTypeOf('function');
  });
});

describe('clean-up of imports a reload cut short', () => {
  let store: DatasetStore;
  beforeEach(async () => {
    useFreshIndexedDb();
    store = await DatasetStore.open();
  });

  async function unfinished(id: string, patents: number) {
    const dataset = await store.createDataset({ id, name: `import ${id}`, level: 'subclass', sourceFiles: [{ name: `${id}.csv`, bytes: 10 }] });
    await store.putPatents(dataset.id, makePatents(patents, id));
    return dataset;
  }

  it('removes an import minutes old whose tab is gone, keeps one another tab still runs, and says what it removed', async () => {
    const locks = new FakeLocks();
    await holdImportLock('alive', locks); // another tab, still importing
    await unfinished('alive', 3);
    const gone = await holdImportLock('gone', locks);
    await unfinished('gone', 5);
    gone(); // what the browser does to the locks of a tab that reloads or closes

    const { discarded, running } = await store.abortAbandonedImports(() => runningImports(locks), Date.now() + 60_000);
    expect(discarded).toEqual([expect.objectContaining({ id: 'gone', name: 'import gone', patents: 5, files: ['gone.csv'] })]);
    expect(running).toEqual(['alive']);
    expect((await store.getDataset('gone'))).toBeUndefined();
    expect((await store.getPatentsByIds('gone', ['gone00000']))).toEqual([]);
    expect((await store.getDataset('alive'))?.status).toBe('importing');
    expect((await store.getPatentsByIds('alive', ['alive00000']))).toHaveLength(1);
  });

  it('without Web Locks falls back to the age rule, and never touches a finished dataset', async () => {
    const old = await unfinished('old', 2);
    await expect(store.abortAbandonedImports(async () => null, old.createdAt)).resolves.toEqual({ discarded: [], running: [] });
    const later = await store.abortAbandonedImports(async () => null, old.createdAt + 1);
    expect(later.discarded.map((d) => d.id)).toEqual(['old']);
  });

  it('asks for the locks only after reading the records, so an import that starts meanwhile is kept', async () => {
    let asked = false;
    const running = async () => {
      asked = true;
      // An import that takes its lock and creates its record now was not among the records read.
      await store.createDataset({ id: 'new', name: 'new', level: 'subclass', sourceFiles: [] });
      return new Set(['new']);
    };
    await unfinished('gone', 1);
    const { discarded } = await store.abortAbandonedImports(running, 0);
    expect(asked).toBe(true);
    expect(discarded.map((d) => d.id)).toEqual(['gone']);
    expect((await store.getDataset('new'))?.status).toBe('importing');
  });

  it('an import whose lock is let go while unfinished (the worker of a reloaded page, a closed tab) is removed then; a finished one is kept', async () => {
    const locks = new FakeLocks();
    const dying = await holdImportLock('dying', locks);
    await unfinished('dying', 4);
    const finishing = await holdImportLock('finishing', locks);
    await unfinished('finishing', 2);
    const { discarded, running } = await store.abortAbandonedImports(() => runningImports(locks), 0);
    expect(discarded).toEqual([]);
    expect(running.sort()).toEqual(['dying', 'finishing']);

    const ends = running.map((id) => whenImportEnds(id, locks).then(() => store.discardUnfinished(id)));
    await store.finishImport('finishing', makeReport(2), new Map([['H04L', 2]]));
    finishing();
    dying();
    const [first, second] = await Promise.all(ends);
    const byId = Object.fromEntries(running.map((id, i) => [id, [first, second][i]]));
    expect(byId.dying).toMatchObject({ id: 'dying', patents: 4 });
    expect(byId.finishing).toBeNull();
    expect((await store.getDataset('finishing'))?.status).toBe('ready');
    expect(await store.getDataset('dying')).toBeUndefined();
  });
});
