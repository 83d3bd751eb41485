import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';
import type { Patent } from '../../src/core/types';
import { localModelSource } from '../../src/ml/local-model';
import { YesNoEngine } from '../../src/ml/yesno';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const DEMO_PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').length;

interface Preset { ref: string; variants?: string[] }
const BUNDLED = (JSON.parse(readFileSync('models/presets.json', 'utf8')) as { presets: Preset[] }).presets
  .filter((p) => p.ref.startsWith('bundled:') && p.variants)
  .flatMap((p) => (p.variants ?? []).map((dtype) => ({ ref: p.ref, dtype })));
/** SwiftShader runs WebGPU on the CPU: the Llama's q4 kernels compile per shape, which takes minutes there. */
const CHECK_TIMEOUT_MS = 300_000;
const TECHNIQUE = 'DEMO-BAT-03';

async function checkAll(session: BrowserSession, device: 'wasm' | 'webgpu'): Promise<void> {
  const { page } = session;
  await page.goto(`${inject('baseUrl')}?gpu=off#/models`);
  await page.locator('ps-models-view #check-device').selectOption(device);
  for (const { ref, dtype } of BUNDLED) {
    await page.locator(`ps-models-view button.check[data-ref="${ref}"][data-dtype="${dtype}"]`).click();
    const row = page.locator(`ps-models-view #check-results tr[data-model="${ref}"][data-dtype="${dtype}"][data-device="${device}"]`);
    await row.waitFor({ timeout: CHECK_TIMEOUT_MS });
    // A failed row names its failing checks; show them in the assertion message.
    expect(await row.getAttribute('data-state'), `${ref} ${dtype} on ${device}: ${await row.textContent()}`).toBe('passed');
  }
  await expect(page.locator('ps-models-view #check-results tr[data-state="error"]').count()).resolves.toBe(0);
  expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('bundled models and Yes/No matching in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('every bundled variant reproduces its recipe references on WASM', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    await checkAll(session, 'wasm');
  });

  it('every bundled variant reproduces its recipe references on WebGPU (SwiftShader)', { timeout: 1_200_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    await checkAll(session, 'webgpu');
  });

  it('matches the demo patents to a technique with the same P(Yes) as Node, and the threshold counts and exports them', { timeout: 600_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    await page.locator('ps-app nav a', { hasText: 'Match techniques' }).click();
    await page.locator('ps-match-view #technique-select').selectOption(TECHNIQUE);
    await page.locator('ps-match-view #match-run').click();
    const status = page.locator('ps-match-view #match-status[data-state="done"]');
    await status.waitFor({ timeout: 300_000 });
    await expect(status.getAttribute('data-count')).resolves.toBe(String(DEMO_PATENTS));

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('ps-match-view #match-json').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { rows: { id: string; probability: number; answer: string }[] };
    expect(exported.rows).toHaveLength(DEMO_PATENTS);

    // Same prompts and weights through onnxruntime-node.
    const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
    const technique = (JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: { id: string; sectionTitle: string; description: string }[] })
      .techniques.find((t) => t.id === TECHNIQUE);
    if (!technique) throw new Error(`${TECHNIQUE} is not in the demo catalogue`);
    const engine = new YesNoEngine();
    await engine.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), device: 'cpu', dtype: 'q4' });
    const nodeScores = await engine.score(patents.map((p) => ({ sectionTitle: technique.sectionTitle, technique: technique.description, patentTitle: p.title, patentAbstract: p.abstract ?? '' })));
    await engine.destroy();
    const browserScore = new Map(exported.rows.map((r) => [r.id, r.probability]));
    const differences = patents.map((p, i) => Math.abs((browserScore.get(p.id) ?? Number.NaN) - nodeScores[i]));
    expect(Math.max(...differences)).toBeLessThan(1e-3);

    const relevant = new Set((JSON.parse(readFileSync('public/demo/technique-relevance.json', 'utf8')) as Record<string, string[]>)[TECHNIQUE]);
    const auc = rocAuc(patents.map((p) => browserScore.get(p.id) ?? 0), patents.map((p) => relevant.has(p.id)));
    console.log(`browser Yes/No q4 on ${TECHNIQUE}: AUC ${auc.toFixed(3)} over all ${DEMO_PATENTS} demo patents (${relevant.size} relevant)`);
    expect(auc).toBeGreaterThan(0.85);

    // The threshold decides the Yes count, and is remembered.
    const countAt = async (value: string) => {
      // A range input cannot be typed into: set it as a drag would, with an input event.
      await page.locator('ps-match-view #threshold').evaluate((input, v) => {
        (input as HTMLInputElement).value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
      return Number(await status.getAttribute('data-above'));
    };
    const expectedAbove = (t: number) => exported.rows.filter((r) => r.probability >= t).length;
    await expect(countAt('0.9')).resolves.toBe(expectedAbove(0.9));
    await expect(countAt('0.1')).resolves.toBe(expectedAbove(0.1));
    expect(expectedAbove(0.1)).toBeGreaterThan(expectedAbove(0.9));
    await page.reload();
    await page.locator('ps-match-view #threshold-value', { hasText: '0.10' }).waitFor();
    expect(session.errors).toEqual([]);
  });
});
