/**
 * The grounded chat in the built app, from a fresh profile, with no chat model loaded (report mode
 * and sources-only answers): a designed empty state; chips added from the dashboard (a pollutant,
 * a patent) and from the map's selection; a preset report streamed into the view piece by piece,
 * equal to the report the core composes in Node from the job's own exported pairs, with citation
 * links that open their items; Stop in the middle of a long report (the stored turn is marked
 * stopped); an off-topic question refused; after a reload the conversation is there; the
 * Markdown export appends the cited items. Every request the page made went to 127.0.0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';
import { escapeInline } from '../../src/core/chat/export';
import { composeReport } from '../../src/core/chat/reports';
import { reportAnswer } from '../../src/core/chat/text-stream';
import { Dashboard, matchTableFromPairs, scoreRuleForJob } from '../../src/core/dashboard/dashboard';
import { parseSdgImpacts } from '../../src/core/reference/sdg';
import { sdgTableForCatalogue } from '../../src/core/reference/sdg-table';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;
const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const SDG = sdgTableForCatalogue(parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8')), CATALOGUE.meta.fingerprint);

interface ExportedRow { patentId: string; sectionId: string; prefilter: number; pYes: number | null }
interface StoredTurnLike { status: string; question: string; answer: string }

/** A text's paragraphs with runs of white space as one space, as the page's text shows them. */
function paragraphs(text: string): string {
  return text.split('\n\n').map((p) => p.replace(/\s+/g, ' ').trim()).join('\n\n');
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('the grounded chat (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('adds chips from the dashboard and the map, streams a cited report, stops, refuses, and keeps the conversation', { timeout: 1_800_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    // A slow reading pace for data-only answers, so Stop lands in the middle of one on a loaded machine.
    await page.goto(`${inject('baseUrl')}?gpu=off&chatPace=150`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();
    const chat = page.locator('ps-chat-view');
    /** The answer being streamed, read in the page the moment its first citation link is drawn (one read: no race with its end). */
    const streamedSoFar = async (): Promise<string> => {
      const handle = await page.waitForFunction(() => {
        const view = document.querySelector('ps-app')?.shadowRoot?.querySelector('ps-chat-view')?.shadowRoot;
        const answer = view?.querySelector('article.turn[data-status="streaming"] .answer');
        return answer?.querySelector('a.cite') ? (answer.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
      }, undefined, { timeout: LIMIT, polling: 'raf' });
      return (await handle.jsonValue()) ?? '';
    };

    // 1. Empty state: no chips, no job, no conversation.
    await nav('Chat');
    await chat.locator('#chat-no-job').waitFor({ timeout: LIMIT });
    await chat.locator('#chips-empty').waitFor({ timeout: LIMIT });
    await chat.locator('#chat-empty').waitFor({ timeout: LIMIT });

    // 2. A matching job over the bundled BREF catalogue (as the dashboard test runs it), exported for Node.
    await nav('Match techniques');
    const panel = page.locator('ps-match-job');
    await panel.locator('#job-catalogue option[value="bref"]').waitFor({ state: 'attached', timeout: LIMIT });
    await panel.locator('#job-catalogue').selectOption('bref');
    await panel.locator('#job-k').fill('1');
    await panel.locator('#job-k').dispatchEvent('change');
    await panel.locator('#job-start').click();
    await panel.locator('#jobs tbody tr[data-status="done"]').waitFor({ timeout: LIMIT });
    const results = panel.locator('ps-match-job-results');
    await results.locator('#job-table').waitFor({ timeout: LIMIT });
    const [download] = await Promise.all([page.waitForEvent('download'), results.locator('#job-json').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { rows: ExportedRow[]; job: { settings: { verify: boolean } } };
    const node = new Dashboard(matchTableFromPairs(CATALOGUE, exported.rows, scoreRuleForJob(exported.job.settings)), SDG);
    const top = node.pollutants().find((r) => r.patents > 0);
    expect(top).toBeDefined();
    const pollutant = top?.pollutant.index ?? -1;

    // 3. Chips from the map: select every point (Ctrl+A), add the first of them.
    await nav('Patent map');
    const map = page.locator('ps-map-view');
    await map.locator('#map-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await map.locator('#map-canvas').focus();
    await page.keyboard.press('Control+A');
    await map.locator('#map-selection').waitFor({ timeout: LIMIT });
    await map.locator('#map-add-to-chat button.add-to-chat').click();
    await map.locator('#map-add-to-chat .chat-tags').waitFor({ timeout: LIMIT });
    await expect(map.locator('#map-add-to-chat .chat-tags').textContent()).resolves.toMatch(/^\[P1\] \[P2\]/);

    // 4. Chips from the dashboard: the top pollutant, then a patent of its page.
    await nav('Pollution dashboard');
    const view = page.locator('ps-dashboard-view');
    await view.locator(`#pollutant-table tr[data-pollutant="${pollutant}"] .open-pollutant`).click();
    await view.locator(`#pollutant-page[data-pollutant="${pollutant}"]`).waitFor({ timeout: LIMIT });
    await view.locator('#pollutant-add-to-chat button.add-to-chat').click();
    await expect.poll(() => view.locator('#pollutant-add-to-chat .chat-tags').textContent({ timeout: LIMIT }), { timeout: LIMIT }).toBe('[L1]');
    const patentId = node.pollutant(pollutant).top[0]?.patentId;
    expect(patentId).toBeDefined();
    await view.locator(`#pollutant-patents tr[data-patent="${patentId}"] .open-patent`).click();
    await view.locator(`#patent-detail[data-patent="${patentId}"]`).waitFor({ timeout: LIMIT });
    await view.locator('#patent-add-to-chat button.add-to-chat').click();
    await view.locator('#patent-add-to-chat .chat-tags').waitFor({ timeout: LIMIT });

    // 5. The chat lists them as chips.
    await nav('Chat');
    await chat.locator('#chips li.chip[data-kind="pollutant"]').waitFor({ timeout: LIMIT });
    await expect(chat.locator(`#chips li.chip[data-kind="pollutant"]`).getAttribute('data-id')).resolves.toBe(String(pollutant));
    await expect(chat.locator(`#chips li.chip[data-kind="patent"][data-id="${patentId}"]`).count()).resolves.toBe(1);
    expect(await chat.locator('#chips li.chip[data-kind="patent"]').count()).toBeGreaterThan(1);

    // 6. A preset report streams in: text is seen while the turn is still being written, then it is
    //    exactly the report the core composes from the same pairs, and a citation opens its item.
    await chat.locator('#report-bref-pollutant:not([disabled])').click();
    const partial = await streamedSoFar();
    const done = chat.locator('article.turn[data-status="done"]').last();
    await done.waitFor({ timeout: LIMIT });
    const expected = paragraphs(reportAnswer(composeReport(node, { report: 'bref-pollutant', pollutant })));
    const final = await done.locator('.answer').evaluate((el) => [...el.querySelectorAll('p')].map((p) => p.textContent?.replace(/\s+/g, ' ').trim()).join('\n\n'));
    expect(final).toBe(expected);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(final.length);
    expect(await done.getAttribute('data-engine')).toBe('report mode');
    expect(await done.locator('.sentence.uncited').count()).toBe(0);
    expect(await done.locator('.cite.unsupported').count()).toBe(0);
    await done.locator('a.cite[data-tag="L1"]').first().click();
    await view.locator(`#pollutant-page[data-pollutant="${pollutant}"]`).waitFor({ timeout: LIMIT });

    // 7. The patent report: its patent citation opens the patent's detail.
    await nav('Chat');
    const patentChip = await chat.locator('#report-patent-pollutant').textContent();
    const patentTag = /\((P\d+)\)/.exec(patentChip ?? '')?.[1];
    expect(patentTag).toBeDefined();
    const reportPatent = await chat.locator(`#chips li.chip[data-tag="${patentTag}"]`).getAttribute('data-id');
    await chat.locator('#report-patent-pollutant:not([disabled])').click();
    await expect.poll(() => chat.locator('article.turn[data-status="done"]').count(), { timeout: LIMIT }).toBe(2);
    await chat.locator('article.turn[data-status="done"]').nth(1).locator(`a.cite[data-tag="${patentTag}"]`).first().click();
    await view.locator(`#patent-detail[data-patent="${reportPatent}"]`).waitFor({ timeout: LIMIT });

    // 8. Stop in the middle of the (long) SDG report: the turn is kept, marked stopped, in IndexedDB too.
    await nav('Chat');
    await chat.locator('#report-sdg:not([disabled])').click();
    await streamedSoFar();
    await chat.locator('#chat-stop').click();
    const stopped = chat.locator('article.turn[data-status="stopped"]');
    await stopped.waitFor({ timeout: LIMIT });
    const fullSdg = reportAnswer(composeReport(node, { report: 'sdg', pollutant }));
    const stoppedText = (await stopped.locator('.answer').textContent()) ?? '';
    expect(stoppedText.replace(/\s+/g, ' ').trim().length).toBeLessThan(fullSdg.length);
    const storedTurns = async (): Promise<StoredTurnLike[]> => page.evaluate(() => new Promise<StoredTurnLike[]>((resolve, reject) => {
      const open = indexedDB.open('patent-space');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('conversations').objectStore('conversations').getAll();
        all.onsuccess = () => {
          const records = all.result as { updatedAt: number; turns: StoredTurnLike[] }[];
          open.result.close();
          resolve(records.sort((a, b) => b.updatedAt - a.updatedAt)[0]?.turns ?? []);
        };
        all.onerror = () => reject(all.error);
      };
    }));
    await expect.poll(async () => (await storedTurns()).map((t) => t.status), { timeout: LIMIT }).toEqual(['done', 'done', 'stopped']);

    // 9. An off-topic question is refused: no source for that.
    await chat.locator('#chat-question').fill('What is the capital of France?');
    await chat.locator('#chat-question').press('Enter');
    const refused = chat.locator('article.turn[data-status="refused"]');
    await refused.waitFor({ timeout: LIMIT });
    await expect(refused.locator('.answer').textContent()).resolves.toMatch(/No source for that\.\s+I have no source for that/);
    await expect.poll(async () => (await storedTurns()).map((t) => t.status), { timeout: LIMIT }).toEqual(['done', 'done', 'stopped', 'refused']);

    // 9b. A free question on the data is answered from sources found by their words; the loaded
    //     encoder took part only if it passed calibration on this dataset, and the turn says which.
    await chat.locator('#chat-question').fill(`Which patents reduce ${CATALOGUE.pollutants[pollutant].name}?`);
    await chat.locator('#chat-question').press('Enter');
    await expect.poll(() => chat.locator('article.turn[data-status="done"]').count(), { timeout: LIMIT }).toBe(3);
    const answered = chat.locator('article.turn[data-status="done"]').last();
    await expect(answered.getAttribute('data-engine')).resolves.toBe('sources');
    await expect(answered.locator('.retrieval').textContent()).resolves.toMatch(
      /^Sources found by their words(?: only: (?:no encoder is loaded yet.*|the encoder was busy for over \d+ s .*|.+ tells this dataset's questions from off-topic ones in \d+ % of cases \(90 % needed\))| and by .+'s similarity)$/,
    );
    expect(await answered.locator('a.cite').count()).toBeGreaterThan(0);
    await expect.poll(async () => (await storedTurns()).map((t) => t.status), { timeout: LIMIT }).toEqual(['done', 'done', 'stopped', 'refused', 'done']);

    // 10. After a reload the conversation is shown again, as stored; the export appends its sources.
    await page.reload(); // the route (#/chat) is kept

    await expect.poll(() => chat.locator('#conversation article.turn').evaluateAll((a) => a.map((t) => t.getAttribute('data-status'))), { timeout: LIMIT })
      .toEqual(['done', 'done', 'stopped', 'refused', 'done']);
    await expect(chat.locator('#chips li.chip[data-kind="pollutant"]').count()).resolves.toBe(1);
    const [markdown] = await Promise.all([page.waitForEvent('download'), chat.locator('#chat-export').click()]);
    const text = readFileSync(await markdown.path(), 'utf8');
    expect(text).toContain('## Sources');
    expect(text).toContain('Stopped before the answer was finished.');
    expect(text).toContain(`### \\[L1\\] ${escapeInline(`Pollutant ${CATALOGUE.pollutants[pollutant].name}`)}`);

    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(session.requests.length).toBeGreaterThan(0);
  });
});
