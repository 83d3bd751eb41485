/**
 * The technology space's future partners on the demo: a clicked code lists the codes it was never
 * combined with, ranked by the backtest's best method, named with its AUC; the list is the core's
 * forecastPartners computed in Node on the same patents with onnxruntime-node's vectors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { codeAt } from '../../src/core/codes';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { partnersOf, type PartnerTable } from '../../src/core/forecast/partner-table';
import { forecastPartners } from '../../src/core/forecast/partners';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { BUNDLED_MODEL_NAME } from '../../src/ml/bundled';
import { EncoderEngine } from '../../src/ml/encoder';
import { localModelSource } from '../../src/ml/local-model';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

/** Same vectors up to the ONNX runtimes' rounding: AUCs and scores agree to this. */
const TOLERANCE = 1e-5;

const demo = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);

/** forecastPartners in Node: every demo patent embedded once with the bundled encoder on onnxruntime-node. */
async function nodeTable(): Promise<PartnerTable> {
  const encoder = await EncoderEngine.create({ source: localModelSource('models', BUNDLED_MODEL_NAME), devices: ['cpu'] });
  try {
    const { vectors, dim } = await encoder.embed(demo.map(patentText));
    const row = new Map(demo.map((p, i) => [p.id, i]));
    return await forecastPartners({
      patents: demo, level: 'subclass',
      vectors: async (windowPatents) => {
        const picked = new Float32Array(windowPatents.length * dim);
        windowPatents.forEach((p, r) => {
          const i = row.get(p.id) as number;
          picked.set(vectors.subarray(i * dim, (i + 1) * dim), r * dim);
        });
        const mean = meanOfPatentVectors(windowPatents, picked, dim, 'subclass');
        return { codes: mean.codes, dim, vectors: mean.vectors };
      },
    });
  } finally {
    await encoder.destroy();
  }
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('future partners in the technology space', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('a clicked code lists never-combined codes ranked by the backtest\'s best method, as Node ranks them', { timeout: 900_000 }, async () => {
    const node = await nodeTable();
    const { basis } = node;
    expect(basis.fallback).toBeNull();
    console.log(`Node: ${basis.method} (AUC ${basis.auc?.toFixed(4)}) of ${basis.compared.length} methods; next ${basis.compared[1]?.method} ${basis.compared[1]?.auc.toFixed(4)}`);

    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off&method=mean-of-patents`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 400_000 });
    await page.locator('ps-app nav a', { hasText: 'Technology space' }).click();
    const view = page.locator('ps-space-view');
    await view.locator('#space-status[data-state="done"]').waitFor({ timeout: 120_000 });

    // The first code of the last five years (in the demo every subclass has patents there).
    const active = [...new Set(demo.filter((p) => p.year >= 2016).flatMap((p) => p.codes.map((c) => codeAt('subclass', c) as string)))].sort();
    const code = active[0];
    const search = view.locator('#code-search');
    await search.fill(code);
    await search.press('Enter');
    await expect.poll(() => view.locator('#space-status').getAttribute('data-selected')).toBe(code);

    const panel = view.locator('ps-space-partners #partners');
    await view.locator('ps-space-partners #partners[data-state="done"]').waitFor({ timeout: 180_000 });
    await expect(panel.getAttribute('data-method')).resolves.toBe(basis.method);
    await expect(panel.getAttribute('data-fallback')).resolves.toBe('false');
    expect(Math.abs(Number(await panel.getAttribute('data-auc')) - (basis.auc as number))).toBeLessThanOrEqual(TOLERANCE);
    // The method and its backtest are said in words.
    await expect(panel.locator('#partners-method').textContent()).resolves.toBe(basis.method);
    const said = (await panel.locator('#partners-basis').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(said).toContain(`AUC ${Number(await panel.getAttribute('data-auc')).toFixed(3)}`);
    expect(said).toContain(`score ${basis.backtest?.score}`);

    const expected = partnersOf(node, code).partners;
    expect(expected.length).toBeGreaterThan(0);
    const rows = panel.locator('#partners-table tbody tr');
    await expect(rows.count()).resolves.toBe(expected.length);
    const first = rows.first();
    await expect(first.getAttribute('data-code')).resolves.toBe(expected[0].code);
    expect(Math.abs(Number(await first.getAttribute('data-score')) - expected[0].score)).toBeLessThanOrEqual(TOLERANCE);
    // Never combined so far: no demo patent carries both codes.
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code') ?? ''));
    for (const partner of shown) {
      expect(demo.some((p) => { const s = new Set(p.codes.map((c) => codeAt('subclass', c))); return s.has(code) && s.has(partner); }), partner).toBe(false);
    }
    // Titles beside the codes.
    await expect(first.locator('.code-title').count()).resolves.toBe(1);

    // The pair goes to the chat without flying away; the row flies to the partner.
    await first.locator('ps-add-to-chat button').click();
    await expect.poll(() => first.locator('ps-add-to-chat button').textContent()).toBe(`${code} + ${expected[0].code} in the chat`);
    await expect(view.locator('#space-status').getAttribute('data-selected')).resolves.toBe(code);
    await first.click({ position: { x: 5, y: 5 } });
    await expect.poll(() => view.locator('#space-status').getAttribute('data-selected')).toBe(expected[0].code);
    // The partner's own list is looked up in the table computed once.
    await view.locator('ps-space-partners #partners[data-state="done"]').waitFor({ timeout: 60_000 });
    await expect(panel.locator('#partners-table tbody tr').first().getAttribute('data-code')).resolves.toBe(partnersOf(node, expected[0].code).partners[0]?.code);

    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
