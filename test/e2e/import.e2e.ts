import { createReadStream, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { detectSources, importSources } from '../../src/core/ingest/engine';
import type { ImportReport } from '../../src/core/ingest/report';
import { MemorySink } from '../../src/core/ingest/memory-sink';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const GOOD_FILE = resolve('test/fixtures/ingest/generic.csv');
const BROKEN_FILE = resolve('test/fixtures/ingest/broken.csv');
const NOT_PATENTS = resolve('test/fixtures/ingest/not-a-patent-notes.txt');

/** The report the same core code gives in Node, to compare the browser's against. */
async function nodeReport(path: string): Promise<ImportReport> {
  const source = { name: basename(path), bytes: statSync(path).size, stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
  const [detection] = await detectSources([source]);
  if (!detection.detected) throw new Error(detection.error);
  return (await importSources([{ source, detected: detection.detected }], new MemorySink(), {})).report;
}

async function importThroughFileInput(session: BrowserSession, path: string): Promise<void> {
  const { page } = session;
  await page.goto(`${inject('baseUrl')}#/import`);
  // The first visit imports the demo corpus; an import opened meanwhile would cancel that run.
  await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).waitFor({ state: 'attached', timeout: 120_000 });
  await page.locator('ps-import-view #file-input').setInputFiles(path);
  await page.locator(`ps-import-view tr[data-file="${basename(path)}"]`).waitFor();
  await page.locator('ps-import-view #start-import').click();
  await page.locator('ps-import-report #import-summary').waitFor({ timeout: 120_000 });
}

/** Unfinished datasets in the page's IndexedDB, with the patents each has stored so far. */
function unfinishedImports(): Promise<{ name: string; patents: number }[]> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['datasets', 'patents']);
      const all = tx.objectStore('datasets').getAll();
      all.onsuccess = () => {
        const importing = (all.result as { id: string; name: string; status: string }[]).filter((d) => d.status === 'importing');
        const out: { name: string; patents: number }[] = [];
        if (importing.length === 0) { db.close(); done(out); return; }
        for (const d of importing) {
          const counted = tx.objectStore('patents').count(IDBKeyRange.bound([d.id], [d.id, []]));
          counted.onsuccess = () => {
            out.push({ name: d.name, patents: counted.result });
            if (out.length === importing.length) { db.close(); done(out); }
          };
        }
      };
    };
  });
}

async function count(session: BrowserSession, name: string): Promise<number> {
  return Number(await session.page.locator(`ps-import-report dd[data-count="${name}"]`).textContent());
}

/** Stores a setting under `key` in the page's database, as an engine would. */
function writeSetting(key: string): Promise<void> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('settings', 'readwrite');
      tx.objectStore('settings').put({ cached: true }, key);
      tx.oncomplete = () => { open.result.close(); done(); };
      tx.onerror = () => { open.result.close(); fail(tx.error); };
    };
  });
}

/** The page's setting keys that contain `id`. */
function settingKeysNaming(id: string): Promise<string[]> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const keys = open.result.transaction('settings').objectStore('settings').getAllKeys();
      keys.onsuccess = () => { open.result.close(); done(keys.result.map(String).filter((k) => k.includes(id))); };
      keys.onerror = () => { open.result.close(); fail(keys.error); };
    };
  });
}

