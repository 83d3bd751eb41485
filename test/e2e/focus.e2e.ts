/**
 * Keyboard focus and motion in the built app: a route change puts the focus on the new view's
 * heading (the first load leaves it alone), the map's search matches can be selected without a
 * pointer and the selection read as a list, the delete confirmation takes the focus, closes on
 * Escape or "Keep" and gives the focus back to "Delete…", and under prefers-reduced-motion the
 * chrome has no transitions and the space's playback steps window by window (no in-between frames).
 */
import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { blockingViolations } from './axe';
import { CHROMIUM_PATH } from './browser';
import { browserForAll } from './session-hooks';

const LIMIT = 600_000;

/** The focused element through the open shadow roots: its id, tag and text. */
function focused(page: Page): Promise<{ id: string; tag: string; text: string }> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { id: active?.id ?? '', tag: active?.tagName.toLowerCase() ?? '', text: active?.textContent?.trim() ?? '' };
  });
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('focus and motion (headless Chromium)', () => {
  let page: Page;

  browserForAll({ webgpu: false }, async (session) => {
    page = session.page;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
  });

  it('moves the focus to the view heading on a route change, not on the first load', async () => {
    await expect(focused(page)).resolves.toMatchObject({ tag: 'body' });
    await page.locator('ps-app nav a', { hasText: 'Forecast' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toEqual({ id: 'view-heading', tag: 'h2', text: 'Forecast' });
    // The heading is in the page's one main landmark.
    await expect(page.locator('ps-app main #view-heading').count()).resolves.toBe(1);
    await expect(page.locator('ps-app main').count()).resolves.toBe(1);
    await page.goBack();
    await expect.poll(() => focused(page)).toEqual({ id: 'view-heading', tag: 'h2', text: 'Explore' });

    // A view whose heading is hidden (the map fills the window) shows it while the keyboard focus is on it.
    const heading = page.locator('ps-app main #view-heading');
    // Hidden is clipped to nothing (clip-path); shown is unclipped and on screen.
    const shown = () => heading.evaluate((h) => getComputedStyle(h).clipPath === 'none' && h.getBoundingClientRect().height > 10);
    await page.locator('ps-app nav a', { hasText: 'Patent map' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toEqual({ id: 'view-heading', tag: 'h2', text: 'Patent map' });
    await expect.poll(shown).toBe(true);
    await page.keyboard.press('Tab');
    await expect.poll(shown).toBe(false);
    await page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    await expect.poll(() => focused(page)).toMatchObject({ id: 'view-heading', text: 'Explore' });
  });

  it('the delete confirmation takes the focus and gives it back to "Delete…" on Escape and on "Keep"', async () => {
    const bar = page.locator('ps-dataset-bar');
    await bar.locator('#delete-dataset').focus();
    await page.keyboard.press('Enter');
    await bar.locator('[role="alertdialog"]').waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ id: 'keep-dataset' });
    await page.keyboard.press('Escape');
    await expect(bar.locator('[role="alertdialog"]').count()).resolves.toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ id: 'delete-dataset' });

    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'keep-dataset' });
    await page.keyboard.press('Enter');
    await expect(bar.locator('[role="alertdialog"]').count()).resolves.toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ id: 'delete-dataset' });
    // Nothing was deleted.
    await expect(bar.locator('#dataset-select option').count()).resolves.toBe(1);
  });

  it('selects the map points a search matches from the keyboard and lists them', async () => {
    await page.locator('ps-app nav a', { hasText: 'Patent map' }).click();
    const map = page.locator('ps-map-view');
    await map.locator('#map-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await map.locator('#map-search').focus();
    await page.keyboard.type('battery');
    const matches = map.locator('#map-matches');
    await expect.poll(async () => Number(await matches.getAttribute('data-count')), { timeout: LIMIT }).toBeGreaterThan(0);
    const count = await matches.getAttribute('data-count');
    await map.locator('#map-select-matches').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => map.locator('#map-status').getAttribute('data-selected'), { timeout: LIMIT }).toBe(count);
    // The selection as a list: its patents, each once.
    await map.locator('#map-selection-list summary').focus();
    await page.keyboard.press('Enter');
    const listed = map.locator('#map-selection-list tbody tr');
    await expect.poll(() => listed.count(), { timeout: LIMIT }).toBe(Math.min(Number(count), 50));
    const ids = await listed.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-patent') ?? ''));
    expect(ids.every((id) => /^DEMO-\d{6}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const violations = await blockingViolations(page);
    expect(violations, violations.join('\n')).toEqual([]);
    await map.locator('#map-clear').click();
    await expect.poll(() => map.locator('#map-status').getAttribute('data-selected'), { timeout: LIMIT }).toBe('0');
  });

  it('under prefers-reduced-motion: no transitions, and playback steps window by window', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const link = page.locator('ps-app nav a', { hasText: 'Technology space' });
    await expect(link.evaluate((a) => getComputedStyle(a).transitionDuration)).resolves.toBe('0s');
    await link.click();
    const status = page.locator('ps-space-view #space-status[data-state="done"]');
    await status.waitFor({ timeout: LIMIT });
    const last = Number(await status.getAttribute('data-frames')) - 1;
    expect(last).toBeGreaterThan(1);
    // Every time the playback shows, recorded as it happens.
    await status.evaluate((element) => {
      const seen: string[] = [];
      (window as unknown as { seenTimes: string[] }).seenTimes = seen;
      new MutationObserver(() => seen.push(element.getAttribute('data-time') ?? '')).observe(element, { attributes: true, attributeFilter: ['data-time'] });
    });
    await page.locator('ps-space-view #play').click();
    await expect.poll(() => status.getAttribute('data-time'), { timeout: LIMIT }).toBe(last.toFixed(2));
    const seen = await page.evaluate(() => (window as unknown as { seenTimes: string[] }).seenTimes);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.filter((t) => t !== '' && !t.endsWith('.00'))).toEqual([]);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
});
