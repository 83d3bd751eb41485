import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Neighbour } from '../../src/core/types';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { nodeCpuNeighbours } from './node-reference';
import { SKELETON_MODEL_NAME } from '../../src/ml/bundled';

const CODES_TO_CHECK = ['H04L', 'A61K', 'B01D'];
const DEMO_FILE = resolve('public/demo/patents.jsonl');
const K = 10;
const SIMILARITY_TOLERANCE = 1e-3;
/** Generous: the machine has 2 loaded cores. It guards against a hang, it is not a speed claim. */
const RUN_TIMEOUT_MS = 300_000;
/** ONNX Runtime's WebGPU kernels on SwiftShader (a CPU emulation of a GPU) compile per shape: minutes for a few checks. */
const FORCED_WEBGPU_CHECK_TIMEOUT_MS = 420_000;

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

  it('on SwiftShader embeds on WASM (saying why), runs similarity on WebGPU and matches the Node CPU top-10 lists; a forced check still runs ONNX on WebGPU', { timeout: RUN_TIMEOUT_MS + FORCED_WEBGPU_CHECK_TIMEOUT_MS + 60_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents&model=${encodeURIComponent(`bundled:${SKELETON_MODEL_NAME}`)}`);
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(status.getAttribute('data-similarity-backend')).resolves.toBe('webgpu');
    // A software adapter: ONNX Runtime's WebGPU kernels there are ~17× slower than WASM.
    await expect(status.getAttribute('data-embed-device')).resolves.toBe('wasm');
    const text = await status.textContent();
    expect(text).toMatch(/similarity: WebGPU on .+\(fallback adapter\)/);
    expect(text).toMatch(/embed \d+ ms/);
    const notice = session.page.locator('ps-app #fallback-notice');
    await expect(notice.textContent()).resolves.toMatch(/WASM: webgpu: WebGPU adapter is a software fallback \(SwiftShader\): WASM is faster/);
    await expect(notice.textContent()).resolves.not.toMatch(/Similarity runs on the CPU/);
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expectedSkeleton[code]);
    // WASM threads need cross-origin isolation; the threaded wasm comes from /ort/ only, once.
    await expect(session.page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    const wasm = session.requests.filter((url) => /\.wasm(\?|$)/.test(url)).map((url) => new URL(url).pathname);
    expect([...new Set(wasm)]).toEqual(['/ort/ort-wasm-simd-threaded.asyncify.wasm']);

    // Asking for WebGPU explicitly (the model check's backend) still runs ONNX Runtime's WebGPU EP.
    await session.page.locator('ps-app nav a', { hasText: 'Models' }).click();
    await session.page.locator('ps-models-view #check-device').selectOption('webgpu');
    const ref = `bundled:${SKELETON_MODEL_NAME}`;
    await session.page.locator(`ps-models-view button.check[data-ref="${ref}"][data-dtype="fp32"]`).click();
    const row = session.page.locator(`ps-models-view #check-results tr[data-model="${ref}"][data-dtype="fp32"]`);
    await row.waitFor({ timeout: FORCED_WEBGPU_CHECK_TIMEOUT_MS });
    await expect(row.getAttribute('data-device')).resolves.toBe('webgpu');
    expect(await row.getAttribute('data-state'), await row.textContent() ?? '').toBe('passed');
    expect(session.requests.length).toBeGreaterThan(0);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it('without the WebGPU flag shows the WASM/CPU fallback notice and the same lists', async () => {
    session = await openBrowser({ webgpu: false });
    // The skeleton model has no shipped demo vectors: its patents are embedded here, on WASM.
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents&model=${encodeURIComponent(`bundled:${SKELETON_MODEL_NAME}`)}`);
    const status = session.page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: 180_000 });
    await expect(status.getAttribute('data-similarity-backend')).resolves.toBe('cpu');
    await expect(status.getAttribute('data-embed-device')).resolves.toBe('wasm');
    const notice = session.page.locator('ps-app #fallback-notice');
    await expect(notice.textContent()).resolves.toMatch(/fell back to WASM.*no WebGPU adapter/s);
    await expect(notice.textContent()).resolves.toMatch(/Similarity runs on the CPU/);
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expectedSkeleton[code]);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it('cancels a running step from the progress bar and runs again afterwards', async () => {
    session = await openBrowser({ webgpu: false });
    // Embedding here (no shipped vectors for this model) gives the Cancel button time to be pressed.
    await session.page.goto(`${inject('baseUrl')}?method=mean-of-patents&model=${encodeURIComponent(`bundled:${SKELETON_MODEL_NAME}`)}`);
    const cancel = session.page.locator('ps-app ps-progress button', { hasText: 'Cancel' });
    await cancel.waitFor();
    await cancel.click();
    await session.page.locator('ps-app #status', { hasText: 'Cancelled' }).waitFor();
    await session.page.locator('ps-app button', { hasText: 'Run' }).click();
    await session.page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 180_000 });
    expectSameNeighbours(await readNeighbours(session, 'H04L'), expectedSkeleton.H04L);
  });

  it('on a first visit shows the demo from its shipped vectors with TechToken lists as the Node path makes them, then checks a sample here; a user\'s copy of the demo file is embedded here', { timeout: 2 * RUN_TIMEOUT_MS + 120_000 }, async () => {
    const expectedTechToken = await nodeCpuNeighbours(K, 'subclass', 'techtoken');
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(inject('baseUrl'));
    const status = page.locator('ps-app #status[data-state="done"]');
    await status.waitFor({ timeout: RUN_TIMEOUT_MS });
    await expect(status.getAttribute('data-method')).resolves.toBe('techtoken');
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expectedTechToken[code]);
    // The check runs after the table is shown: the model loads in the ML worker and recomputes 32 patents.
    await expect.poll(() => readProvenance(session as BrowserSession), { timeout: RUN_TIMEOUT_MS, interval: 1000 })
      .toEqual([expect.objectContaining({ source: 'shipped', verified: true, sample: 32, checkedOn: 'wasm' })]);
    const [checked] = await readProvenance(session);
    expect(checked.worstCosine).toBeGreaterThanOrEqual(0.999);
    // The shipped patent vectors themselves, through the mean-of-patents code vectors.
    await page.locator('ps-app #method-select').selectOption('mean-of-patents');
    await page.locator('ps-app #status[data-state="done"][data-method="mean-of-patents"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expected[code]);

    await page.goto(`${inject('baseUrl')}#/import`);
    await page.locator('ps-import-view #file-input').setInputFiles(DEMO_FILE);
    await page.locator('ps-import-view tr[data-file="patents.jsonl"]').waitFor();
    await page.locator('ps-import-view #start-import').click();
    await page.locator('ps-import-report #import-summary').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.locator('ps-import-view #open-dataset').click();
    await page.locator('ps-app #status[data-state="done"]', { hasText: /embed \d+ ms/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.locator('ps-app #status').textContent()).not.toMatch(/stored/);
    // Still mean of patents (the method chosen above), now from vectors embedded here.
    await expect(page.locator('ps-app #status').getAttribute('data-method')).resolves.toBe('mean-of-patents');
    for (const code of CODES_TO_CHECK) expectSameNeighbours(await readNeighbours(session, code), expected[code]);
    await expect(readProvenance(session)).resolves.toHaveLength(1);
    expect(session.errors).toEqual([]);
  });
});

interface StoredProvenance { key: string; source: string; verified?: boolean; sample?: number; worstCosine: number; checkedOn?: string }

/** Provenance records the ML worker keeps in the app's settings store (src/engines/dataset-embedder.ts). */
function readProvenance(session: BrowserSession): Promise<StoredProvenance[]> {
  return session.page.evaluate(() => new Promise<StoredProvenance[]>((resolve, reject) => {
    const open = indexedDB.open('patent-space');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('settings');
      const keys = tx.objectStore('settings').getAllKeys();
      const values = tx.objectStore('settings').getAll();
      tx.oncomplete = () => {
        const rows = keys.result.map((key, i) => ({ key: String(key), ...(values.result[i] as object) })) as StoredProvenance[];
        open.result.close();
        resolve(rows.filter((row) => row.key.startsWith('vectorProvenance:')));
      };
    };
  }));
}
