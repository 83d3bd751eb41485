/**
 * Chat chips from the views that offer codes, SDGs and forecast pairs, in the built app on the
 * demo corpus: a code from Explore's nearest-codes view (with its bundled IPC title) and one from
 * the Technology space, an SDG row from the dashboard over the one-click demo job, two predicted
 * pairs from the Forecast view's table (by click and by Enter, neither opening the pair's row);
 * the chat lists them as chips [C1] [C2] [S1] [F1] [F2] whose links go where itemHref says, and the
 * code's and the SDG's links open that code in the space and that goal's row in the dashboard.
 */
import { existsSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { codeItem, forecastId, forecastItem } from '../../src/core/chat/items';
import { itemHref } from '../../src/ui/chat/item-links';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;

describe.skipIf(!existsSync(CHROMIUM_PATH))('chat chips for codes, SDGs and forecast pairs (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('adds a code from Explore and the space, an SDG row and forecast pairs, and their chips open them', { timeout: 2_400_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();
    const tagsOf = (host: Locator) => host.locator('.chat-tags').textContent({ timeout: LIMIT });

    // 1. Explore's nearest codes: the chosen code, with its title, added by its named button.
    const explore = page.locator('ps-neighbours-view');
    const code = await explore.locator('#code-select').inputValue();
    expect(code).toMatch(/^[A-H]\d\d[A-Z]$/);
    await expect.poll(async () => ((await explore.locator('#code-title').textContent()) ?? '').trim().length, { timeout: LIMIT }).toBeGreaterThan(0);
    const title = ((await explore.locator('#code-title').textContent()) ?? '').trim();
    const exploreAdd = explore.locator('#code-add-to-chat');
    await exploreAdd.getByRole('button', { name: `Add ${code} to chat` }).click();
    await expect.poll(() => tagsOf(exploreAdd), { timeout: LIMIT }).toBe('[C1]');

    // 2. The Technology space: the same code is already in the chat; a neighbour of it is added.
    await nav('Technology space');
    const space = page.locator('ps-space-view');
    await space.locator('#space-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await space.locator('#code-search').fill(code);
    await space.locator('#code-search').press('Enter');
    await space.locator(`#space-status[data-selected="${code}"]`).waitFor({ timeout: LIMIT });
    const spaceAdd = space.locator('#space-add-to-chat');
    await expect.poll(() => tagsOf(spaceAdd), { timeout: LIMIT }).toBe('[C1]');
    await expect(spaceAdd.getByRole('button', { name: `${code} in the chat` }).isDisabled()).resolves.toBe(true);
    const neighbour = space.locator('#neighbours tbody tr').first();
    const other = (await neighbour.getAttribute('data-code')) ?? '';
    await neighbour.click();
    await space.locator(`#space-status[data-selected="${other}"]`).waitFor({ timeout: LIMIT });
    await spaceAdd.getByRole('button', { name: `Add ${other} to chat` }).click();
    await expect.poll(() => tagsOf(spaceAdd), { timeout: LIMIT }).toBe('[C2]');

    // 3. The dashboard over the one-click demo job: an SDG row of the goals table.
    await nav('Pollution dashboard');
    const dashboard = page.locator('ps-dashboard-view');
    await dashboard.locator('#dashboard-run-demo').click({ timeout: LIMIT });
    await dashboard.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    await dashboard.locator('#tab-sdg').click();
    const row = dashboard.locator('#sdg-goals tbody tr').nth(5);
    await row.waitFor({ timeout: LIMIT });
    const goal = Number(await row.getAttribute('data-goal'));
    expect(goal).toBeGreaterThan(0);
    await row.getByRole('button', { name: `Add SDG ${goal} to chat` }).click();
    await expect.poll(() => tagsOf(row.locator('ps-add-to-chat')), { timeout: LIMIT }).toBe('[S1]');
    await expect(dashboard.locator('#sdg-goals ps-add-to-chat .chat-tags').count()).resolves.toBe(1);

    // 4. The Forecast view with its defaults: two pairs of the table, by click and by Enter; the
    //    row around the button (which opens its pair's patents) is not opened by either.
    await nav('Forecast');
    const forecast = page.locator('ps-forecast-view');
    await expect.poll(() => forecast.locator('#fc-embed-from').inputValue(), { timeout: LIMIT }).toBe('2011');
    await forecast.locator('#fc-run').click();
    await forecast.locator('#forecast-status[data-state="done"]').waitFor({ timeout: LIMIT });
    const pairRow = (i: number) => forecast.locator('#fc-pairs tr.pair').nth(i);
    const pairOf = async (i: number) => {
      const [a, b] = await pairRow(i).locator('td b').allTextContents();
      return { a, b };
    };
    const first = await pairOf(0);
    await pairRow(0).getByRole('button', { name: `Add ${first.a} + ${first.b} to chat` }).click();
    await expect.poll(() => tagsOf(pairRow(0).locator('ps-add-to-chat')), { timeout: LIMIT }).toBe('[F1]');
    const second = await pairOf(1);
    await pairRow(1).getByRole('button', { name: `Add ${second.a} + ${second.b} to chat` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tagsOf(pairRow(1).locator('ps-add-to-chat')), { timeout: LIMIT }).toBe('[F2]');
    await expect(forecast.locator('#fc-pairs tr.pair[aria-current="true"]').count()).resolves.toBe(0);
    await expect(forecast.locator('#fc-pair-patents').count()).resolves.toBe(0);

    // 5. The chat's chips, with the links itemHref gives their items.
    await nav('Chat');
    const chat = page.locator('ps-chat-view');
    const chip = (tag: string) => chat.locator(`#chips li.chip[data-tag="${tag}"]`);
    await chip('F2').waitFor({ timeout: LIMIT });
    await expect(chat.locator('#chips li.chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-tag')))).resolves.toEqual(['C1', 'C2', 'S1', 'F1', 'F2']);
    const expected: [string, string, string, string][] = [
      ['C1', 'code', code, itemHref(codeItem(code))],
      ['C2', 'code', other, itemHref(codeItem(other))],
      ['S1', 'sdg', String(goal), `#/dashboard?sdg=${goal}`],
      // Where a pair's chip opens does not depend on its score.
      ['F1', 'forecast', forecastId(first.a, first.b), itemHref(forecastItem(first.a, first.b, 0))],
      ['F2', 'forecast', forecastId(second.a, second.b), itemHref(forecastItem(second.a, second.b, 0))],
    ];
    for (const [tag, kind, id, href] of expected) {
      await expect(chip(tag).getAttribute('data-kind')).resolves.toBe(kind);
      await expect(chip(tag).getAttribute('data-id')).resolves.toBe(id);
      await expect(chip(tag).locator('a').getAttribute('href')).resolves.toBe(href);
    }
    // The code's chip names it with the title Explore showed; the pair's names both codes.
    await expect(chip('C1').locator('a').textContent()).resolves.toContain(title);
    await expect(chip('F1').locator('a').textContent()).resolves.toContain(forecastId(first.a, first.b).replace('+', ' + '));

    // 6. The code's chip opens the space on that code; the SDG's opens the dashboard on that goal.
    await chip('C1').locator('a').click();
    await space.locator(`#space-status[data-state="done"][data-selected="${code}"]`).waitFor({ timeout: LIMIT });
    await nav('Chat');
    await chip('S1').locator('a').click();
    await expect.poll(() => dashboard.locator('#tab-sdg').getAttribute('aria-selected'), { timeout: LIMIT }).toBe('true');
    await dashboard.locator(`#sdg-goals tr[data-goal="${goal}"][aria-current="true"]`).waitFor({ timeout: LIMIT });
    await expect(dashboard.locator('#sdg-goals tr[aria-current="true"]').count()).resolves.toBe(1);

    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.requests.length).toBeGreaterThan(0);
  });
});
