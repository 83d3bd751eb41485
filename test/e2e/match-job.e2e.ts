/**
 * A matching job in the built app: every demo patent against the demo techniques, TF-IDF
 * shortlist, then the Yes/No model on each pair. A reload in the middle of stage 2 keeps every
 * chunk written so far (a whole number of chunks: nothing half-written), Resume finishes the job,
 * and the export lists every pair. A server's batch output file joins the job. Nothing leaves
 * 127.0.0.1.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import Papa from 'papaparse';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PAIRS_PER_CHUNK } from '../../src/core/match-job/chunks';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;

describe.skipIf(!existsSync(CHROMIUM_PATH))('a matching job over the whole catalogue (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('survives a reload in stage 2, resumes, exports every pair and takes a batch output back', { timeout: 1_500_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const openMatch = async () => {
      await page.locator('ps-app nav a', { hasText: 'Match techniques' }).click();
      await page.locator('ps-match-job #job-catalogue option[value="demo-techniques"]').waitFor({ state: 'attached', timeout: LIMIT });
    };
    await openMatch();
    const panel = page.locator('ps-match-job');
    await panel.locator('#job-catalogue').selectOption('demo-techniques');
    await panel.locator('#job-method').selectOption('tfidf');
    await panel.locator('#job-k').fill('2');
    await panel.locator('#job-k').dispatchEvent('change');
    await panel.locator('#job-start').click();

    // Stage 2 running: progress with an ETA; reload once at least two chunks are stored.
    const row = panel.locator('#jobs tbody tr').first();
    await row.waitFor({ timeout: LIMIT });
    const bar = panel.locator('ps-progress #bar[aria-valuetext$=" pairs"]');
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuetext', { timeout: LIMIT }))?.match(/^(\d+) of \d+ pairs/)?.[1] ?? 0),
      { timeout: LIMIT, interval: 100 }).toBeGreaterThanOrEqual(2 * PAIRS_PER_CHUNK);
    await expect(panel.locator('ps-progress .eta').textContent()).resolves.toMatch(/pairs · about .* left/);
    const pairs = Number(await row.locator('td.num').textContent());
    expect(pairs).toBeGreaterThan(4 * PAIRS_PER_CHUNK);
    await page.reload(); // the route (#/match) is kept
    await openMatch();
    const notice = panel.locator('#job-resume-notice');
    await notice.waitFor({ timeout: LIMIT });
    const stoppedAt = Number((await notice.textContent())?.match(/stopped at (\d+) of (\d+)/)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(2 * PAIRS_PER_CHUNK);
    expect(stoppedAt % PAIRS_PER_CHUNK).toBe(0); // whole chunks only: nothing half-written
    await expect(panel.locator('#jobs tbody tr').first().getAttribute('data-status')).resolves.toBe('verifying');

    await panel.locator('#job-resume').click();
    await panel.locator('#jobs tbody tr[data-status="done"]').waitFor({ timeout: LIMIT });
    const summary = panel.locator('ps-match-job-results #job-summary');
    await summary.filter({ hasText: `${pairs} of ${pairs} pairs answered` }).waitFor({ timeout: LIMIT });
    await expect(summary.getAttribute('data-pairs')).resolves.toBe(String(pairs));

    const results = panel.locator('ps-match-job-results');
    const [csv] = await Promise.all([page.waitForEvent('download'), results.locator('#job-csv').click()]);
    const parsed = Papa.parse<string[]>(readFileSync(await csv.path(), 'utf8').trim(), { header: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(['rank', 'patent', 'title', 'year', 'section', 'section_title', 'prefilter', 'prefilter_rank', 'p_yes', 'score', 'answer', 'note']);
    expect(parsed.data).toHaveLength(pairs + 1);
    const pYes = parsed.data.slice(1).map((r) => Number(r[8]));
    expect(pYes.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(pYes).toEqual([...pYes].sort((a, b) => b - a));

    // The server round trip: export the requests, answer the first 10 as a vLLM output would.
    await results.locator('#job-batch summary').click();
    const [requests] = await Promise.all([page.waitForEvent('download'), results.locator('#job-batch-export').click()]);
    const lines = readFileSync(await requests.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; body: { max_tokens: number } });
    expect(lines).toHaveLength(pairs);
    expect(lines[0].body.max_tokens).toBe(1);
    const output = lines.slice(0, 10).map((l) => JSON.stringify({ custom_id: l.custom_id, response: { status_code: 200, body: { choices: [{ logprobs: { content: [{ top_logprobs: [{ token: 'Yes', logprob: Math.log(0.999) }, { token: 'No', logprob: Math.log(0.001) }] }] } }] } } }));
    const file = join(mkdtempSync(join(tmpdir(), 'ps-batch-')), 'output.jsonl');
    writeFileSync(file, `${output.join('\n')}\nnot json\n`);
    await results.locator('#job-batch-import').setInputFiles(file);
    const report = results.locator('#job-batch-report');
    await report.waitFor({ timeout: LIMIT });
    await expect(report.getAttribute('data-matched')).resolves.toBe('10');
    await expect(report.textContent()).resolves.toMatch(/1 unreadable lines \(first: line 11/);
    await summary.filter({ hasText: 'by batch output output.jsonl' }).waitFor({ timeout: LIMIT });
    await expect(results.locator('#job-table tbody tr').first().locator('td').nth(5).textContent()).resolves.toBe('0.999');

    // Delete, then Undo: the job is back.
    await panel.locator('#jobs .job-delete').first().click();
    await panel.locator('#job-deleted').waitFor({ timeout: LIMIT });
    await expect(panel.locator('#jobs tbody tr').count()).resolves.toBe(0);
    await panel.locator('#job-undo-delete').click();
    await panel.locator('#jobs tbody tr').first().waitFor({ timeout: LIMIT });
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
  });
});
