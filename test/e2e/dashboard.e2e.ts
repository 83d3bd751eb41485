/**
 * The pollution dashboard in the built app, from a fresh profile: a designed empty state whose one
 * click matches the demo patents against the bundled EU BREF techniques (TF-IDF, k = 2, the
 * demo-trained Yes/No model), and the dashboard over that job. Its pollutant counts equal the dashboard core run
 * in Node on the job's own exported pairs, at two relevance thresholds; the tree's relevant-only
 * filter and a section's list agree with the same computation; a pollutant shows its SDG chart;
 * the patent detail opens from a list; the CSV holds what the screen shows. Nothing leaves 127.0.0.1.
 * The counts are checked once more with WebGPU on (SwiftShader) rather than ?gpu=off.
 */
import { existsSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';
import { Dashboard, matchTableFromPairs, scoreRuleForJob, type BrefTreeNode } from '../../src/core/dashboard/dashboard';
import { parseSdgImpacts } from '../../src/core/reference/sdg';
import { sdgTableForCatalogue } from '../../src/core/reference/sdg-table';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';

const LIMIT = 600_000;
const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const SDG = sdgTableForCatalogue(parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8')), CATALOGUE.meta.fingerprint);

interface ExportedRow { patentId: string; sectionId: string; prefilter: number; pYes: number | null }

/**
 * The demo's one click (both stages of a job over the bundled BREF technique sections, then the
 * dashboard), and the job's own pairs as Match techniques exports them, for the Node computation.
 */
async function runDemoJob(page: Page, nav: (label: string) => Promise<void>): Promise<{ rows: ExportedRow[]; job: { settings: { verify: boolean } } }> {
  const view = page.locator('ps-dashboard-view');
  await view.locator('#dashboard-run-demo').click();
  await view.locator('#pollutant-table').waitFor({ timeout: LIMIT });
  await nav('Match techniques');
  const panel = page.locator('ps-match-job');
  await panel.locator('#jobs tbody tr[data-status="done"] .job-open').click();
  const results = panel.locator('ps-match-job-results');
  await results.locator('#job-table').waitFor({ timeout: LIMIT });
  const [download] = await Promise.all([page.waitForEvent('download'), results.locator('#job-json').click()]);
  return JSON.parse(readFileSync(await download.path(), 'utf8')) as { rows: ExportedRow[]; job: { settings: { verify: boolean } } };
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('the pollution dashboard (headless Chromium)', () => {
  let session: BrowserSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('with WebGPU on (SwiftShader), the one-click demo job gives the pollutant counts of the core on its pairs', { timeout: 1_500_000 }, async () => {
    session = await openBrowser({ webgpu: true });
    const { page } = session;
    await page.goto(inject('baseUrl'));
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();
    await nav('Pollution dashboard');
    const view = page.locator('ps-dashboard-view');
    const exported = await runDemoJob(page, nav);
    const node = new Dashboard(matchTableFromPairs(CATALOGUE, exported.rows, scoreRuleForJob(exported.job.settings)), SDG);
    await nav('Pollution dashboard');
    await view.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    await expect.poll(() => view.locator('#pollutant-table tbody tr').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-pollutant')), Number(r.getAttribute('data-patents'))])), { timeout: LIMIT })
      .toEqual(node.pollutants().map((r) => [r.pollutant.index, r.patents]));
    expect(node.pollutants().some((r) => r.patents > 0)).toBe(true);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
  });

  it('counts what the dashboard core counts on the same matches, in every tab', { timeout: 1_500_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: LIMIT });
    const nav = (label: string) => page.locator('ps-app nav a', { hasText: label }).click();
    await nav('Pollution dashboard');
    const view = page.locator('ps-dashboard-view');
    await view.locator('#dashboard-empty').waitFor({ timeout: LIMIT });

    const exported = await runDemoJob(page, nav);
    const table = matchTableFromPairs(CATALOGUE, exported.rows, scoreRuleForJob(exported.job.settings));
    const node = new Dashboard(table, SDG);

    await nav('Pollution dashboard');
    await view.locator('#pollutant-table').waitFor({ timeout: LIMIT });
    await expect(view.locator('#dashboard-summary').getAttribute('data-pairs')).resolves.toBe(String(table.pairCount));
    const screenCounts = async () => view.locator('#pollutant-table tbody tr').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-pollutant')), Number(r.getAttribute('data-patents'))]));
    const nodeCounts = () => node.pollutants().map((r) => [r.pollutant.index, r.patents]);
    await expect.poll(screenCounts, { timeout: LIMIT }).toEqual(nodeCounts());
    expect(nodeCounts().some(([, n]) => n > 0)).toBe(true);

    // A new relevance threshold recounts (and is kept: the slider shows it after a reload).
    await view.locator('#relevance').fill('0.8');
    await view.locator('#relevance').dispatchEvent('change');
    node.setThresholds({ relevance: 0.8 });
    await expect.poll(screenCounts, { timeout: LIMIT }).toEqual(nodeCounts());

    // The CSV is what the screen shows.
    const [csv] = await Promise.all([page.waitForEvent('download'), view.locator('#pollutants-csv').click()]);
    const cells = Papa.parse<string[]>(readFileSync(await csv.path(), 'utf8').trim()).data;
    expect(cells[0]).toEqual(['rank', 'pollutant', 'patents', 'sections']);
    expect(cells.slice(1).map((r) => [r[1], Number(r[2])])).toEqual(node.pollutants().map((r) => [r.pollutant.name, r.patents]));

    // A pollutant's page: its SDG chart and its patents (those at display ≥ 0.68 as well).
    node.setThresholds({ relevance: 0.5 });
    await view.locator('#relevance').fill('0.5');
    await view.locator('#relevance').dispatchEvent('change');
    await expect.poll(screenCounts, { timeout: LIMIT }).toEqual(nodeCounts());
    const top = node.pollutants().find((r) => r.patents > 0 && SDG.goals.some((_, g) => SDG.impact(g, r.pollutant.index) > 0));
    expect(top).toBeDefined();
    await view.locator(`#pollutant-table tr[data-pollutant="${top?.pollutant.index}"] .open-pollutant`).click();
    const pollutantPage = view.locator(`#pollutant-page[data-pollutant="${top?.pollutant.index}"]`);
    await pollutantPage.waitFor({ timeout: LIMIT });
    await expect(pollutantPage.getAttribute('data-patents')).resolves.toBe(String(top?.patents));
    await view.locator('#pollutant-sdg-chart svg').first().waitFor({ timeout: LIMIT });
    const expectedTop = node.pollutant(top?.pollutant.index ?? 0).top.map((t) => t.patentId);
    await expect(view.locator('#pollutant-patents tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-patent')))).resolves.toEqual(expectedTop);

    // The patent detail opens from the list.
    if (expectedTop.length > 0) {
      await view.locator('#pollutant-patents .open-patent').first().click();
      await view.locator(`#patent-detail[data-patent="${expectedTop[0]}"]`).waitFor({ timeout: LIMIT });
      await expect(view.locator('#patent-sections tbody tr').count()).resolves.toBe(node.patent(expectedTop[0])?.sections.length);
      await view.locator('#patent-close').click();
    }

    // The BREF tree, relevant only: the documents and counts of the core, and a section's own list.
    await view.locator('#tab-bref').click();
    const documents = node.tree({ relevantOnly: true });
    await expect.poll(() => view.locator('ps-bref-panel ul.root > li').evaluateAll((li) => li.map((l) => [l.getAttribute('data-node'), Number(l.getAttribute('data-count'))])), { timeout: LIMIT })
      .toEqual(documents.map((d) => [d.id, d.count]));
    expect(documents.every((d) => d.count > 0)).toBe(true);
    const firstSection = (nodes: BrefTreeNode[]): BrefTreeNode[] => {
      for (const n of nodes) {
        if (n.kind === 'section' && node.section(n.id).patents > 0) return [n];
        const below = firstSection(n.children);
        if (below.length) return [n, ...below];
      }
      return [];
    };
    const chain = firstSection(documents);
    const target = chain.at(-1);
    expect(target).toBeDefined();
    for (const step of chain.slice(0, -1)) await view.locator(`ps-bref-panel li[data-node="${step.id}"] > .node .toggle`).click();
    await view.locator(`ps-bref-panel li[data-node="${target?.id}"] > .node .open-section`).click();
    const sectionPage = view.locator(`#section-page[data-section="${target?.id}"]`);
    await sectionPage.waitFor({ timeout: LIMIT });
    await expect(sectionPage.getAttribute('data-patents')).resolves.toBe(String(node.section(target?.id ?? '').patents));
    const sectionLink = await view.locator('#section-on-map').getAttribute('href');
    expect(sectionLink).toBe(`#/map?section=${encodeURIComponent(target?.id ?? '')}`);

    // SDGs: the chart and the reach ranking of the core.
    await view.locator('#tab-sdg').click();
    await view.locator('#sdg-chart svg').first().waitFor({ timeout: LIMIT });
    await expect(view.locator('#sdg-summary').getAttribute('data-patents')).resolves.toBe(String(node.sdg()?.patents));

    // The map coloured by relevance to the top pollutant: as many patents at or above the threshold
    // as the dashboard counts for it.
    // First through the pollutant page's link (#/map?pollutant=INDEX), then through the map's own controls.
    await nav('Pollution dashboard');
    await view.locator('#tab-pollutants').click();
    await view.locator(`#pollutant-table tr[data-pollutant="${top?.pollutant.index}"] .open-pollutant`).click();
    await view.locator('#pollutant-on-map').click();
    const map = page.locator('ps-map-view');
    await map.locator('#map-legend li').filter({ hasText: `${top?.pollutant.name}: ${top?.patents} patents ≥ 0.50` }).waitFor({ timeout: LIMIT });
    await nav('Explore');
    await nav('Patent map');
    await map.locator('#map-status[data-state="done"]').waitFor({ timeout: LIMIT });
    await map.locator('#map-colour').selectOption('topic');
    await map.locator('#map-colour').selectOption('relevance');
    await map.locator(`#map-pollutant option[value="${top?.pollutant.index}"]`).waitFor({ state: 'attached', timeout: LIMIT });
    await map.locator('#map-pollutant').selectOption(String(top?.pollutant.index));
    await map.locator('#map-legend li').filter({ hasText: `${top?.pollutant.name}: ${top?.patents} patents ≥ 0.50` }).waitFor({ timeout: LIMIT });

    // A section's link colours the map by relevance to that section: its matched patents at or above the threshold.
    // (From another view, as the link is followed from the section's page: the open map keeps its colours on a bare hash change.)
    await nav('Explore');
    await page.goto(`${inject('baseUrl')}?gpu=off${sectionLink}`);
    await map.locator('#map-legend li').filter({ hasText: `: ${node.section(target?.id ?? '').patents} patents ≥ 0.50` }).waitFor({ timeout: LIMIT });

    // The map links one selected patent to the dashboard as #/dashboard?patent=ID: that opens its detail.
    const linked = exported.rows[0].patentId;
    await page.goto(`${inject('baseUrl')}?gpu=off#/dashboard?patent=${encodeURIComponent(linked)}`);
    await view.locator(`#patent-detail[data-patent="${linked}"]`).waitFor({ timeout: LIMIT });
    // A section cited in the chat links to #/dashboard?section=ID: the BREF tab opens on that section's page.
    await page.goto(`${inject('baseUrl')}?gpu=off#/dashboard?section=${encodeURIComponent(target?.id ?? '')}`);
    await view.locator(`#section-page[data-section="${target?.id}"]`).waitFor({ timeout: LIMIT });
    await expect(view.locator('#tab-bref').getAttribute('aria-selected')).resolves.toBe('true');
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
  });
});
