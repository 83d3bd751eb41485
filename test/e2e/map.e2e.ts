/**
 * The patent map in headless Chromium: the built app embeds the demo corpus, the map shows PCA,
 * then UMAP (k-NN on the CPU with ?gpu=off, on WebGPU/SwiftShader otherwise), drawn by WebGL2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Patent } from '../../src/core/types';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const DEMO_PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
const SEARCH_WORD = 'lithium';

function view(page: Page): Locator {
  return page.locator('ps-map-view');
}

/** Waits for the map to show a finished layout of `method` and returns its status attributes. */
async function waitForLayout(page: Page, method: 'umap' | 'pca', extra = ''): Promise<Record<string, string>> {
  const status = view(page).locator(`#map-status[data-state="done"][data-layout="${method}"]${extra}`);
  await status.waitFor({ timeout: 240_000 });
  const names = ['data-hash', 'data-points', 'data-knn', 'data-topics', 'data-selected', 'data-cached', 'data-run'];
  const values = await Promise.all(names.map((name) => status.getAttribute(name)));
  console.log(`map status: ${(await status.textContent())?.replace(/\s+/g, ' ').trim()}`);
  return Object.fromEntries(names.map((name, i) => [name.replace('data-', ''), values[i] ?? '']));
}

/** Pixels of the map canvas that are not the white background. */
/** Opens the toolbar's layout panel (seed, neighbours, recompute) unless it is open. */
async function openLayoutPanel(map: Locator): Promise<void> {
  const panel = map.locator('#map-layout');
  if (!(await panel.evaluate((d) => (d as HTMLDetailsElement).open))) await panel.locator('summary').click();
}

function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const source = element as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    if (!context) return -1;
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240) inked++;
    return inked;
  });
}

function canvasImage(canvas: Locator): Promise<string> {
  return canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL('image/png'));
}

