import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { yearWindows } from '../../src/core/layout/sliding-windows';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

/** Subclasses on the demo corpus (35 distinct 4-character codes). */
const DEMO_SUBCLASSES = new Set(readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n')
  .flatMap((line) => (JSON.parse(line) as { codes: string[] }).codes.map((c) => c.slice(0, 4))));
const K = 8; // DEFAULT_SPACE_SETTINGS.k

const status = (page: Page) => page.locator('ps-space-view #space-status');
const attr = async (page: Page, name: string) => (await status(page).getAttribute(name)) ?? '';

/** Share of canvas pixels that differ from the background, and how many distinct colours they have. */
function canvasStats(page: Page): Promise<{ painted: number; colours: number; width: number; image: string }> {
  return page.locator('ps-space-view #space-canvas').evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d');
    if (!context) throw new Error('no 2D context');
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, copy.width, copy.height).data;
    let painted = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 247) + Math.abs(data[i + 1] - 247) + Math.abs(data[i + 2] - 249) > 30) {
        painted++;
        colours.add(((data[i] >> 5) << 6) | ((data[i + 1] >> 5) << 3) | (data[i + 2] >> 5));
      }
    }
    return { painted: painted / (data.length / 4), colours: colours.size, width: canvas.width, image: canvas.toDataURL() };
  });
}