async function selectedDatasetLabel(session: BrowserSession): Promise<string> {
  return session.page.locator('ps-dataset-bar #dataset-select').evaluate((select) => {
    const element = select as HTMLSelectElement;
    return element.selectedOptions[0]?.textContent ?? '';
  });
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('bring your own patents, in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('imports a file through the file input and still has it, with the same counts, after a reload', async () => {
    const expected = await nodeReport(GOOD_FILE);
    session = await openBrowser({ webgpu: false });
    await importThroughFileInput(session, GOOD_FILE);
    await expect(count(session, 'patents')).resolves.toBe(expected.patentsImported);
    expect(expected.patentsImported).toBeGreaterThan(0);
    await session.page.locator('ps-import-view #open-dataset').click();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    const label = `generic (${expected.patentsImported} patents)`;
    await expect(selectedDatasetLabel(session)).resolves.toBe(label);

    await session.page.reload();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    await expect(selectedDatasetLabel(session)).resolves.toBe(label);
    const options = await session.page.locator('ps-dataset-bar #dataset-select option').allTextContents();
    expect(options.some((o) => o.startsWith('Demo corpus'))).toBe(true);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it('imports the good rows of a broken file and reports each bad row with its line, as the core does', async () => {
    const expected = await nodeReport(BROKEN_FILE);
    expect(expected.rowErrorCount).toBeGreaterThan(0);
    session = await openBrowser({ webgpu: false });
    await importThroughFileInput(session, BROKEN_FILE);
    await expect(count(session, 'patents')).resolves.toBe(expected.patentsImported);
    await expect(count(session, 'row-errors')).resolves.toBe(expected.rowErrorCount);
    const lines = await session.page.locator('ps-import-report #row-errors td[data-line]').allTextContents();
    expect(lines.map(Number)).toEqual(expected.rowErrors.map((e) => e.line));
    const reasons = (await session.page.locator('ps-import-report #row-errors').textContent()) ?? '';
    expect(reasons).toMatch(/bad year/);
  });

  it('gives one clear message for a file that is not a patent file', async () => {
    session = await openBrowser({ webgpu: false });
    await session.page.goto(`${inject('baseUrl')}#/import`);
    await session.page.locator('ps-import-view #file-input').setInputFiles(NOT_PATENTS);
    const row = session.page.locator(`ps-import-view tr[data-file="${basename(NOT_PATENTS)}"]`);
    await expect(row.textContent()).resolves.toMatch(/does not look like a patent file/);
    await expect(session.page.locator('ps-import-view #start-import').isDisabled()).resolves.toBe(true);
  });

  it('deletes a dataset only after confirmation, and undoes the deletion', async () => {
    session = await openBrowser({ webgpu: false });
    await importThroughFileInput(session, GOOD_FILE);
    await session.page.locator('ps-import-view #open-dataset').click();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    const before = await session.page.locator('ps-dataset-bar #dataset-select option').allTextContents();
    await session.page.locator('ps-dataset-bar #delete-dataset').click();
    await expect(session.page.locator('ps-dataset-bar #dataset-select option').allTextContents()).resolves.toEqual(before);
    await session.page.locator('ps-dataset-bar #confirm-delete').click();
    await session.page.locator('ps-app #undo-delete').waitFor();
    // The toast shows as soon as the dataset is marked deleted; the list refreshes right after.
    await expect.poll(() => session?.page.locator('ps-dataset-bar #dataset-select option').count()).toBe(before.length - 1);
    await session.page.locator('ps-app #undo-delete').click();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    await expect.poll(() => session?.page.locator('ps-dataset-bar #dataset-select option').allTextContents()).toEqual(before);

    // Deleted for good (the next start purges it), nothing of it is left: its chat chips in
    // localStorage and its settings in the database go with it.
    const page = session.page;
    const id = await page.locator('ps-dataset-bar #dataset-select').inputValue();
    const chipKey = `patent-space:chat-context:${id}`;
    await page.evaluate((key) => localStorage.setItem(key, '{"entries":[]}'), chipKey);
    await page.evaluate(writeSetting, `spaceCache:${id}`);
    await page.locator('ps-dataset-bar #delete-dataset').click();
    await page.locator('ps-dataset-bar #confirm-delete').click();
    await expect.poll(() => page.locator('ps-dataset-bar #dataset-select option').count()).toBe(before.length - 1);
    await page.reload();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    await expect(page.evaluate((key) => localStorage.getItem(key), chipKey)).resolves.toBeNull();
    await expect(page.evaluate(settingKeysNaming, id)).resolves.toEqual([]);
  });

  it('a reload in the middle of an import removes the half-stored dataset at once and says what was discarded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-reload-'));
    const big = join(dir, 'reloaded.csv');
    const rows = Array.from({ length: 150_000 }, (_, i) => `R${i},${1990 + (i % 30)},Patent number ${i} about a heat exchanger,F28D 7/00;H01M ${i % 9}/00`);
    writeFileSync(big, `id,year,title,ipc\n${rows.join('\n')}\n`);
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}#/import`);
    await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).waitFor({ state: 'attached', timeout: 120_000 });
    await page.locator('ps-import-view #file-input').setInputFiles(big);
    await page.locator('ps-import-view tr[data-file="reloaded.csv"]').waitFor();
    await page.locator('ps-import-view #start-import').click();
    // Reload once part of the file is stored, well before the import can finish.
    await expect.poll(async () => (await page.evaluate(unfinishedImports)).reduce((n, d) => n + d.patents, 0), { timeout: 120_000, interval: 100 })
      .toBeGreaterThan(0);
    await page.reload();
    const notice = page.locator('ps-app #discarded-imports');
    await notice.waitFor({ timeout: 120_000 });
    await expect(notice.textContent()).resolves.toMatch(/reloaded\.csv[\s\S]*cut short[\s\S]*patents it had stored were removed/);
    await expect(page.evaluate(unfinishedImports)).resolves.toEqual([]);
    const options = await page.locator('ps-dataset-bar #dataset-select option').allTextContents();
    expect(options.some((o) => o.startsWith('reloaded'))).toBe(false);
    expect(options.some((o) => o.startsWith('Demo corpus'))).toBe(true);
  });
});
