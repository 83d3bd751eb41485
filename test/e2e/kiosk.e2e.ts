/**
 * Kiosk mode (?kiosk) in the built app, on a clock the test moves (Playwright's page.clock: time
 * flows as usual, and fastForward jumps it): the shell without import, delete or file inputs and
 * with touch-sized controls; the attract loop starting after the idle time and cycling through
 * its slides (the space turning with its time slider playing, the forecast's top pairs, the
 * dashboard); a touch ending it on the view the visitor had; the idle reset discarding a
 * visitor's import (made beforehand through the normal app in the same browser profile) and chat
 * chip and reloading on the demo, in the loop; an uncaught error reloading the kiosk into its loop;
 * the demo's matching job run by the kiosk itself, so the pollutant slide has a ranking.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;
const VISITOR_FILE = resolve('test/fixtures/ingest/generic.csv');
/** Long enough that the real time a slow machine takes never moves the kiosk on by itself: only fastForward does. */
const IDLE_S = 900;
const SLIDE_S = 900;
const RESET_MIN = 120;

/** The kiosk's state element: data-mode (visitor / attract) and data-slide. */
const kioskState = (page: Page, name: 'data-mode' | 'data-slide' | 'data-wake-lock' | 'data-demo-job') => page.locator('ps-kiosk #kiosk-state').getAttribute(name, { timeout: LIMIT });

