/**
 * One visitor's whole journey, and not one request leaves 127.0.0.1: a file of their own is
 * imported, embedded (Explore) and laid out (the patent map); then on the demo corpus a forecast
 * is run, patents are matched to BREF techniques (the dashboard's one-click job) and a question is
 * asked in the chat. The request log comes from the browser context, so it sees the workers'
 * fetches too (the model and ONNX Runtime files are fetched by the ML worker: they must be in it),
 * and any non-local request is stopped and recorded rather than sent. No CSP violation may occur.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, isLocal } from './browser';
import { browserForAll } from './session-hooks';
import { recordViolations, violations } from './violations';

const LIMIT = 600_000;
const USER_FILE = resolve('test/fixtures/ingest/generic.csv');

const nav = (page: Page, label: string) => page.locator('ps-app nav a', { hasText: label }).click();

describe.skipIf(!existsSync(CHROMIUM_PATH))('no request leaves 127.0.0.1 (headless Chromium)', () => {
  let page: Page;

  const browser = browserForAll({ webgpu: false }, async (session) => {
    page = session.page;
    await recordViolations(page);
  });

  it('import → embed → map → forecast → match → chat', { timeout: 2_400_000 }, async () => {
    await page.goto(`${inject('baseUrl')}?gpu=off#/import`);
    // The first visit imports the demo corpus; an import started meanwhile would cancel that run.
    await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).waitFor({ state: 'attached', timeout: LIMIT });

    // Import a file of the visitor's own; the app embeds it and shows its nearest codes.
    await page.locator('ps-import-view #file-input').setInputFiles(USER_FILE);
    await page.locator(`ps-import-view tr[data-file="${basename(USER_FILE)}"]`).waitFor({ timeout: LIMIT });
    await page.locator('ps-import-view #start-import').click();
    await page.locator('ps-import-report #import-summary').waitFor({ timeout: LIMIT });
    await page.locator('ps-import-view #open-dataset').click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    await expect(page.locator('ps-dataset-bar #dataset-select').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''))
      .resolves.toMatch(/^generic \(\d+ patents\)$/);

    await nav(page, 'Patent map');
    await page.locator('ps-map-view #map-status[data-state="done"]').waitFor({ timeout: LIMIT });

    // The demo corpus has the years a forecast needs and the one-click matching job.
    const demo = await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).getAttribute('value');
    await page.locator('ps-dataset-bar #dataset-select').selectOption(demo!);
    await nav(page, 'Forecast');
    const forecast = page.locator('ps-forecast-view');
    await forecast.locator('#forecast-status[data-state="idle"]').waitFor({ timeout: LIMIT });
    await forecast.locator('#fc-run').click();
    await forecast.locator('#forecast-status[data-state="done"]').waitFor({ timeout: LIMIT });

    await nav(page, 'Pollution dashboard');
    const dashboard = page.locator('ps-dashboard-view');
    await dashboard.locator('#dashboard-run-demo').click();
    await dashboard.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    const pollutant = (await dashboard.locator('#pollutant-table tbody tr button.open-pollutant').first().textContent())!.trim();

    await nav(page, 'Chat');
    const chat = page.locator('ps-chat-view');
    await chat.locator('#chat-question').fill(`Which patents reduce ${pollutant}?`);
    await chat.locator('#chat-question').press('Enter');
    await chat.locator('article.turn[data-status="done"]').waitFor({ timeout: LIMIT });
    expect(await chat.locator('article.turn a.cite').count()).toBeGreaterThan(0);

    const requests = browser().requests;
    // The log sees the workers' own fetches: the bundled models and ONNX Runtime are fetched there.
    expect(requests.some((u) => u.includes('/models/'))).toBe(true);
    expect(requests.some((u) => u.includes('/ort/') && u.endsWith('.wasm'))).toBe(true);
    expect(requests.filter((u) => !isLocal(u))).toEqual([]);
    await expect(violations(page)).resolves.toEqual([]);
  });
});
