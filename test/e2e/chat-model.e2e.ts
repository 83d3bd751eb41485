import { existsSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const BUNDLED_ROW = 'tr[data-key="bundled:ps-llama-yesno-tiny#fp32"]';
const WEBLLM_ROW = 'tr[data-key="webllm:Llama-3.2-1B-Instruct-q4f16_1-MLC"]';

describe.skipIf(!existsSync(CHROMIUM_PATH))('the chat engine in Models, in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('refuses web-llm models on a software GPU before any download, loads the bundled Llama, answers with it, and keeps the choice', { timeout: 1_200_000 }, async () => {
    // SwiftShader's WebGPU adapter: web-llm's models are refused with the reason, nothing is fetched.
    session = await openBrowser({ webgpu: true });
    await session.page.goto(`${inject('baseUrl')}?gpu=off#/models`);
    const view = session.page.locator('ps-models-view ps-chat-model');
    const webllm = view.locator(WEBLLM_ROW);
    await webllm.locator('td[data-fit="refused"]').waitFor({ timeout: 120_000 });
    await expect(webllm.locator('td[data-fit="refused"]').textContent()).resolves.toMatch(/software fallback/);
    await expect(webllm.locator('button.use').isDisabled()).resolves.toBe(true);
    await expect(webllm.textContent()).resolves.toMatch(/0\.9 GB/);

    const bundled = view.locator(BUNDLED_ROW);
    await bundled.locator('td[data-fit="ok"]').waitFor({ timeout: 60_000 });
    await bundled.locator('button.use').click();
    const ready = view.locator('#chat-engine[data-state="ready"]');
    await ready.waitFor({ timeout: 120_000 });
    await expect(ready.getAttribute('data-model')).resolves.toBe('bundled:ps-llama-yesno-tiny');
    await expect(ready.getAttribute('data-device')).resolves.toBe('wasm');

    // The loaded Llama writes a free question's answer from its sources, streamed into the chat.
    const page = session.page;
    // The demo corpus is imported on the first visit whatever the route; Explore shows when it is ready.
    await page.locator('ps-app nav a[href="#/explore"]').click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 600_000 });
    await page.locator('ps-app nav a[href="#/chat"]').click();
    const chat = page.locator('ps-chat-view');
    await chat.locator('#chat-question').fill('Which patents reduce nitrogen oxides?');
    await chat.locator('#chat-question').press('Enter');
    const answered = chat.locator('article.turn[data-status="done"]');
    await answered.waitFor({ timeout: 600_000 });
    await expect(answered.getAttribute('data-engine')).resolves.toBe('bundled:ps-llama-yesno-tiny');
    await expect(answered.locator('.meta').textContent()).resolves.toMatch(/Written by .+ from the sources/);
    expect(((await answered.locator('.answer').textContent()) ?? '').trim().length).toBeGreaterThan(0);

    await session.page.reload();
    await page.locator('ps-app nav a[href="#/models"]').click(); // the reload kept #/chat
    await view.locator('#chat-engine[data-state="idle"]').waitFor({ timeout: 120_000 });
    await expect(view.locator(BUNDLED_ROW).textContent()).resolves.toContain('(chosen)');
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.requests.some((u) => /huggingface|mlc-ai/.test(u))).toBe(false);
  });
});
