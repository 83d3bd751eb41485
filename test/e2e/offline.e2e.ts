/**
 * Offline and updates, in headless Chromium with service workers allowed (the other browser tests
 * block them, see browser.ts). This file serves dist/ from a preview server of its own, so it can
 * take the server away: with the server closed and the context offline, nothing but the service
 * worker can answer, whatever Playwright's request routing sees (requests the worker answers from
 * its cache never reach context.route, so `session.requests` is no evidence either way here).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CACHE_NAME } from '../../src/ml/model-store';
import { blockingViolations } from './axe';
import { CHROMIUM_PATH, openBrowser, type BrowserSession } from './browser';
import { recordViolations } from './violations';

const SMALL_FILE = resolve('test/fixtures/ingest/generic.csv');
/** Subclasses of the patents in SMALL_FILE: the Explore view lists some of them (the demo corpus has many more). */
const SMALL_FILE_CODES = ['H01M', 'H04L', 'F03D', 'G06N', 'F25B', 'Y02E'];
/** Generous: the machine has 2 loaded cores. It guards against a hang, it is not a speed claim. */
const RUN_TIMEOUT_MS = 300_000;
const SECOND_BUILD_MARK = 'ps-second-build';

/** The precache list the build wrote into dist/sw.js: each URL once. */
function precachedUrls(swFile: string): string[] {
  return [...new Set([...readFileSync(swFile, 'utf8').matchAll(/url:"([^"]+)"/g)].map((m) => m[1]))];
}

/** Every file of the build, relative to dist/, but the service worker's own scripts. */
function builtFiles(): string[] {
  return readdirSync('dist', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice('dist/'.length))
    .filter((file) => file !== 'sw.js' && !/^workbox-[\w-]+\.js$/.test(file));
}

async function servePreview(outDir: string, port: number): Promise<{ server: PreviewServer; base: string }> {
  const server = await preview({
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: port !== 0 },
    logLevel: 'warn',
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a local URL');
  return { server, base };
}

/** The page's web app manifest, and the size each of its icons has once loaded as an image. */
async function readManifest(): Promise<{ name: string; display: string; sizes: string[]; loaded: string[] }> {
  const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
  if (!link) return { name: '', display: '', sizes: [], loaded: [] };
  const manifest = await (await fetch(link.href)).json() as { name: string; display: string; icons: { src: string; sizes: string }[] };
  const loaded = await Promise.all(manifest.icons.map((icon) => new Promise<string>((done) => {
    const image = new Image();
    image.onload = () => done(`${image.naturalWidth}x${image.naturalHeight}`);
    image.onerror = () => done('failed');
    image.src = new URL(icon.src, link.href).href;
  })));
  return { name: manifest.name, display: manifest.display, sizes: manifest.icons.map((icon) => icon.sizes), loaded };
}

/** Waits until a service worker controls the page; it only activates once its precaching is complete. */
async function waitForControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: RUN_TIMEOUT_MS, polling: 500 });
}

/** The Workbox precache: its entry count and the URLs it holds (revision parameters removed). */
function precacheContents(page: Page): Promise<{ names: string[]; urls: string[] }> {
  return page.evaluate(async () => {
    const names = await caches.keys();
    const precache = names.find((name) => name.includes('-precache-'));
    if (!precache) return { names, urls: [] };
    const keys = await (await caches.open(precache)).keys();
    return { names, urls: keys.map((request) => { const url = new URL(request.url); url.searchParams.delete('__WB_REVISION__'); return url.href; }) };
  });
}

/**
 * What a request to the app's origin from outside the browser ends in: proves the server is
 * really gone (asked from Node, since a failed fetch in the page would log a console error).
 */
