/**
 * Writes docs/screenshot.png (Explore: nearest codes) and docs/screenshot-map.png (the patent map)
 * from the built app on the demo corpus in headless Chromium. WASM/CPU (`?gpu=off`): SwiftShader's
 * WebGPU would take minutes to embed with the default model.
 * usage: npm run build && npx tsx scripts/screenshot.ts
 */
import { preview } from 'vite';
import { openBrowser } from '../test/e2e/browser';

const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const session = await openBrowser({ webgpu: false });
try {
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview reported no URL');
  const { page } = session;
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.goto(`${url}?gpu=off`);
  await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
  await page.locator('ps-neighbours-view #code-select').selectOption('H04L');
  await page.screenshot({ path: 'docs/screenshot.png' });
  await page.goto(`${url}?gpu=off#/map`);
  await page.locator('ps-map-view #map-status[data-state="done"][data-layout="umap"]').waitFor({ timeout: 300_000 });
  await page.screenshot({ path: 'docs/screenshot-map.png' });
  console.log('wrote docs/screenshot.png and docs/screenshot-map.png');
} finally {
  await session.close();
  await server.close();
}
