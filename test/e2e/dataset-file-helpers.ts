/** What the dataset-file and workspace-file browser tests share: the Import view, and what a profile stores. */
import { expect, inject } from 'vitest';
import type { BrowserSession } from './browser';

/** Records kept with the named dataset in each store of the page's IndexedDB, and its patent count. */
export function storedCounts(datasetName: string): Promise<Record<string, number>> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const stores = ['patents', 'codes', 'embeddings', 'matchJobs', 'matchJobChunks', 'conversations'];
      const tx = db.transaction(['datasets', 'settings', ...stores]);
      const all = tx.objectStore('datasets').getAll();
      all.onsuccess = () => {
        const dataset = (all.result as { id: string; name: string; status: string; patentCount: number }[])
          .find((d) => d.name === datasetName && d.status === 'ready');
        if (!dataset) { db.close(); fail(new Error(`no dataset named ${datasetName}`)); return; }
        const out: Record<string, number> = { patentCount: dataset.patentCount };
        let left = stores.length + 1;
        const finish = () => { if (--left === 0) { db.close(); done(out); } };
        for (const store of stores) {
          const counted = tx.objectStore(store).count(IDBKeyRange.bound([dataset.id], [dataset.id, []]));
          counted.onsuccess = () => { out[store] = counted.result; finish(); };
        }
        const keys = tx.objectStore('settings').getAllKeys();
        keys.onsuccess = () => { out.settings = keys.result.filter((k) => typeof k === 'string' && k.includes(dataset.id)).length; finish(); };
      };
    };
  });
}

/** Opens the Import view (after `query`, e.g. "?gpu=off") once the demo dataset is the active one; resolves with its stored name. */
export async function openImportView(session: BrowserSession, query = ''): Promise<string> {
  await session.page.goto(`${inject('baseUrl')}${query}#/import`);
  const demo = session.page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' });
  await demo.waitFor({ state: 'attached', timeout: 120_000 });
  // The export button is enabled once the app has made a dataset the active one.
  await expect.poll(() => session.page.locator('ps-dataset-file #export-dataset').isEnabled(), { timeout: 120_000 }).toBe(true);
  return session.page.evaluate(async () => {
    // The dataset bar shows "name (n patents)"; the stored name is what the counts are looked up by.
    const open = indexedDB.open('patent-space');
    const db = await new Promise<IDBDatabase>((ok, no) => { open.onsuccess = () => ok(open.result); open.onerror = () => no(open.error); });
    const all = db.transaction('datasets').objectStore('datasets').getAll();
    const records = await new Promise<{ name: string }[]>((ok) => { all.onsuccess = () => ok(all.result as { name: string }[]); });
    db.close();
    return records.find((d) => d.name.startsWith('Demo corpus'))?.name ?? '';
  });
}
