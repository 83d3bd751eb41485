import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHubMimic, type HubMimic } from '../ml/hub-mimic';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const REPO = 'test-org/ps-encoder-tiny';

describe.skipIf(!existsSync(CHROMIUM_PATH))('models from the hub layout, in headless Chromium', () => {
  let hub: HubMimic;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    hub = await startHubMimic({ [REPO]: 'models/ps-encoder-tiny' });
  });
  afterAll(async () => {
    await hub.close();
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('loads a hub model through the real loader, and a second load makes no network request', async () => {
    session = await openBrowser({ webgpu: false });
    const url = `${inject('baseUrl')}?gpu=off&model=${encodeURIComponent(`hub:${REPO}`)}&hub=${encodeURIComponent(hub.host)}`;
    await session.page.goto(url);
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: 120_000 });
    await expect(status.textContent()).resolves.toContain(`hub:${REPO}`);
    const fetched = hub.requests.map((r) => r.path);
    expect(fetched).toContain(`/${REPO}/resolve/main/onnx/model.onnx`);

    const before = hub.requests.length;
    await session.page.reload();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 120_000 });
    expect(hub.requests.slice(before)).toEqual([]);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);

    // The cache view lists what was downloaded, with its size, and removes it.
    await session.page.locator('ps-app nav a', { hasText: 'Models' }).click();
    // Each bundled model says what it was trained on, up to which year.
    const techToken = session.page.locator('ps-models-view table[aria-label="Model presets"] tr', { hasText: 'bundled:ps-techtoken-tiny' });
    await expect(techToken.locator('td[data-until-year]').getAttribute('data-until-year')).resolves.toBe('2015');
    await expect(techToken.textContent()).resolves.toMatch(/patents up to 2015/);
    const cachedRow = session.page.locator('ps-models-view table[aria-label="Cached models"] tr', { hasText: `hub:${REPO}` });
    await cachedRow.waitFor();
    await expect(cachedRow.textContent()).resolves.toMatch(/0\.\d MB/);
    await cachedRow.locator('button', { hasText: 'Remove' }).click();
    await expect.poll(() => cachedRow.count()).toBe(0);
  });

  it('switches to a model typed as a hub id in the models view and remembers the choice', async () => {
    session = await openBrowser({ webgpu: false });
    await session.page.goto(`${inject('baseUrl')}?gpu=off&hub=${encodeURIComponent(hub.host)}#/models`);
    await session.page.locator('ps-models-view #custom-model').fill(REPO);
    await session.page.locator('ps-models-view #load-custom').click();
    const status = session.page.locator('ps-app #status[data-state="done"]', { hasText: `hub:${REPO}` });
    await status.waitFor({ timeout: 120_000 });
    await session.page.reload();
    await session.page.locator('ps-app #status[data-state="done"]', { hasText: `hub:${REPO}` }).waitFor({ timeout: 120_000 });
  });
});
