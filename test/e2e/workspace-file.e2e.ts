/**
 * The whole workspace carried to a fresh profile in one file: a profile with the demo dataset and
 * a second dataset (a copy imported from a dataset file) and one changed setting exports the
 * workspace; a new, empty browser profile (which has its own demo corpus, so that name is taken)
 * imports it, choosing the suggested name for the clash, and has both datasets with the same
 * records in every store, is asked before the setting is applied, and shows the same nearest
 * codes in Explore for the imported demo as the profile it came from.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { openImportView, storedCounts } from './dataset-file-helpers';

const LIMIT = 600_000;

/** The stored id of the ready dataset named `name`. */
function datasetIdOf(name: string): Promise<string> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('datasets').objectStore('datasets').getAll();
      all.onsuccess = () => {
        db.close();
        const found = (all.result as { id: string; name: string; status: string }[]).find((d) => d.name === name && d.status === 'ready');
        if (found) done(found.id);
        else fail(new Error(`no dataset named ${name}`));
      };
    };
  });
}

/** Explore's chosen code and its nearest codes, once the app has finished the analysis of dataset `datasetId`. */
async function exploreResult(page: Page, datasetId: string): Promise<{ code: string; rows: string[] }> {
  // The status and the table come from one result: a table left from another dataset can't be read here.
  await page.locator(`ps-app #status[data-state="done"][data-dataset="${datasetId}"]`).waitFor({ timeout: LIMIT });
  const view = page.locator('ps-neighbours-view');
  await view.locator('#neighbours tbody tr').first().waitFor({ timeout: LIMIT });
  return {
    code: await view.locator('#code-select').inputValue(),
    rows: (await view.locator('#neighbours tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim()),
  };
}

function readSetting(key: string): Promise<unknown> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const got = db.transaction('settings').objectStore('settings').get(key);
      got.onsuccess = () => { db.close(); done(got.result); };
      got.onerror = () => { db.close(); fail(got.error); };
    };
  });
}

