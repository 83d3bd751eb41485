/**
 * A dataset carried to a fresh profile in one file: export the demo dataset from the Import view,
 * open a new, empty browser profile (which imports its own demo corpus, so the name is taken),
 * import the file as a copy under the name the app suggests, and find the same records in every
 * store as in the profile it came from.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { openImportView, storedCounts } from './dataset-file-helpers';

describe.skipIf(!existsSync(CHROMIUM_PATH))('a dataset file, in headless Chromium', () => {
  const sessions: BrowserSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });

  it('exports a dataset, imports it into a cleared profile as a copy, and has the same records', { timeout: 900_000 }, async () => {
    const first = await openBrowser({ webgpu: false });
    sessions.push(first);
    const name = await openImportView(first);
    expect(name).not.toBe('');
    // The start-up analysis stores the demo's vectors after the dataset becomes active; the file
    // must hold the records the copy is compared with, so export once Explore shows its result.
    await first.page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    await first.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    await first.page.locator('ps-app nav a', { hasText: 'Import' }).click();
    expect((await first.page.evaluate(storedCounts, name)).embeddings).toBeGreaterThan(0);
    const [download] = await Promise.all([
      first.page.waitForEvent('download', { timeout: 120_000 }),
      first.page.locator('ps-dataset-file #export-dataset').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.psx\.jsonl$/);
    const file = await download.path();
    await first.page.locator('ps-dataset-file #export-done').waitFor();
    const before = await first.page.evaluate(storedCounts, name);
    expect(before.patents).toBeGreaterThan(0);

    const second = await openBrowser({ webgpu: false }); // a fresh, empty profile
    sessions.push(second);
    await openImportView(second);
    await second.page.locator('ps-dataset-file #dataset-file-input').setInputFiles(file);
    // The new profile has its own demo corpus under that name: the app asks, and replaces nothing.
    await second.page.locator('ps-dataset-file #dataset-file-clash').waitFor({ timeout: 120_000 });
    await expect(second.page.locator('ps-dataset-file #dataset-file-name').inputValue()).resolves.toBe(`${name} (2)`);
    await second.page.locator('ps-dataset-file #dataset-file-import-as').click();
    await second.page.locator('ps-dataset-file #dataset-file-done').waitFor({ timeout: 120_000 });
    await expect(second.page.evaluate(storedCounts, `${name} (2)`)).resolves.toEqual(before);

    await second.page.locator('ps-dataset-file #open-imported').click();
    await expect.poll(() => second.page.locator('ps-dataset-bar #dataset-select').evaluate(
      (select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), { timeout: 120_000 })
      .toBe(`${name} (2) (${before.patentCount} patents)`);
    expect([...first.requests, ...second.requests].filter((url) => !isLocal(url))).toEqual([]);
  });

  it('shows what is wrong with a broken file by its line number and stores nothing', async () => {
    const session = await openBrowser({ webgpu: false });
    sessions.push(session);
    await openImportView(session);
    const manifest = { format: 'patent-space-dataset', version: 1 };
    await session.page.locator('ps-dataset-file #dataset-file-input').setInputFiles({
      name: 'broken.psx.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${JSON.stringify(manifest)}\n`),
    });
    const error = session.page.locator('ps-dataset-file #dataset-file-error');
    await error.waitFor({ timeout: 120_000 });
    await expect(error.textContent()).resolves.toMatch(/Line 1: the manifest has no dataset record/);
    const names = await session.page.locator('ps-dataset-bar #dataset-select option').allTextContents();
    expect(names.every((n) => n.startsWith('Demo corpus'))).toBe(true);
  });
});
