/**
 * Writes docs/screenshots/<view>-<scheme>.png: every main view of the built app on the bundled
 * demo, in the light and the dark scheme, in headless Chromium, so the README's pictures show
 * what the code draws today. WASM/CPU (`?gpu=off`): SwiftShader's WebGPU would take minutes to
 * embed with the default model. The dashboard, match and chat views are taken after the one-click
 * demo job, the forecast after a run of its text and graph methods.
 * usage: npm run screenshots   (or, after a build: npx tsx scripts/screenshot.ts --only map,space)
 */
import { mkdirSync } from 'node:fs';
import { preview } from 'vite';
import type { Page } from 'playwright-core';
import { openBrowser } from '../test/e2e/browser';

const LIMIT = 600_000;
const OUT = 'docs/screenshots';

interface Shot {
  /** File name stem. */
  name: string;
  /** The navigation link's text. */
  nav: string;
  /** What to wait for before the picture, and what to do first. */
  prepare(page: Page): Promise<void>;
}

const waitFor = (page: Page, selector: string) => page.locator(selector).waitFor({ timeout: LIMIT });

const SHOTS: Shot[] = [
  { name: 'welcome', nav: '', prepare: async (page) => { await waitFor(page, 'ps-app ps-welcome'); } },
  {
    name: 'explore', nav: 'Explore', prepare: async (page) => {
      await waitFor(page, 'ps-neighbours-view #neighbours');
      // The welcome was the picture before; Explore is shown as a returning visitor sees it.
      if (await page.locator('ps-app #welcome-start').count()) await page.locator('ps-app #welcome-start').click();
      await page.locator('ps-neighbours-view #code-select').selectOption('H04L');
    },
  },
  { name: 'map', nav: 'Patent map', prepare: (page) => waitFor(page, 'ps-map-view #map-status[data-state="done"][data-layout="umap"]') },
  { name: 'space', nav: 'Technology space', prepare: (page) => waitFor(page, 'ps-space-view #space-status[data-state="done"]') },
  {
    name: 'forecast', nav: 'Forecast', prepare: async (page) => {
      const view = page.locator('ps-forecast-view');
      await waitFor(page, 'ps-forecast-view #forecast-status[data-state="idle"]');
      // The embedding methods need the model over every window: the others fill the same tables, sooner.
      for (const method of ['mean-of-patents', 'techtoken']) await view.locator(`input.fc-method[value="${method}"]`).uncheck();
      await view.locator('#fc-run').click();
      await view.locator('#forecast-status[data-state="done"]').waitFor({ timeout: LIMIT });
      await view.locator('#fc-pairs').waitFor({ timeout: LIMIT });
    },
  },
  {
    name: 'dashboard', nav: 'Pollution dashboard', prepare: async (page) => {
      const view = page.locator('ps-dashboard-view');
      await waitFor(page, 'ps-dashboard-view #dashboard-empty, ps-dashboard-view #pollutant-table');
      if (await view.locator('#dashboard-run-demo').count()) await view.locator('#dashboard-run-demo').click();
      await view.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    },
  },
  { name: 'match', nav: 'Match techniques', prepare: (page) => waitFor(page, 'ps-match-job #jobs tbody tr[data-status="done"]') },
  { name: 'chat', nav: 'Chat', prepare: (page) => waitFor(page, 'ps-chat-view #chat-empty') },
  { name: 'import', nav: 'Import patents', prepare: (page) => waitFor(page, 'ps-import-view #file-input') },
  { name: 'models', nav: 'Models', prepare: (page) => waitFor(page, 'ps-models-view #current-model') },
];

/** Two frames after the scheme changed, everything (canvases included) is painted in it. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  // Camera flights and panel slides last a few hundred milliseconds at most.
  await page.waitForTimeout(800);
}

const only = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1]?.split(',')) : null;
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const session = await openBrowser({ webgpu: false });
try {
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview reported no URL');
  mkdirSync(OUT, { recursive: true });
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${url}?gpu=off`);
  const written: string[] = [];
  for (const shot of SHOTS) {
    // A view left out is still opened when a later one builds on it (match and chat on the dashboard's job).
    if (only && !only.has(shot.name) && !shot.nav) continue;
    if (shot.nav) await page.locator('ps-app nav a', { hasText: shot.nav }).first().click();
    await shot.prepare(page);
    if (only && !only.has(shot.name)) continue;
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await settle(page);
      const path = `${OUT}/${shot.name}-${colorScheme}.png`;
      await page.screenshot({ path });
      written.push(path);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  console.log(`wrote ${written.length} screenshots:\n${written.join('\n')}`);
} finally {
  await session.close();
  await server.close();
}