/** Marks the page's window, so that a reload shows as the mark being gone. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => { (window as Window & { kioskTestMark?: boolean }).kioskTestMark = true; });
}
const pageMarked = (page: Page) => page.evaluate(() => (window as Window & { kioskTestMark?: boolean }).kioskTestMark === true).catch(() => false);

const datasetOptions = (page: Page) => page.locator('ps-dataset-bar #dataset-select option').allTextContents();

describe.skipIf(!existsSync(CHROMIUM_PATH))('kiosk mode (headless Chromium, controlled clock)', () => {
  let session: BrowserSession | undefined;
  let page: Page;
  const kioskUrl = () => `${inject('baseUrl')}?gpu=off&kiosk&idle=${IDLE_S}&slide=${SLIDE_S}&reset=${RESET_MIN}#/explore`;

  beforeAll(async () => {
    session = await openBrowser({ webgpu: false, touch: true });
    page = session.page;
    // A visitor's dataset, imported through the normal app: in kiosk mode there is no import to use.
    await page.goto(`${inject('baseUrl')}?gpu=off#/import`);
    await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).waitFor({ state: 'attached', timeout: LIMIT });
    await page.locator('ps-import-view #file-input').setInputFiles(VISITOR_FILE);
    await page.locator('ps-import-view tr[data-file="generic.csv"]').waitFor({ timeout: LIMIT });
    await page.locator('ps-import-view #start-import').click();
    await page.locator('ps-import-report #import-summary').waitFor({ timeout: LIMIT });
    // The kiosk, in the same profile, on the test's clock.
    await page.clock.install();
    await page.goto(kioskUrl());
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
  }, LIMIT);
  afterAll(async () => {
    await session?.close();
    session = undefined;
  });

  it('has no import, delete or file input, and touch-sized controls', async () => {
    await expect(page.locator('ps-app[kiosk]').count()).resolves.toBe(1);
    const views = await page.locator('ps-app nav a').allTextContents();
    expect(views).toContain('Technology space');
    expect(views).not.toContain('Import patents');
    expect(views).not.toContain('Models');
    expect(await page.locator('ps-dataset-bar #delete-dataset').count()).toBe(1);
    await expect(page.locator('ps-dataset-bar #delete-dataset').isVisible()).resolves.toBe(false);
    for (const control of [page.locator('ps-app nav a').first(), page.locator('ps-app header button.primary'), page.locator('ps-dataset-bar #dataset-select')]) {
      const box = await control.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    const checkBox = await page.locator('ps-app header input[type="checkbox"]').boundingBox();
    expect(Math.min(checkBox?.width ?? 0, checkBox?.height ?? 0)).toBeGreaterThanOrEqual(44);
    // The import route is not there even when typed.
    await page.evaluate(() => { location.hash = '#/import'; });
    await expect.poll(() => page.locator('ps-app #view-heading').textContent()).toBe('Explore');
    await expect(page.locator('ps-import-view').count()).resolves.toBe(0);
    // A view's file input (the forecast's code titles) is hidden: no file dialog can open.
    await page.evaluate(() => { location.hash = '#/forecast'; });
    const titlesInput = page.locator('ps-code-titles #fc-titles');
    await titlesInput.waitFor({ state: 'attached', timeout: LIMIT });
    await expect(titlesInput.isVisible()).resolves.toBe(false);
    // Touch-sized inside a view's own shadow root too: the forecast form's method check boxes.
    const method = await page.locator('ps-forecast-form input.fc-method').first().boundingBox();
    expect(Math.min(method?.width ?? 0, method?.height ?? 0)).toBeGreaterThanOrEqual(44);
    await expect(kioskState(page, 'data-mode')).resolves.toBe('visitor');
    // Not full screen before a visitor's gesture (browsers refuse it before one).
    await expect(page.evaluate(() => document.fullscreenElement === null)).resolves.toBe(true);
  });

  it('starts the attract loop after the idle time and cycles through its slides', async () => {
    await page.clock.fastForward(IDLE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('attract');
    await expect(kioskState(page, 'data-slide')).resolves.toBe('space');
    await expect(page.locator('ps-kiosk-attract #kiosk-caption').textContent()).resolves.toBe('Touch to explore');

    // The space: its time slider plays (the window's label moves on) while the camera turns.
    const space = page.locator('ps-kiosk-attract .slide[data-slide="space"] ps-space-view');
    await space.locator('ps-space-timeline #play[aria-pressed="true"]').waitFor({ timeout: LIMIT });
    const label = space.locator('ps-space-timeline #time-label');
    const first = await label.textContent();
    await expect.poll(() => label.textContent(), { timeout: LIMIT }).not.toBe(first);

    await page.clock.fastForward(SLIDE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-slide'), { timeout: LIMIT }).toBe('forecast');
    const pairs = page.locator('ps-kiosk-attract .slide[data-slide="forecast"] ps-kiosk-forecast #fc-pairs tr.pair');
    await pairs.first().waitFor({ timeout: LIMIT });
    await expect(pairs.first().isVisible()).resolves.toBe(true);

    await page.clock.fastForward(SLIDE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-slide'), { timeout: LIMIT }).toBe('pollutants');
    const dashboard = page.locator('ps-kiosk-attract .slide[data-slide="pollutants"] ps-dashboard-view');
    // The kiosk's own run of the demo's job may not have finished yet: the empty state, or the ranking.
    await dashboard.locator('#dashboard-empty, #dashboard-summary').first().waitFor({ timeout: LIMIT });
    await expect(space.isVisible()).resolves.toBe(false);

    await page.clock.fastForward(SLIDE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-slide'), { timeout: LIMIT }).toBe('space');
  });

  it('a touch ends the loop, leaves the view the visitor had, and takes the window full screen with the screen kept on', async () => {
    await page.touchscreen.tap(300, 300);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('visitor');
    // Full screen needs a user gesture: this touch is the kiosk's first.
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null), { timeout: LIMIT }).toBe(true);
    await expect.poll(() => kioskState(page, 'data-wake-lock'), { timeout: LIMIT }).toBe('held');
    await expect(page.locator('ps-kiosk-attract').count()).resolves.toBe(0);
    await expect(page.locator('ps-app #view-heading').textContent()).resolves.toBe('Forecast');
    await expect(page.locator('ps-app ps-forecast-view #fc-run').isVisible()).resolves.toBe(true);
  });

  it('the idle reset discards the visitor’s import and chat chip and reloads on the demo, in the loop', async () => {
    const before = await datasetOptions(page);
    expect(before).toHaveLength(2);
    expect(before.filter((o) => o.startsWith('Demo corpus'))).toHaveLength(1);
    // The visitor also adds a code of Explore to the chat.
    await page.evaluate(() => { location.hash = '#/explore'; });
    await page.locator('ps-app main ps-add-to-chat button.add-to-chat').first().click();
    await page.evaluate(() => { location.hash = '#/chat'; });
    await expect.poll(() => page.locator('ps-chat-view ps-chat-chips li.chip').count(), { timeout: LIMIT }).toBe(1);
    await markPage(page);
    await page.clock.fastForward(RESET_MIN * 60_000);
    await expect.poll(() => pageMarked(page), { timeout: LIMIT }).toBe(false);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const after = await datasetOptions(page);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^Demo corpus/);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('attract');
    // Explore, with the demo's view state in the address (ds=, level=).
    expect(new URL(page.url()).hash).toMatch(/^#\/explore(\?|$)/);
    // The chat has no chip left.
    await page.touchscreen.tap(300, 300);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('visitor');
    await page.evaluate(() => { location.hash = '#/chat'; });
    await page.locator('ps-chat-view #chat-question').waitFor({ timeout: LIMIT });
    await expect(page.locator('ps-chat-view ps-chat-chips li.chip').count()).resolves.toBe(0);
  });

  it('an uncaught error reloads the kiosk into its loop', async () => {
    await expect(kioskState(page, 'data-mode')).resolves.toBe('visitor');
    await markPage(page);
    // Thrown from a microtask, which the browser reports as uncaught: page.clock's fake setTimeout
    // catches what its callbacks throw (it logs them), so a timer could not inject one.
    await page.evaluate(() => { queueMicrotask(() => { throw new Error('boom'); }); });
    await expect.poll(() => pageMarked(page), { timeout: LIMIT }).toBe(false);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('attract');
    expect(session?.errors.some((e) => e.includes('boom'))).toBe(true);
  });

  it('an unhandled rejection, and a device loss a worker announces, reload it into its loop as well', async () => {
    const recovers = async (cause: () => Promise<void>) => {
      await page.touchscreen.tap(300, 300);
      await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('visitor');
      await markPage(page);
      await cause();
      await expect.poll(() => pageMarked(page), { timeout: LIMIT }).toBe(false);
      await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('attract');
    };
    await recovers(() => page.evaluate(() => { void Promise.reject(new Error('boom, rejected')); }));
    // What src/gpu/device.ts posts from a worker when its device is lost (a real loss cannot be caused on demand).
    await recovers(() => page.evaluate(() => {
      const channel = new BroadcastChannel('patent-space:gpu-device-lost');
      channel.postMessage({ reason: 'unknown', message: 'test loss' });
      channel.close();
    }));
  });

  it('matches the demo by itself (resuming across the reloads), so the pollutant slide shows the ranking', async () => {
    // Each reload above cut the job short; the kiosk resumed it from its last stored chunk.
    await expect.poll(() => kioskState(page, 'data-demo-job'), { timeout: LIMIT }).toMatch(/^(ran|resumed|ready)$/);
    const jobs = await page.evaluate(() => new Promise<string[]>((done, fail) => {
      const open = indexedDB.open('patent-space');
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('matchJobs').objectStore('matchJobs').getAll();
        all.onsuccess = () => { open.result.close(); done((all.result as { status: string }[]).map((j) => j.status)); };
      };
    }));
    expect(jobs).toEqual(['done']); // one job, finished: a resume never starts a second one
    await page.touchscreen.tap(300, 300);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('visitor');
    await page.clock.fastForward(IDLE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-mode'), { timeout: LIMIT }).toBe('attract');
    await page.clock.fastForward(SLIDE_S * 1000);
    await page.clock.fastForward(SLIDE_S * 1000);
    await expect.poll(() => kioskState(page, 'data-slide'), { timeout: LIMIT }).toBe('pollutants');
    const summary = page.locator('ps-kiosk-attract .slide[data-slide="pollutants"] ps-dashboard-view #dashboard-summary');
    await summary.waitFor({ timeout: LIMIT });
    expect(Number(await summary.getAttribute('data-patents'))).toBeGreaterThan(0);
  });
});
