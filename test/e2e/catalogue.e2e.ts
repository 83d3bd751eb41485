/**
 * The EU BREF catalogue in the Match view: 32 documents, a title filter, a technique section,
 * section texts loaded from a file (report with line numbers, kept across a reload), then the
 * Yes/No model run for that section over every demo patent. Nothing leaves 127.0.0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const DEMO_PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').length;

const SECTION = 'CAK:::4.1.1';
const LIMIT = 300_000;

describe.skipIf(!existsSync(CHROMIUM_PATH))('the BREF catalogue in the Match view (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('picks a section, loads its text from a file with a report, keeps it across a reload and matches patents to it', { timeout: 900_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    await page.locator('ps-app nav a', { hasText: 'Match techniques' }).click();

    const view = page.locator('ps-match-view');
    await view.locator('#technique-select').selectOption('bref');
    await view.locator('#bref-picker[data-state="ready"]').waitFor({ timeout: LIMIT });
    await expect(view.locator('#document-select option').count()).resolves.toBe(32);

    await view.locator('#document-select').selectOption('CAK');
    await view.locator('#section-select').waitFor({ timeout: LIMIT });
    const all = Number(await view.locator('#sections-count').getAttribute('data-shown'));
    await view.locator('#section-filter').fill('mercury');
    await view.locator('#sections-count[data-shown]').filter({ hasText: 'match “mercury”' }).waitFor({ timeout: LIMIT });
    const shown = Number(await view.locator('#sections-count').getAttribute('data-shown'));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(all);
    await expect(view.locator('#section-select optgroup[label^="Techniques"] option[value="CAK:::4.1.1"]').count()).resolves.toBe(1);
    await view.locator('#section-select').selectOption(SECTION);
    const details = view.locator(`#section-details[data-section="${SECTION}"]`);
    await details.waitFor({ timeout: LIMIT });
    await expect(details.getAttribute('data-text')).resolves.toBe('missing');
    await expect(view.locator('#section-pollutants').textContent()).resolves.toMatch(/Mercury/);

    // The fixture: two texts for bundled sections (one id twice), a cut-off line 3, an unknown id
    // on line 4, a row without text, a blank line and a chapter-level text.
    await view.locator('#texts-file').setInputFiles(resolve('test/fixtures/catalogue/texts.jsonl'));
    const report = view.locator('#texts-report');
    await report.waitFor({ timeout: LIMIT });
    expect({
      rows: await report.getAttribute('data-rows'), matched: await report.getAttribute('data-matched'),
      unknown: await report.getAttribute('data-unknown'), noText: await report.getAttribute('data-no-text'),
      errors: await report.getAttribute('data-errors'), stored: await report.getAttribute('data-stored'),
    }).toEqual({ rows: '6', matched: '4', unknown: '1', noText: '1', errors: '1', stored: '3' });
    await expect(view.locator('#texts-errors li[data-line="3"]').textContent()).resolves.toMatch(/line 3: not valid JSON/);
    await expect(view.locator('#texts-unknown li[data-line="4"]').textContent()).resolves.toMatch(/NOPE:::9\.9/);
    await view.locator(`#section-details[data-section="${SECTION}"][data-text="loaded"]`).waitFor({ timeout: LIMIT });
    await expect(view.locator('#section-details .preview').textContent()).resolves.toMatch(/^Fixture text one/);

    // Texts live in IndexedDB and the chosen section in settings: both are back after a reload.
    await page.reload();
    await view.locator(`#section-details[data-section="${SECTION}"][data-text="loaded"]`).waitFor({ timeout: LIMIT });
    await expect(view.locator('#bref-summary').getAttribute('data-texts')).resolves.toBe('3');

    await view.locator('#match-run').click();
    await view.locator(`#match-status[data-state="done"][data-count="${DEMO_PATENTS}"]`).waitFor({ timeout: LIMIT });
    const [download] = await Promise.all([page.waitForEvent('download'), view.locator('#match-json').click()]);
    expect(download.suggestedFilename()).toBe('match-CAK-4.1.1.json');

    expect(session.errors).toEqual([]);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
  });
});