function writeSetting([key, value]: [string, unknown]): Promise<void> {
  return new Promise((done, fail) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('settings', 'readwrite');
      tx.objectStore('settings').put(value, key);
      tx.oncomplete = () => { db.close(); done(); };
      tx.onerror = () => { db.close(); fail(tx.error); };
    };
  });
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('a workspace file, in headless Chromium', () => {
  const sessions: BrowserSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });

  it('exports two datasets and a setting, imports them into a fresh profile, and shows the same records and Explore', { timeout: 2_400_000 }, async () => {
    const first = await openBrowser({ webgpu: false });
    sessions.push(first);
    const page = first.page;
    const name = await openImportView(first, '?gpu=off');
    expect(name).not.toBe('');
    await page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    const explored = await exploreResult(page, await page.evaluate(datasetIdOf, name));
    expect(explored.rows.length).toBeGreaterThan(0);

    // A second dataset: the demo carried out and back in as a copy, through the dataset file.
    await page.locator('ps-app nav a', { hasText: 'Import' }).click();
    const [datasetDownload] = await Promise.all([
      page.waitForEvent('download', { timeout: LIMIT }),
      page.locator('ps-dataset-file #export-dataset').click(),
    ]);
    await page.locator('ps-dataset-file #dataset-file-input').setInputFiles(await datasetDownload.path());
    await page.locator('ps-dataset-file #dataset-file-clash').waitFor({ timeout: LIMIT });
    await page.locator('ps-dataset-file #dataset-file-import-as').click();
    await page.locator('ps-dataset-file #dataset-file-done').waitFor({ timeout: LIMIT });
    const copy = `${name} (2)`;
    await page.evaluate(writeSetting, ['yesNoThreshold', 0.7] as [string, unknown]);

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: LIMIT }),
      page.locator('ps-dataset-file #export-workspace').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^patent-space-workspace-.*\.psx\.jsonl$/);
    const file = await download.path();
    await expect(page.locator('ps-dataset-file #export-done').textContent({ timeout: LIMIT })).resolves.toContain('2 datasets');
    const before = { demo: await page.evaluate(storedCounts, name), copy: await page.evaluate(storedCounts, copy) };
    expect(before.demo.patents).toBeGreaterThan(0);
    expect(before.demo.embeddings).toBeGreaterThan(0);

    const second = await openBrowser({ webgpu: false }); // a fresh, empty profile
    sessions.push(second);
    const fresh = second.page;
    await openImportView(second, '?gpu=off');
    await fresh.locator('ps-dataset-file #dataset-file-input').setInputFiles(file);
    // The new profile has its own demo corpus: the app asks about that name only, and replaces nothing.
    const clashes = fresh.locator('ps-dataset-file #workspace-file-clashes');
    await clashes.waitFor({ timeout: LIMIT });
    const names = clashes.locator('input.clash-name');
    await expect(names.count()).resolves.toBe(1);
    const renamed = await names.inputValue();
    expect(renamed).toBe(`${name} (3)`);
    await fresh.locator('ps-dataset-file #workspace-file-import-as').click();
    const done = fresh.locator('ps-dataset-file #workspace-file-done');
    await done.waitFor({ timeout: LIMIT });
    await expect(fresh.evaluate(storedCounts, renamed)).resolves.toEqual(before.demo);
    await expect(fresh.evaluate(storedCounts, copy)).resolves.toEqual(before.copy);
    await expect(fresh.evaluate(storedCounts, name)).resolves.toMatchObject({ patentCount: before.demo.patentCount });

    // The differing setting is shown and written only when the user applies it.
    const settings = fresh.locator('ps-dataset-file #workspace-settings');
    await expect(settings.textContent({ timeout: LIMIT })).resolves.toMatch(/Match yes\/no threshold: 0\.7 \(here: not set\)/);
    await expect(fresh.evaluate(readSetting, 'yesNoThreshold')).resolves.toBeUndefined();
    await fresh.locator('ps-dataset-file #workspace-settings-apply').click();
    await fresh.locator('ps-dataset-file #workspace-settings-applied').waitFor({ timeout: LIMIT });
    await expect(fresh.evaluate(readSetting, 'yesNoThreshold')).resolves.toBe(0.7);

    // The imported demo opens in Explore with the same nearest codes as where it came from.
    await done.locator('li', { hasText: `“${renamed}”` }).locator('button.open-imported').click();
    await expect.poll(() => fresh.locator('ps-dataset-bar #dataset-select').evaluate(
      (select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), { timeout: LIMIT })
      .toBe(`${renamed} (${before.demo.patentCount} patents)`);
    const importedId = await fresh.evaluate(datasetIdOf, renamed);
    expect(importedId).not.toBe(await fresh.evaluate(datasetIdOf, name));
    await expect(exploreResult(fresh, importedId)).resolves.toEqual(explored);
    expect([...first.requests, ...second.requests].filter((url) => !isLocal(url))).toEqual([]);
  });

  it('shows what is wrong with a broken workspace file by its line number and stores nothing', async () => {
    const session = await openBrowser({ webgpu: false });
    sessions.push(session);
    await openImportView(session);
    const manifest = { format: 'patent-space-workspace', version: 1, datasets: [], settings: { records: 0, sha256: 'x' } };
    const stray = { kind: 'patent', value: { id: 'p1', year: 2001, title: 't', codes: [] } };
    await session.page.locator('ps-dataset-file #dataset-file-input').setInputFiles({
      name: 'broken.psx.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${JSON.stringify(manifest)}\n${JSON.stringify(stray)}\n`),
    });
    const error = session.page.locator('ps-dataset-file #dataset-file-error');
    await error.waitFor({ timeout: 120_000 });
    await expect(error.textContent()).resolves.toMatch(/Line 2: the patent record names no dataset/);
    const names = await session.page.locator('ps-dataset-bar #dataset-select option').allTextContents();
    expect(names.every((n) => n.startsWith('Demo corpus'))).toBe(true);
  });
});
