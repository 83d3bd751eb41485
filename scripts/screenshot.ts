/**
 * Writes docs/screenshot.png: the built app on the demo corpus in headless Chromium (WebGPU via
 * SwiftShader). usage: npm run build && npx tsx scripts/screenshot.ts
 */
import { preview } from 'vite';
import { openBrowser } from '../test/e2e/browser';

const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const session = await openBrowser({ webgpu: true });
try {
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview reported no URL');
  await session.page.setViewportSize({ width: 1100, height: 720 });
  await session.page.goto(url);
  await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
  await session.page.locator('ps-neighbours-view #code-select').selectOption('H04L');
  await session.page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await session.close();
  await server.close();
}
