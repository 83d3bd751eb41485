/**
 * The application shell in the built app: the first visit's welcome (three cards that open their
 * views, the demo's progress, dismissed once and for good), the theme switch (a forced scheme
 * wins over the system's and survives a reload; "System" follows it again), the navigation rail
 * collapsing to icons (remembered), the backend indicator's details, and the canvas views filling
 * the window and following its size, the space's inspector folding away for the canvas.
 */
import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROME } from '../../src/ui/theme/tokens';
import { CHROMIUM_PATH } from './browser';
import { browserForAll } from './session-hooks';

const LIMIT = 600_000;

/** The page's background colour as the browser computed it, as #rrggbb. */
function background(page: Page): Promise<string> {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
    return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  });
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('the application shell (headless Chromium)', () => {
  let page: Page;

  browserForAll({ webgpu: false }, async (session) => {
    page = session.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${inject('baseUrl')}?gpu=off`);
  });

  it('welcomes a first visit with the three things the app does, shows the demo starting, and stays away once dismissed', async () => {
    const welcome = page.locator('ps-app ps-welcome');
    await welcome.waitFor({ timeout: LIMIT });
    await expect(welcome.locator('.card h3').allTextContents()).resolves.toEqual(['Map technologies', 'Forecast combinations', 'Link to pollution abatement']);
    await expect(welcome.locator('.card a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).resolves
      .toEqual(['#/map', '#/space', '#/forecast', '#/dashboard', '#/chat']);
    // The demo the welcome started on becomes ready, and the welcome says so with its counts.
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    await expect.poll(() => welcome.locator('#welcome-demo').textContent(), { timeout: 30_000 }).toMatch(/is ready: 1,\d{3} patents, \d+ codes/);
    await welcome.locator('#welcome-start').click();
    await expect(page.locator('ps-app ps-welcome').count()).resolves.toBe(0);
    await page.reload();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    await expect(page.locator('ps-app ps-welcome').count()).resolves.toBe(0);
  });

  it('a chosen theme wins over the system scheme and survives a reload; System follows the system again', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(background(page)).resolves.toBe(CHROME.light.bg);
    await page.locator('ps-app #scheme-select').selectOption('dark');
    await expect.poll(() => background(page)).toBe(CHROME.dark.bg);
    await page.reload();
    await page.locator('ps-app #scheme-select').waitFor();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await expect(background(page)).resolves.toBe(CHROME.dark.bg);
    await expect(page.locator('ps-app #scheme-select').inputValue()).resolves.toBe('dark');
    await page.locator('ps-app #scheme-select').selectOption('auto');
    await expect.poll(() => background(page)).toBe(CHROME.light.bg);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(CHROME.dark.bg);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the navigation rail collapses to icons, still navigates, and is remembered', async () => {
    const rail = page.locator('ps-app nav.rail');
    const wide = (await rail.boundingBox())!.width;
    await page.locator('ps-app #rail-toggle').click();
    await expect.poll(async () => (await rail.boundingBox())!.width).toBeLessThan(wide / 2);
    // The names stay for screen readers; the links still work.
    await page.locator('ps-app nav a', { hasText: 'Forecast' }).click();
    await page.locator('ps-forecast-view').waitFor();
    await page.reload();
    await expect.poll(async () => (await page.locator('ps-app nav.rail').boundingBox())?.width ?? wide).toBeLessThan(wide / 2);
    await page.locator('ps-app #rail-toggle').click();
    await expect.poll(async () => (await rail.boundingBox())!.width).toBeGreaterThan(wide - 2);
  });

  it('the backend indicator expands into where the analysis ran', async () => {
    await page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const backend = page.locator('ps-app #backend');
    await expect(backend.locator('summary').textContent()).resolves.toContain('CPU');
    await backend.locator('summary').click();
    await expect(backend.locator('li').allTextContents()).resolves.toEqual(expect.arrayContaining(['WebGPU switched off', 'Similarity: CPU']));
    await backend.locator('summary').click();
  });

  it('the technology space fills the window below the bar and follows its size', async () => {
    await page.locator('ps-app nav a', { hasText: 'Technology space' }).click();
    await page.locator('ps-space-view #space-status[data-state="done"]').waitFor({ timeout: LIMIT });
    const stage = page.locator('ps-space-view .stage');
    const before = (await stage.boundingBox())!;
    expect(before.height).toBeGreaterThan(800 * 0.4);
    // No page-level scrolling in a canvas view.
    await expect(page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight)).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await expect.poll(async () => (await stage.boundingBox())!.height).toBeGreaterThan(before.height + 150);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The inspector folds away and the canvas takes its width; unfolded, it is back.
    await expect.poll(async () => (await stage.boundingBox())!.height).toBeLessThan(before.height + 50);
    const wide = (await stage.boundingBox())!.width;
    await page.locator('ps-space-view #inspector-toggle').click();
    await expect.poll(async () => (await stage.boundingBox())!.width).toBeGreaterThan(wide + 150);
    await expect(page.locator('ps-space-view #legend').count()).resolves.toBe(0);
    await page.locator('ps-space-view #inspector-toggle').click();
    await expect.poll(async () => (await stage.boundingBox())!.width).toBeLessThan(wide + 2);
    await page.locator('ps-space-view #legend').waitFor();
  });
});