function probeServer(base: string): Promise<string> {
  return fetch(`${base}index.html`).then((r) => `answered ${r.status}`, () => 'refused');
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('offline and updates, with the service worker', () => {
  let session: BrowserSession | undefined;
  let server: PreviewServer | undefined;
  let base = '';
  let port = 0;
  const secondBuild = mkdtempSync(join(tmpdir(), 'ps-second-build-'));
  /** Same-origin requests that failed or were answered with an error status. */
  const failures: string[] = [];

  beforeAll(async () => {
    ({ server, base } = await servePreview(resolve('dist'), 0));
    port = Number(new URL(base).port);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    rmSync(secondBuild, { recursive: true, force: true });
  });

  function watchFailures(page: Page): void {
    const own = (url: string) => url.startsWith(base);
    // A request the page's own reload cuts short (a worker script still loading when the test
    // reloads) fails as net::ERR_ABORTED: that is the navigation, not a missing file.
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? '';
      if (own(request.url()) && error !== 'net::ERR_ABORTED') failures.push(`${request.url()} ${error}`);
    });
    page.on('response', (response: Response) => { if (own(response.url()) && response.status() >= 400) failures.push(`${response.url()} ${response.status()}`); });
  }

  it('after one visit starts with the server gone and the network cut, imports, embeds and maps a file, still cross-origin isolated', { timeout: 4 * RUN_TIMEOUT_MS }, async () => {
    session = await openBrowser({ webgpu: false, serviceWorkers: 'allow' });
    const { page, context } = session;
    watchFailures(page);
    await recordViolations(page);
    await page.goto(`${base}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await waitForControl(page);
    // The first install takes the page without any prompt: there is no other version to switch to.
    expect(await page.locator('ps-update-prompt #update-message').count()).toBe(0);
    // The precache list names every file the build holds (a new file type would be missed by the glob).
    expect(precachedUrls('dist/sw.js').sort()).toEqual(builtFiles().sort());
    const expected = precachedUrls('dist/sw.js').map((url) => new URL(url, base).href).sort();
    expect(expected.length).toBeGreaterThan(0);
    const cached = await precacheContents(page);
    expect([...cached.urls].sort()).toEqual(expected);

    // Cut everything: the server closes, and the browser is offline too.
    await server!.close();
    server = undefined;
    await context.setOffline(true);
    await expect(probeServer(base)).resolves.toBe('refused');

    const navigation = await page.reload();
    expect(navigation?.fromServiceWorker()).toBe(true);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);

    await page.locator('ps-app nav a', { hasText: 'Import' }).click();
    await page.locator('ps-import-view #file-input').setInputFiles(SMALL_FILE);
    await page.locator(`ps-import-view tr[data-file="${basename(SMALL_FILE)}"]`).waitFor();
    await page.locator('ps-import-view #start-import').click();
    await page.locator('ps-import-report #import-summary').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.locator('ps-import-view #open-dataset').click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });

    // Explore: the imported patents' codes, each with its nearest codes.
    await page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    const codes = await page.locator('ps-neighbours-view #code-select option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((code) => !SMALL_FILE_CODES.includes(code))).toEqual([]);
    expect(await page.locator('ps-neighbours-view #neighbours tbody tr').count()).toBeGreaterThan(0);

    await page.locator('ps-app nav a', { hasText: 'Map' }).click();
    await page.locator('ps-map-view #map-status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);

    // Installable, offline too: the manifest and its icons come from the cache, at their declared sizes.
    const manifest = await page.evaluate(readManifest);
    expect(manifest.name).toBe('Patent Space');
    expect(manifest.display).toBe('standalone');
    expect(manifest.loaded).toEqual(manifest.sizes);
    expect(manifest.sizes.length).toBeGreaterThan(0);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    await expect(probeServer(base)).resolves.toBe('refused');
    // The service worker's script and the manifest are allowed by the policy (worker-src, manifest-src).
    expect(await page.evaluate(() => window.psViolations)).toEqual([]);
    expect(failures).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it('a second build on the same origin shows the update prompt, reloads into it when asked, and leaves the model cache alone', { timeout: 2 * RUN_TIMEOUT_MS }, async () => {
    expect(session, 'needs the page of the offline test').toBeDefined();
    const { page, context } = session!;
    // A model the loader cached: a new app version must not delete it.
    await page.evaluate(async (name) => {
      await (await caches.open(name)).put('https://models.patent-space.invalid/offline-test/model.onnx', new Response('weights'));
    }, MODEL_CACHE_NAME);

    // The second build: dist/ with a changed index.html and, as a real build would, its new revision in sw.js.
    cpSync('dist', secondBuild, { recursive: true });
    const indexFile = join(secondBuild, 'index.html');
    writeFileSync(indexFile, readFileSync(indexFile, 'utf8').replace('</head>', `<meta name="${SECOND_BUILD_MARK}" content="1"></head>`));
    const swFile = join(secondBuild, 'sw.js');
    const sw = readFileSync(swFile, 'utf8');
    const revised = sw.replace(/(url:"index\.html",revision:")[^"]+"/, `$1second-build"`);
    expect(revised).not.toBe(sw);
    writeFileSync(swFile, revised);

    ({ server } = await servePreview(secondBuild, port));
    await context.setOffline(false);
    await page.reload();
    const prompt = page.locator('ps-update-prompt #update-message');
    await prompt.waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(prompt.textContent()).resolves.toMatch(/A new version of Patent Space is ready/);
    await expect(page.locator('ps-update-prompt #update-reload').isVisible()).resolves.toBe(true);
    expect(await blockingViolations(page)).toEqual([]);
    // Still the first version until the user asks. Later hides the prompt; the next load offers it again.
    expect(await page.locator(`meta[name="${SECOND_BUILD_MARK}"]`).count()).toBe(0);
    await page.locator('ps-update-prompt #update-later').click();
    await expect(page.locator('ps-update-prompt #update-message').count()).resolves.toBe(0);
    await page.reload();
    await prompt.waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.locator(`meta[name="${SECOND_BUILD_MARK}"]`).count()).toBe(0);

    await Promise.all([page.waitForEvent('load', { timeout: RUN_TIMEOUT_MS }), page.locator('ps-update-prompt #update-reload').click()]);
    await page.locator(`meta[name="${SECOND_BUILD_MARK}"]`).waitFor({ state: 'attached', timeout: RUN_TIMEOUT_MS });
    // The reload keeps the route (the map); the analysis status is on Explore.
    await page.locator('ps-app nav a', { hasText: 'Explore' }).click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(page.locator('ps-update-prompt #update-message').count()).resolves.toBe(0);
    expect(await page.evaluate(() => window.psViolations)).toEqual([]);
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    const kept = await page.evaluate(async (name) => {
      const response = await (await caches.open(name)).match('https://models.patent-space.invalid/offline-test/model.onnx');
      return response ? response.text() : null;
    }, MODEL_CACHE_NAME);
    expect(kept).toBe('weights');
    // One precache, now holding the second build's index.html (and no longer the first's).
    const cached = await precacheContents(page);
    expect(cached.names.filter((name) => name.includes('-precache-'))).toHaveLength(1);
    const indexRevisions = await page.evaluate(async () => {
      const precache = (await caches.keys()).find((name) => name.includes('-precache-'));
      const keys = precache ? await (await caches.open(precache)).keys() : [];
      return keys.map((r) => new URL(r.url)).filter((u) => u.pathname.endsWith('/index.html')).map((u) => u.searchParams.get('__WB_REVISION__'));
    });
    expect(indexRevisions).toEqual(['second-build']);
    expect(failures).toEqual([]);
    expect(session!.errors).toEqual([]);
  });
});