async function openSpace(page: Page, query: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}${query}`);
  await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 400_000 });
  await page.locator('ps-app nav a', { hasText: 'Technology space' }).click();
  await page.locator('ps-space-view #space-status[data-state="done"]').waitFor({ timeout: 120_000 });
}

async function expectDrawn(page: Page): Promise<void> {
  await expect.poll(async () => (await canvasStats(page)).painted, { timeout: 30_000 }).toBeGreaterThan(0.005);
  const stats = await canvasStats(page);
  console.log(`canvas ${stats.width} px wide: ${(stats.painted * 100).toFixed(1)} % painted, ${stats.colours} colour bins`);
  // Several IPC sections → several hues.
  expect(stats.colours).toBeGreaterThanOrEqual(5);
}

async function searchCode(page: Page, code: string): Promise<void> {
  const search = page.locator('ps-space-view #code-search');
  await search.focus();
  await search.fill(code);
  await page.keyboard.press('Enter');
  await expect.poll(() => attr(page, 'data-selected')).toBe(code);
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('3D technology space in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('WASM + CPU (?gpu=off): draws every subclass once, selects by search and keyboard, moves over time, reproduces its seed, exports PNG and CSV', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await openSpace(page, '?gpu=off');
    expect(DEMO_SUBCLASSES.size).toBe(35);
    await expect(attr(page, 'data-codes')).resolves.toBe(String(DEMO_SUBCLASSES.size));
    await expect.poll(() => attr(page, 'data-instances')).toBe(String(DEMO_SUBCLASSES.size));
    await expect(attr(page, 'data-backend')).resolves.toBe('cpu');
    await expect(attr(page, 'data-projection')).resolves.toBe('umap');
    await expectDrawn(page);
    const allYears = await attr(page, 'data-positions-hash');
    expect(allYears).toMatch(/^[0-9a-f]{8}$/);

    // Search: a code typed + Enter selects it and lists its k nearest codes.
    const code = [...DEMO_SUBCLASSES].sort()[3];
    await searchCode(page, code);
    const rows = page.locator('ps-space-view #neighbours tbody tr');
    await expect(rows.count()).resolves.toBe(K);
    const similarities = await page.locator('ps-space-view #neighbours tbody tr td:nth-child(4)').allTextContents();
    const values = similarities.map(Number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    // Keyboard: Tab from the search reaches the list, Enter selects the focused neighbour.
    let focusedCode = '';
    for (let i = 0; i < 20 && !focusedCode; i++) {
      await page.keyboard.press('Tab');
      focusedCode = await page.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active instanceof HTMLButtonElement ? active.closest('tr')?.dataset.code ?? '' : '';
      });
    }
    expect(focusedCode).not.toBe('');
    await page.keyboard.press('Enter');
    await expect.poll(() => attr(page, 'data-selected')).toBe(focusedCode);
    // Arrow keys orbit the camera when the canvas has focus: the picture changes, the positions do not.
    const before = (await canvasStats(page)).image;
    await page.locator('ps-space-view #space-canvas').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await canvasStats(page)).image !== before, { timeout: 10_000 }).toBe(true);
    await expect(attr(page, 'data-positions-hash')).resolves.toBe(allYears);

    // The time slider moves codes along their trajectories.
    const slide = async (value: string) => page.locator('ps-space-view #time-slider').evaluate((input, v) => {
      (input as HTMLInputElement).value = v;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
    const frames = Number(await attr(page, 'data-frames'));
    // 5-year windows every 3 years over 1981–2020.
    expect(frames).toBe(yearWindows(1981, 2020, { size: 5, step: 3 }).length);
    await slide('0');
    await expect.poll(() => attr(page, 'data-time')).toBe('0.00');
    const first = await attr(page, 'data-positions-hash');
    await slide(String(frames - 1));
    await expect.poll(() => attr(page, 'data-time')).toBe((frames - 1).toFixed(2));
    const last = await attr(page, 'data-positions-hash');
    await slide('6.5');
    await expect.poll(() => attr(page, 'data-time')).toBe('6.50');
    const middle = await attr(page, 'data-positions-hash');
    expect(new Set([allYears, first, last, middle]).size).toBe(4);
    await page.locator('ps-space-view #trails').check();
    await page.locator('ps-space-view #play').click();
    await expect.poll(() => attr(page, 'data-time')).not.toBe('6.50');
    await page.locator('ps-space-view #play').click();
    await page.locator('ps-space-view #all-years').click();
    await expect.poll(() => attr(page, 'data-positions-hash')).toBe(allYears);

    // Exports.
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('ps-space-view #export-png').click()]);
    const bytes = readFileSync(await png.path());
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBeGreaterThan(5_000);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('ps-space-view #export-csv').click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('selected_code,selected_patents,rank,neighbour_code,neighbour_section,neighbour_patents,cosine_similarity');
    expect(lines).toHaveLength(1 + K);
    expect(lines.slice(1).every((l) => l.startsWith(`${focusedCode},`))).toBe(true);

    // Same seed → identical coordinates: a reload (cache) and a recomputation both give the same hash.
    await page.reload();
    await status(page).and(page.locator('[data-state="done"]')).waitFor({ timeout: 400_000 });
    await expect(attr(page, 'data-from-cache')).resolves.toBe('true');
    await expect.poll(() => attr(page, 'data-positions-hash')).toBe(allYears);
    // The selection was saved and comes back.
    await expect(attr(page, 'data-selected')).resolves.toBe(focusedCode);
    await page.locator('ps-space-view #recompute').click();
    await page.locator('ps-space-view #space-status[data-from-cache="false"]').waitFor({ timeout: 120_000 });
    await expect(attr(page, 'data-positions-hash')).resolves.toBe(allYears);
    // Another projection is another layout.
    await page.locator('ps-space-view #projection').selectOption('pca');
    await page.locator('ps-space-view #space-status[data-projection="pca"]').waitFor({ timeout: 120_000 });
    expect(await attr(page, 'data-positions-hash')).not.toBe(allYears);
    await expectDrawn(page);

    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it('WebGPU (SwiftShader), tiny encoder: nearest codes on the GPU, drawn, searchable', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    const { page } = session;
    // Mean-of-patents code vectors for Explore: the space does not use TechToken vectors, and
    // skipping their second embedding pass halves the start-up on SwiftShader.
    await openSpace(page, '?method=mean-of-patents&model=bundled:ps-encoder-tiny');
    await expect(attr(page, 'data-backend')).resolves.toBe('webgpu');
    await expect.poll(() => attr(page, 'data-instances')).toBe(String(DEMO_SUBCLASSES.size));
    await expectDrawn(page);
    const code = [...DEMO_SUBCLASSES].sort()[10];
    await searchCode(page, code);
    await expect(page.locator('ps-space-view #neighbours tbody tr').count()).resolves.toBe(K);
    const hash = await attr(page, 'data-positions-hash');
    await page.locator('ps-space-view #time-slider').evaluate((input) => {
      (input as HTMLInputElement).value = '3';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect.poll(() => attr(page, 'data-positions-hash')).not.toBe(hash);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
