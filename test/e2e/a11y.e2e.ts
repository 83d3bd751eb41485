/**
 * Every view of the built app on the bundled demo, in the light and the dark scheme, has no
 * serious or critical axe-core violation: the views as they first open, the forecast with its
 * results, and the dashboard, chat and match views before and after the one-click demo job.
 * Any violation is printed with its rule, element and reason, so a failure says what to fix.
 */
import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { blockingViolations } from './axe';
import { CHROMIUM_PATH } from './browser';
import { browserForAll } from './session-hooks';

const LIMIT = 600_000;
const SCHEMES = ['light', 'dark'] as const;

/** Both schemes of the page as it stands; returns the violations found, prefixed by scheme and view. */
async function checkBothSchemes(page: Page, view: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    // The scheme really is the one checked (the theme's tokens follow this media query).
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
    // The tokens follow the media query at once; a frame later everything is painted in it.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    found.push(...(await blockingViolations(page)).map((line) => `${view} (${colorScheme}): ${line}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('accessibility of every view (axe-core, headless Chromium)', () => {
  let page: Page;
  const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();

  browserForAll({ webgpu: false }, async (session) => {
    page = session.page;
    // Colour transitions (--ps-duration) would be measured half-way from one scheme to the other;
    // under reduced motion they take no time, and the colours measured are the ones that stay.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
  });

  it('the views as they open: Explore, map, space, forecast, match, chat, import, models and the empty dashboard', { timeout: 1_500_000 }, async () => {
    const found: string[] = [];
    await page.locator('ps-neighbours-view #neighbours').waitFor({ timeout: LIMIT });
    found.push(...await checkBothSchemes(page, 'Explore'));
    const views: [label: string, ready: string][] = [
      ['Patent map', 'ps-map-view #map-status[data-state="done"]'],
      ['Technology space', 'ps-space-view #space-status[data-state="done"]'],
      ['Forecast', 'ps-forecast-view #forecast-status[data-state="idle"]'],
      ['Match techniques', 'ps-match-view #match-run'],
      ['Chat', 'ps-chat-view #chat-empty'],
      ['Import patents', 'ps-import-view #file-input'],
      ['Models', 'ps-models-view #current-model'],
      ['Pollution dashboard', 'ps-dashboard-view #dashboard-empty'],
    ];
    for (const [label, ready] of views) {
      await nav(label);
      await page.locator(ready).waitFor({ timeout: LIMIT });
      found.push(...await checkBothSchemes(page, label));
    }
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the forecast with its results (text and graph methods)', { timeout: 1_500_000 }, async () => {
    await nav('Forecast');
    const view = page.locator('ps-forecast-view');
    // The embedding methods need the model over every window: the others show the same tables, sooner.
    for (const method of ['mean-of-patents', 'techtoken']) await view.locator(`input.fc-method[value="${method}"]`).uncheck();
    await view.locator('#fc-run').click();
    await view.locator('#forecast-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await view.locator('#fc-pairs').waitFor({ timeout: LIMIT });
    const found = await checkBothSchemes(page, 'Forecast results');
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the dashboard, match and chat views over the one-click demo job', { timeout: 1_500_000 }, async () => {
    await nav('Pollution dashboard');
    const dashboard = page.locator('ps-dashboard-view');
    await dashboard.locator('#dashboard-run-demo').click();
    await dashboard.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    const found = await checkBothSchemes(page, 'Pollution dashboard');
    await nav('Match techniques');
    await page.locator('ps-match-job #jobs tbody tr[data-status="done"]').waitFor({ timeout: LIMIT });
    found.push(...await checkBothSchemes(page, 'Match techniques (job)'));
    await nav('Chat');
    await page.locator('ps-chat-view #chat-empty').waitFor({ timeout: LIMIT });
    found.push(...await checkBothSchemes(page, 'Chat (job)'));
    expect(found, found.join('\n')).toEqual([]);
  });
});