/** The journey both backends share; returns the UMAP hash. */
async function exerciseMap(session: BrowserSession, expectedKnn: string): Promise<void> {
  const { page } = session;
  const map = view(page);
  const canvas = map.locator('#map-canvas');
  const first = await waitForLayout(page, 'umap');
  expect(first.points).toBe(String(DEMO_PATENTS.length));
  expect(first.knn).toBe(expectedKnn);
  await expect.poll(() => canvas.getAttribute('data-drawn')).toBe(String(DEMO_PATENTS.length));
  const inked = await inkedPixels(canvas);
  console.log(`canvas: ${inked} inked pixels, draw submitted in ${await canvas.getAttribute('data-draw-ms')} ms`);
  expect(inked).toBeGreaterThan(2000);

  // Topic labels at the cluster centres.
  const topics = Number(first.topics);
  expect(topics).toBeGreaterThan(5);
  await expect(map.locator('.topic').count()).resolves.toBe(topics);
  const labels = await map.locator('.topic').allTextContents();
  expect(labels.every((l) => /\w{3,} · \w{3,}/.test(l))).toBe(true);

  // Same seed, recomputed (PCA shown at once while UMAP runs, with progress): identical coordinates.
  await openLayoutPanel(map);
  await map.locator('#map-recompute').click();
  await map.locator('#map-status[data-state="preview"][data-layout="pca"]').waitFor({ timeout: 60_000 });
  await map.locator('ps-progress').waitFor();
  const again = await waitForLayout(page, 'umap', `[data-run="${Number(first.run) + 1}"]`);
  expect(again.cached).toBe('false');
  expect(again.hash).toBe(first.hash);

  // Search highlights exactly the patents that contain the word, and the drawing changes.
  const before = await canvasImage(canvas);
  await map.locator('#map-search').fill(SEARCH_WORD);
  const expectedMatches = DEMO_PATENTS.filter((p) => `${p.id} ${p.title} ${p.abstract ?? ''} ${p.codes.join(' ')}`.toLowerCase().includes(SEARCH_WORD)).length;
  expect(expectedMatches).toBeGreaterThan(0);
  await expect.poll(() => map.locator('#map-matches').getAttribute('data-count')).toBe(String(expectedMatches));
  await expect.poll(() => canvasImage(canvas)).not.toBe(before);
  await map.locator('#map-search').fill('');

  // Hover card: sweep the pointer until it is over a point.
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the map canvas has no box');
  let hovered = false;
  for (let step = 0; step < 400 && !hovered; step++) {
    await page.mouse.move(box.x + box.width * (0.1 + 0.8 * ((step * 37) % 100) / 100), box.y + box.height * (0.1 + 0.8 * Math.floor(step / 20) / 20));
    hovered = (await map.locator('#map-card').count()) > 0;
  }
  expect(hovered).toBe(true);
  // The card shows the id and year at once; title and codes come from the worker a moment later.
  const patentId = await map.locator('#map-card').getAttribute('data-patent');
  const patent = DEMO_PATENTS.find((p) => p.id === patentId);
  expect(patent).toBeDefined();
  await expect.poll(() => map.locator('#map-card').textContent()).toContain(patent?.title);
  const card = await map.locator('#map-card').textContent();
  expect(card).toContain(`${patent?.id} · `);
  expect(card).toContain(String(patent?.year));

  // Keyboard zoom changes the picture.
  await canvas.focus();
  const unzoomed = await canvasImage(canvas);
  await page.keyboard.press('+');
  await expect.poll(() => canvasImage(canvas)).not.toBe(unzoomed);
  await page.keyboard.press('0');

  // Box selection (shift-drag) is saved and survives a reload.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const status = map.locator('#map-status');
  await expect.poll(() => status.getAttribute('data-selected')).not.toBe('0');
  const selected = Number(await status.getAttribute('data-selected'));
  expect(selected).toBeGreaterThan(0);
  expect(selected).toBeLessThan(DEMO_PATENTS.length);
  await expect(map.locator('#map-selection').getAttribute('data-source')).resolves.toBe('map');

  const [csv] = await Promise.all([page.waitForEvent('download'), map.locator('#map-csv').click()]);
  const rows = readFileSync(await csv.path(), 'utf8').trim().split('\n');
  expect(rows[0]).toBe('patent,title,year,codes,topic,x,y');
  expect(rows).toHaveLength(selected + 1);

  const [png] = await Promise.all([page.waitForEvent('download'), map.locator('#map-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = readFileSync(await png.path());
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.length).toBeGreaterThan(5000);

  await page.reload();
  const reloaded = await waitForLayout(page, 'umap');
  expect(reloaded.cached).toBe('true');
  expect(reloaded.hash).toBe(first.hash);
  await expect.poll(() => view(page).locator('#map-status').getAttribute('data-selected')).toBe(String(selected));

  // Escape clears it (and the cleared selection is saved too).
  await view(page).locator('#map-canvas').focus();
  await page.keyboard.press('Escape');
  await expect.poll(() => view(page).locator('#map-status').getAttribute('data-selected')).toBe('0');

  // Another seed, another layout.
  await openLayoutPanel(view(page));
  await view(page).locator('#map-seed').fill('2');
  await view(page).locator('#map-seed').dispatchEvent('change');
  const other = await waitForLayout(page, 'umap', `:not([data-hash="${first.hash}"])`);
  expect(other.hash).not.toBe(first.hash);
  // The panel closed when the layout started (the map it covers is seen forming); opened again,
  // Escape closes it and leaves the focus on its summary.
  await expect(view(page).locator('#map-layout').evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
  await openLayoutPanel(view(page));
  await view(page).locator('#map-seed').press('Escape');
  await expect(view(page).locator('#map-layout').evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
  await expect(view(page).locator('#map-layout summary').evaluate((summary) => summary.matches(':focus'))).resolves.toBe(true);

  // A selection saved by the technology space: its patents, or the patents of its codes.
  const ids = DEMO_PATENTS.slice(0, 5).map((p) => p.id);
  await saveSpaceSelection(page, { patentIds: ids, codes: [] });
  await page.reload();
  await waitForLayout(page, 'umap');
  await expect.poll(() => view(page).locator('#map-status').getAttribute('data-selected')).toBe('5');
  await expect(view(page).locator('#map-selection').getAttribute('data-source')).resolves.toBe('space');
  const code = DEMO_PATENTS[0].codes[0].slice(0, 4);
  const withCode = DEMO_PATENTS.filter((p) => p.codes.some((c) => c.startsWith(code))).length;
  await saveSpaceSelection(page, { patentIds: [], codes: [code] });
  await page.reload();
  await waitForLayout(page, 'umap');
  await expect.poll(() => view(page).locator('#map-status').getAttribute('data-selected')).toBe(String(withCode));
  expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
}

/** Writes a selection as the technology space saves it (selection-client.ts), straight into IndexedDB. */
async function saveSpaceSelection(page: Page, selection: { patentIds: string[]; codes: string[] }): Promise<void> {
  await page.evaluate(async ({ patentIds, codes }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('patent-space');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const settings = () => db.transaction('settings', 'readwrite').objectStore('settings');
    const datasetId = await new Promise<string>((resolve) => { const r = settings().get('activeDatasetId'); r.onsuccess = () => resolve(r.result as string); });
    await new Promise((resolve) => { settings().put({ datasetId, patentIds, codes, source: 'space' }, `selection:${datasetId}`).onsuccess = resolve; });
    db.close();
  }, selection);
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('patent map in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('without WebGPU: PCA then UMAP (CPU k-NN), labels, search, hover, selection kept over a reload, exports, same seed same map', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    await page.locator('ps-app nav a', { hasText: 'Patent map' }).click();
    await exerciseMap(session, 'cpu-exact');
    expect(session.errors).toEqual([]);
  });

  it('with WebGPU (SwiftShader): says there are no vectors yet, lays out by itself once the start-up run stored them, then with the k-NN graph from the GPU', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    const { page } = session;
    // Opening the map before the start-up run has embedded anything: a clear empty state, which
    // turns into the map by itself when that run has stored the vectors (on WASM: SwiftShader
    // embeds slowly). Then WebGPU is switched on, the stored vectors are reused and the
    // recomputed map's k-NN graph comes from the GPU kernel.
    await page.goto(`${inject('baseUrl')}?gpu=off&model=bundled:ps-encoder-tiny#/map`);
    await view(page).locator('#map-status[data-state="empty"]').waitFor({ timeout: 120_000 });
    await waitForLayout(page, 'umap');
    await page.locator('ps-app header input[type="checkbox"]').check();
    await openLayoutPanel(view(page));
    await view(page).locator('#map-recompute').click();
    await view(page).locator('#map-status[data-state="done"][data-knn="webgpu"]').waitFor({ timeout: 240_000 });
    await exerciseMap(session, 'webgpu');
    expect(session.errors).toEqual([]);
  });
});
