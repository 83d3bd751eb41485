/**
 * Every export that carries text a user imported writes it inert: a patent titled like a
 * spreadsheet formula (OWASP "CSV injection") comes out of the rejected-rows, Match and map
 * selection CSVs as text, never as a live formula. (The forecast, space and neighbours CSVs hold
 * only normalised codes, bundled IPC titles and numbers; their format is tested in their own files.)
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Download, Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const PAYLOADS = ['=HYPERLINK("http://evil.example","x")', '@SUM(A1)', '+1+1', '-1+1', '=cmd|\' /C calc\'!A0'];
const CODES = ['H01M 4/00;H01M 10/00', 'F28D 7/00;F28F 1/00', 'B01D 53/00;B01D 46/00', 'H01M 4/00;F28D 7/00'];
const UNTITLED = ['U1', 'U2', 'U3'];

/**
 * 60 patents, one in four titled with a payload; 3 with codes but no title (kept, without a
 * vector); one broken row whose year is a formula.
 */
function payloadFile(): string {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const title = i % 4 === 0 ? PAYLOADS[(i / 4) % PAYLOADS.length] : `Battery electrode and heat exchanger plate number ${i}`;
    return [`X${i}`, String(1995 + (i % 15)), title, CODES[i % CODES.length]];
  });
  rows.splice(10, 0, ['X-bad', '=1+1', '=HYPERLINK("http://evil.example","bad")', 'H01M 4/00']);
  rows.push(...UNTITLED.map((id, i) => [id, String(2000 + i), '', CODES[i]]));
  const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
  // The file name is the user's text too: it is the first cell of every rejected row.
  const path = join(mkdtempSync(join(tmpdir(), 'ps-exports-')), '@payloads.csv');
  writeFileSync(path, `id,year,title,ipc\n${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`);
  return path;
}

/** The parsed cells of a downloaded CSV, header first. */
async function cells(download: Download): Promise<string[][]> {
  const parsed = Papa.parse<string[]>(readFileSync(await download.path(), 'utf8').trim(), { header: false });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** Cells a spreadsheet would run: text starting with = + - @, a tab or CR (numbers like -0.5 are numbers). */
function liveFormulas(rows: string[][]): string[] {
  return rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[-+]?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(cell));
}

async function save(page: Page, click: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return download;
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('exports are inert, in headless Chromium', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('titles that look like formulas leave the rejected-rows, Match and map-selection CSVs as text; untitled patents are kept and said to have no vector', { timeout: 900_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off#/import`);
    await page.locator('ps-dataset-bar #dataset-select option', { hasText: 'Demo corpus' }).waitFor({ state: 'attached', timeout: 300_000 });
    await page.locator('ps-import-view #file-input').setInputFiles(payloadFile());
    await page.locator('ps-import-view tr[data-file="@payloads.csv"]').waitFor();
    await page.locator('ps-import-view #start-import').click();
    await page.locator('ps-import-report #import-summary').waitFor({ timeout: 120_000 });

    const rejected = await cells(await save(page, () => page.locator('ps-import-report #export-errors').click()));
    expect(rejected[0]).toEqual(['file', 'line', 'reason']);
    expect(rejected).toHaveLength(2);
    expect(rejected[1][0]).toBe("'@payloads.csv");
    expect(liveFormulas(rejected)).toEqual([]);

    await page.locator('ps-import-view #open-dataset').click();
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    await expect(page.locator('ps-app #untitled-notice').textContent()).resolves.toMatch(/3\s+patents have no title or abstract/);

    await page.locator('ps-app nav a', { hasText: 'Match techniques' }).click();
    await page.locator('ps-match-view #technique-select').selectOption('DEMO-BAT-03');
    await page.locator('ps-match-view #match-run').click();
    await page.locator('ps-match-view #match-status[data-state="done"]').waitFor({ timeout: 300_000 });
    const match = await cells(await save(page, () => page.locator('ps-match-view #match-csv').click()));
    expect(match[0]).toEqual(['rank', 'patent', 'title', 'year', 'p_yes', 'answer', 'note']);
    expect(match).toHaveLength(64);
    for (const id of UNTITLED) expect(match.find((row) => row[1] === id)?.slice(4)).toEqual(['', '', expect.stringMatching(/no title or abstract/)]);
    await expect(page.locator('ps-match-view #match-failures').textContent()).resolves.toMatch(/3 patents not scored: no title or abstract to judge/);
    const titles = match.slice(1).map((row) => row[2]);
    for (const payload of PAYLOADS) expect(titles).toContain(`'${payload}`);
    expect(liveFormulas(match)).toEqual([]);

    await page.locator('ps-app nav a', { hasText: 'Patent map' }).click();
    const map = page.locator('ps-map-view');
    await map.locator('#map-status[data-state="done"][data-layout="umap"][data-points="60"]').waitFor({ timeout: 300_000 });
    await expect(map.locator('#map-unplaced').textContent()).resolves.toMatch(/3 of the 63\s+patents have no title or abstract/);
    // Ctrl+A on the focused map selects every point.
    await map.locator('#map-canvas').focus();
    await page.keyboard.press('Control+a');
    await expect.poll(() => map.locator('#map-status').getAttribute('data-selected'), { timeout: 60_000 }).toBe('60');
    const selection = await cells(await save(page, () => map.locator('#map-csv').click()));
    expect(selection[0]).toEqual(['patent', 'title', 'year', 'codes', 'topic', 'x', 'y']);
    expect(selection).toHaveLength(61);
    for (const payload of PAYLOADS) expect(selection.map((row) => row[1])).toContain(`'${payload}`);
    expect(liveFormulas(selection)).toEqual([]);
    expect(session.requests.filter((url) => !isLocal(url))).toEqual([]);
  });
});
