import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Neighbour } from '../../src/core/types';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { nodeCpuNeighbours } from './node-reference';
import { SKELETON_MODEL_NAME } from '../../src/ml/bundled';

const CODES_TO_CHECK = ['H04L', 'A61K', 'B01D'];
const K = 10;
const SIMILARITY_TOLERANCE = 1e-3;
/**
 * ONNX Runtime's WebGPU kernels on SwiftShader (a CPU emulation of a GPU) take ~2 s per batch of
 * 32 patents here, about 2 minutes for the demo corpus on an idle 2-core machine; the bound leaves
 * room for a loaded one. It guards against a hang, it is not a speed claim.
 */
const WEBGPU_RUN_TIMEOUT_MS = 420_000;

async function readNeighbours(session: BrowserSession, code: string): Promise<Neighbour[]> {
  const { page } = session;
  await page.locator('ps-neighbours-view #code-select').selectOption(code);
  await page.locator(`ps-neighbours-view table[aria-label="Codes most similar to ${code}"]`).waitFor();
  return page.locator('ps-neighbours-view #neighbours tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({ code: row.getAttribute('data-code') ?? '', similarity: Number(row.getAttribute('data-similarity')) })));
}

function expectSameNeighbours(actual: Neighbour[], expected: Neighbour[]): void {
  expect(actual.map((n) => n.code)).toEqual(expected.map((n) => n.code));
  actual.forEach((n, i) => expect(Math.abs(n.similarity - expected[i].similarity)).toBeLessThan(SIMILARITY_TOLERANCE));
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('walking skeleton in headless Chromium', () => {
  let expected: Record<string, Neighbour[]>;
  let expectedSkeleton: Record<string, Neighbour[]>;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    expected = await nodeCpuNeighbours(K);
    expectedSkeleton = await nodeCpuNeighbours(K, 'subclass', 'mean-of-patents', SKELETON_MODEL_NAME);
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('runs the whole slice on WebGPU (SwiftShader) and matches the Node CPU top-10 lists', { timeout: WEBGPU_RUN_TIMEOUT_MS + 60_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    // The skeleton's smaller encoder: SwiftShader emulates the GPU on the CPU, ~8× faster with it.
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents&model=${encodeURIComponent(`bundled:${SKELETON_MODEL_NAME}`)}`);
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: WEBGPU_RUN_TIMEOUT_MS });
    await expect(status.getAttribute('data-similarity-backend')).resolves.toBe('webgpu');
    await expect(status.getAttribute('data-embed-device')).resolves.toBe('webgpu');
    const text = await status.textContent();
    expect(text).toMatch(/similarity: WebGPU on .+\(fallback adapter\)/);
    expect(text).toMatch(/embed \d+ ms/);
    await expect(session.page.locator('ps-app #fallback-notice').count()).resolves.toBe(0);
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expectedSkeleton[code]);
    expect(session.requests.length).toBeGreaterThan(0);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it('without the WebGPU flag shows the WASM/CPU fallback notice and the same lists', async () => {
    session = await openBrowser({ webgpu: false });
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents`);
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: 180_000 });
    await expect(status.getAttribute('data-similarity-backend')).resolves.toBe('cpu');
    await expect(status.getAttribute('data-embed-device')).resolves.toBe('wasm');
    const notice = session.page.locator('ps-app #fallback-notice');
    await expect(notice.textContent()).resolves.toMatch(/fell back to WASM.*no WebGPU adapter/s);
    await expect(notice.textContent()).resolves.toMatch(/Similarity runs on the CPU/);
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expected[code]);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it('cancels a running step from the progress bar and runs again afterwards', async () => {
    session = await openBrowser({ webgpu: false });
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents`);
    const cancel = session.page.locator('ps-app ps-progress button', { hasText: 'Cancel' });
    await cancel.waitFor();
    await cancel.click();
    await session.page.locator('ps-app #status', { hasText: 'Cancelled' }).waitFor();
    await session.page.locator('ps-app button', { hasText: 'Run' }).click();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 180_000 });
    expectSameNeighbours(await readNeighbours(session, 'H04L'), expected.H04L);
  });

  it('with the default method builds TechToken code vectors from the model\'s code tokens, as the Node path does', async () => {
    const expectedTechToken = await nodeCpuNeighbours(K, 'subclass', 'techtoken');
    session = await openBrowser({ webgpu: false });
    await session.page.goto(inject('baseUrl'));
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: 180_000 });
    await expect(status.getAttribute('data-method')).resolves.toBe('techtoken');
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expectedTechToken[code]);
  });
});
