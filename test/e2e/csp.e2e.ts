import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHubMimic, type HubMimic } from '../ml/hub-mimic';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { recordViolations } from './violations';

const REPO = 'test-org/ps-encoder-tiny';
/** Generous: the machine has 2 loaded cores. It guards against a hang, it is not a speed claim. */
const RUN_TIMEOUT_MS = 240_000;

/** What a page script's fetch of `url` ends in, and the CSP violation it raised (null when none within the wait). */
function pageFetch(page: Page, url: string): Promise<{ outcome: string; violation: string | null }> {
  return page.evaluate(async (target) => {
    const violation = new Promise<string | null>((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(`${e.effectiveDirective} ${e.blockedURI}`), { once: true });
      setTimeout(() => resolve(null), 30_000);
    });
    const outcome = await fetch(target).then((r) => `answered ${r.status}`, () => 'refused');
    return { outcome, violation: await violation };
  }, url);
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('the Content-Security-Policy, in headless Chromium', () => {
  let hub: HubMimic;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    // A listening server on another 127.0.0.1 port, answering with open CORS: a fetch to it fails
    // only because of the policy (the test browser's own route lets loopback through).
    hub = await startHubMimic({ [REPO]: 'models/ps-encoder-tiny' });
  });
  afterAll(async () => {
    await hub.close();
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('imports, embeds and maps with no violation, and blocks a page script\'s and a worker\'s fetch to another origin', { timeout: 2 * RUN_TIMEOUT_MS + 60_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await recordViolations(page);
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.locator('ps-app nav a', { hasText: 'Map' }).click();
    await page.locator('ps-map-view #map-status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.evaluate(() => window.psViolations)).toEqual([]);
    expect(session.errors).toEqual([]);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBeGreaterThan(0);

    const blocked = await pageFetch(page, `${hub.host}/from-the-page`);
    expect(blocked.outcome).toBe('refused');
    expect(blocked.violation).toBe(`connect-src ${hub.host}/from-the-page`);
    expect(hub.requests).toEqual([]);

    // A worker gets the header's policy, not the page's meta tag: check it in the app's own worker.
    const worker = page.workers().find((w) => new URL(w.url()).pathname.includes('/assets/'));
    expect(worker, page.workers().map((w) => w.url()).join(', ')).toBeDefined();
    const fromWorker = await worker!.evaluate(async () => {
      const violation = new Promise<string | null>((resolve) => {
        self.addEventListener('securitypolicyviolation', (e) => resolve(`${e.effectiveDirective} ${e.blockedURI}`), { once: true });
        setTimeout(() => resolve(null), 30_000);
      });
      const outcome = await fetch('http://example.invalid/from-a-worker').then((r) => `answered ${r.status}`, () => 'refused');
      return { outcome, violation: await violation };
    });
    expect(fromWorker).toEqual({ outcome: 'refused', violation: 'connect-src http://example.invalid/from-a-worker' });
    // Stopped by the policy before it was a request: the browser's route (which would abort it too) never saw it.
    expect(session.requests.filter((url) => url.includes('example.invalid'))).toEqual([]);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it('in private mode refuses a hub model with a message before any request, and the page may reach no other host', { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await recordViolations(page);
    const hubQuery = `hub=${encodeURIComponent(hub.host)}`;
    await page.goto(`${inject('baseUrl')}?gpu=off&${hubQuery}#/models`);
    const toggle = page.locator('ps-private-mode #private-mode');
    await toggle.check();
    await expect(page.locator('ps-private-mode #private-mode-help').textContent()).resolves.toMatch(/connects to no host but its own/);

    await page.goto(`${inject('baseUrl')}?gpu=off&model=${encodeURIComponent(`hub:${REPO}`)}&${hubQuery}`);
    await page.locator('ps-app #status[data-state="error"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.getByText(`Private mode is on: hub:${REPO} would be fetched from ${hub.host}`).waitFor();
    expect(hub.requests).toEqual([]);

    // The configured hub would be allowed without private mode; with it, the page's policy says 'self' only.
    const blocked = await pageFetch(page, `${hub.host}/from-the-page`);
    expect(blocked).toEqual({ outcome: 'refused', violation: `connect-src ${hub.host}/from-the-page` });
    expect(hub.requests).toEqual([]);

    // Turning it off offers a reload (the stricter policy stays until then); on the next load the hub model loads.
    await page.locator('ps-app nav a', { hasText: 'Models' }).click();
    await expect(toggle.isChecked()).resolves.toBe(true);
    await toggle.uncheck();
    await page.locator('ps-private-mode button', { hasText: 'Reload now' }).waitFor();
    await page.goto(`${inject('baseUrl')}?gpu=off&model=${encodeURIComponent(`hub:${REPO}`)}&${hubQuery}`);
    await page.locator('ps-app #status[data-state="done"]', { hasText: `hub:${REPO}` }).waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(hub.requests.length).toBeGreaterThan(0);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });
});
