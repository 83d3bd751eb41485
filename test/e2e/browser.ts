import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, to prove nothing left 127.0.0.1. */
  requests: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium. With `webgpu` the SwiftShader adapter is enabled by
 * --enable-unsafe-webgpu; without it requestAdapter() returns null, which is the fallback path.
 * Playwright refuses --user-data-dir in args, hence a persistent context on a temp dir.
 *
 * Service workers are blocked unless asked for: the app's worker precaches the whole build
 * (~60 MB) into each fresh profile, which would slow every test for nothing; the offline test
 * allows them. With them allowed, note that requests the worker answers from its cache never
 * reach the network, so the route below (and `requests`) does not see them.
 */
export async function openBrowser(options: { webgpu: boolean; serviceWorkers?: 'allow' | 'block'; touch?: boolean }): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ps-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    serviceWorkers: options.serviceWorkers ?? 'block',
    // A touch screen (page.touchscreen), as a kiosk has.
    hasTouch: options.touch ?? false,
    args: options.webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  // Record every request and stop any that is not local, so a regression cannot reach the network.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return isLocal(url) ? route.continue() : route.abort('blockedbyclient');
  });
  context.on('weberror', (error) => errors.push(error.error().message));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  return {
    context, page, requests, errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
