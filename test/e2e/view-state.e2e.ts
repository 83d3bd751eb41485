/**
 * The view state lives in the address: on the demo, a code selected in the technology space, the
 * time slider, the camera, the code level and a pollutant opened in the dashboard are each in the
 * link; the link opened in a fresh page of the same profile (the same dataset) shows the same
 * view; back and forward walk through the steps; a link to a dataset this machine lacks says so
 * and keeps the dataset shown. Nothing leaves 127.0.0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { REPLACE_MS } from '../../src/ui/shared/view-state-controller';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;
const DEMO_SUBCLASSES = [...new Set(readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n')
  .flatMap((line) => (JSON.parse(line) as { codes: string[] }).codes.map((c) => c.slice(0, 4))))].sort();

/** The address's parameters (after '#/route?'). */
async function params(page: Page): Promise<URLSearchParams> {
  const hash = new URL(page.url()).hash;
  return new URLSearchParams(hash.split('?')[1] ?? '');
}
const param = async (page: Page, name: string) => (await params(page)).get(name);
const route = async (page: Page) => new URL(page.url()).hash.replace(/^#\//, '').split('?')[0];
const space = (page: Page) => page.locator('ps-space-view #space-status');
const spaceAttr = async (page: Page, name: string) => (await space(page).getAttribute(name)) ?? '';

/** A parameter once it holds still over several replace periods (camera moves settle into the address). */
async function settled(page: Page, name: string): Promise<string | null> {
  let last = await param(page, name);
  for (let tries = 0; tries < 30; tries++) {
    await page.waitForTimeout(4 * REPLACE_MS);
    const now = await param(page, name);
    if (now === last) return now;
    last = now;
  }
  throw new Error(`${name} kept moving`);
}

async function spaceDone(page: Page): Promise<void> {
  await page.locator('ps-space-view #space-status[data-state="done"]').waitFor({ timeout: LIMIT });
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('view state in the address (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('a link reopens the space (code, year, camera), the level and the dashboard (pollutant); back/forward walks the steps', { timeout: 1_800_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page, context } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();
    // The shell writes the dataset (by content fingerprint) and its level into the address.
    await expect.poll(() => param(page, 'ds'), { timeout: 30_000 }).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    await expect(param(page, 'level')).resolves.toBe('subclass');
    const fingerprint = await param(page, 'ds');

    // Space: a code, the slider, an orbit.
    await nav('Technology space');
    await spaceDone(page);
    const code = DEMO_SUBCLASSES[5];
    const search = page.locator('ps-space-view #code-search');
    await search.fill(code);
    await search.press('Enter');
    await expect.poll(() => spaceAttr(page, 'data-selected')).toBe(code);
    await expect.poll(async () => (await params(page)).getAll('code')).toEqual([code]);
    await page.locator('ps-space-view #time-slider').evaluate((input) => {
      (input as HTMLInputElement).value = '4';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect.poll(() => spaceAttr(page, 'data-time')).toBe('4.00');
    await expect.poll(() => param(page, 'year'), { timeout: 10_000 }).not.toBeNull();
    // The flight to the code has settled into the address; an orbit moves the camera there too.
    await expect.poll(() => param(page, 'cam'), { timeout: 10_000 }).not.toBeNull();
    const flown = await param(page, 'cam');
    await page.locator('ps-space-view #space-canvas').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => param(page, 'cam'), { timeout: 10_000 }).not.toBe(flown);
    // Camera moves and slider drags replace the entry once they settle: wait until it has.
    const camera = await settled(page, 'cam');
    const spaceLink = page.url();
    const year = await param(page, 'year');

    // The level: a step of its own; the space lays out the main groups.
    await page.locator('ps-dataset-bar #level-select').selectOption('main_group');
    await expect.poll(() => param(page, 'level')).toBe('main_group');
    await expect.poll(async () => Number(await spaceAttr(page, 'data-codes')), { timeout: LIMIT }).toBeGreaterThan(DEMO_SUBCLASSES.length);
    await spaceDone(page);

    // Dashboard: the demo's one-click job, then a pollutant.
    await nav('Pollution dashboard');
    const dashboard = page.locator('ps-dashboard-view');
    await dashboard.locator('#dashboard-run-demo').click();
    await dashboard.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    const row = dashboard.locator('#pollutant-table tbody tr').nth(1);
    const pollutant = (await row.getAttribute('data-pollutant')) ?? '';
    expect(pollutant).toMatch(/^\d+$/);
    await row.locator('.open-pollutant').click();
    await dashboard.locator(`#pollutant-page[data-pollutant="${pollutant}"]`).waitFor({ timeout: LIMIT });
    await expect.poll(() => param(page, 'pollutant')).toBe(pollutant);
    expect(await param(page, 'level')).toBe('main_group');
    expect(await param(page, 'ds')).toBe(fingerprint);
    const dashboardLink = page.url();

    // Back and forward walk the steps: the dashboard before the pollutant, the space at main
    // groups, the space at subclasses with the code, the year and the camera; then forward again.
    const back = async () => page.evaluate(() => history.back());
    const forward = async () => page.evaluate(() => history.forward());
    await back();
    await expect.poll(() => param(page, 'pollutant')).toBeNull();
    await expect.poll(() => dashboard.locator('#pollutant-page').count()).toBe(0);
    await back();
    await expect.poll(() => route(page)).toBe('space');
    await expect(param(page, 'level')).resolves.toBe('main_group');
    await back();
    await expect.poll(() => param(page, 'level')).toBe('subclass');
    await expect.poll(() => page.locator('ps-dataset-bar #level-select').inputValue(), { timeout: LIMIT }).toBe('subclass');
    await expect.poll(async () => Number(await spaceAttr(page, 'data-codes')), { timeout: LIMIT }).toBe(DEMO_SUBCLASSES.length);
    await expect.poll(() => spaceAttr(page, 'data-selected'), { timeout: LIMIT }).toBe(code);
    await expect.poll(() => spaceAttr(page, 'data-time')).toBe('4.00');
    expect(page.url()).toBe(spaceLink);
    await forward();
    await expect.poll(() => param(page, 'level')).toBe('main_group');
    await expect.poll(() => page.locator('ps-dataset-bar #level-select').inputValue(), { timeout: LIMIT }).toBe('main_group');
    await forward();
    await forward();
    await dashboard.locator(`#pollutant-page[data-pollutant="${pollutant}"]`).waitFor({ timeout: LIMIT });
    expect(page.url()).toBe(dashboardLink);

    // The links in a fresh page of the same profile (the same dataset): the same views.
    const fresh = await context.newPage();
    await fresh.goto(dashboardLink);
    await fresh.locator(`ps-dashboard-view #pollutant-page[data-pollutant="${pollutant}"]`).waitFor({ timeout: LIMIT });
    await expect.poll(() => fresh.locator('ps-dataset-bar #level-select').inputValue(), { timeout: LIMIT }).toBe('main_group');
    await fresh.close();
    // A new page each time: the same address in the same page would be a same-document hash change.
    const fresh2 = await context.newPage();
    await fresh2.goto(spaceLink);
    await expect.poll(() => fresh2.locator('ps-dataset-bar #level-select').inputValue(), { timeout: LIMIT }).toBe('subclass');
    await fresh2.locator('ps-space-view #space-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await expect.poll(() => spaceAttr(fresh2, 'data-selected'), { timeout: LIMIT }).toBe(code);
    await expect.poll(() => spaceAttr(fresh2, 'data-time')).toBe('4.00');
    expect(await param(fresh2, 'year')).toBe(year);
    // The camera of the link, not a flight to the code: the address keeps it as it came.
    await expect.poll(() => param(fresh2, 'cam')).toBe(camera);
    expect(fresh2.url()).toBe(spaceLink);

    // A link to a dataset this machine does not hold: said, named, and the demo stays.
    await fresh2.close();
    const fresh3 = await context.newPage();
    await fresh3.goto(`${inject('baseUrl')}?gpu=off#/space?ds=0-0123456789abcdef&dsname=Scrubbers%202031&code=${code}`);
    const notice = fresh3.locator('ps-app #link-dataset-missing');
    await notice.waitFor({ timeout: LIMIT });
    await expect(notice.textContent()).resolves.toContain('Scrubbers 2031');
    await expect.poll(() => param(fresh3, 'ds')).toBe(fingerprint);
    await fresh3.close();

    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
