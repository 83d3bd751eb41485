import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import type { CodeEmbedding } from '../../src/core/forecast/candidate-cosine';
import { runForecast, type ForecastReport } from '../../src/core/forecast/forecast';
import { backtestWindows } from '../../src/core/forecast/hybrid';
import { inRange, scaledDefaultWindows, type YearRange } from '../../src/core/forecast/windows';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { BUNDLED_MODEL_NAME, BUNDLED_MODEL_REF } from '../../src/ml/bundled';
import { EncoderEngine } from '../../src/ml/encoder';
import { localModelSource } from '../../src/ml/local-model';
import { CHROMIUM_PATH, isLocal, openBrowser, type BrowserSession } from './browser';
import { expectHybridOnScreen } from './forecast-hybrid';

/** Same vectors, cosines on two backends: only f32 summation order differs. */
const BACKEND_AUC_TOLERANCE = 1e-6;
const TOP_N = 50;

interface Exported {
  model: string;
  backend: { kind: string; adapterName?: string; fallbackReason?: string };
  report: ForecastReport;
}

interface BrowserRun {
  exported: Exported;
  legendAucs: Record<string, number>;
  seconds: number;
}

const aucs = (report: ForecastReport) => Object.fromEntries(report.methods.map((m) => [m.method, m.auc]));

/** Opens the Forecast view (app already started), runs it with the defaults and exports it. */
async function runInBrowser(session: BrowserSession, options: { embedOnWasm: boolean }): Promise<BrowserRun> {
  const { page } = session;
  await page.locator('ps-app nav a', { hasText: 'Forecast' }).click();
  const view = page.locator('ps-forecast-view');
  // The default windows come from the dataset's years (demo 1980–2020 → ≤2010, 2011–2015, 2016–2020).
  await expect.poll(() => view.locator('#fc-embed-from').inputValue(), { timeout: 30_000 }).toBe('2011');
  await expect(view.locator('#fc-score-to').inputValue()).resolves.toBe('2020');
  if (options.embedOnWasm) await view.locator('#fc-encoder-wasm').check();
  const started = Date.now();
  await view.locator('#fc-run').click();
  const status = view.locator('#forecast-status[data-state="done"]');
  await status.waitFor({ timeout: 420_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`status: ${(await status.textContent())?.replace(/\s+/g, ' ').trim()}`);

  const legendAucs: Record<string, number> = {};
  for (const button of await view.locator('ps-roc-plot li button').all()) {
    legendAucs[(await button.getAttribute('data-method')) as string] = Number(await button.getAttribute('data-auc'));
  }
  const [download] = await Promise.all([page.waitForEvent('download'), view.locator('#fc-json').click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as Exported;
  return { exported, legendAucs, seconds };
}

/**
 * The CLI's path (scripts/forecast.ts) in Node: onnxruntime-node embeds the embedding window's
 * patents, and the backtest's for the hybrid (TechToken vectors of each window from that window's
 * patents and codes, as the app's encoder worker makes them); text-tfidf and the hybrid on.
 */
async function nodeReport(): Promise<ForecastReport> {
  const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
  const windows = scaledDefaultWindows(1980, 2020);
  const encoder = await EncoderEngine.create({ source: localModelSource('models', BUNDLED_MODEL_NAME), devices: ['cpu'] });
  const vectorsOf = async (range: YearRange): Promise<Record<string, CodeEmbedding>> => {
    const inWindow = patents.filter((p) => inRange(p.year, range));
    const { vectors, dim } = await encoder.embed(inWindow.map(patentText));
    const vocabulary = encoder.codeTokens(inWindow.flatMap((p) => p.codes));
    if (!vocabulary || vocabulary.level !== 'subclass') throw new Error(`${BUNDLED_MODEL_NAME} has no subclass code tokens`);
    return { 'mean-of-patents': meanOfPatentVectors(inWindow, vectors, dim, 'subclass'), techtoken: await encoder.embedCodeTokens(inWindow, vocabulary) };
  };
  try {
    const embeddings = await vectorsOf(windows.embed);
    const backtestEmbeddings = await vectorsOf(backtestWindows(windows).embed);
    return await runForecast({ patents, level: 'subclass', windows, labels: { mode: 'above-null' }, embeddings, topN: TOP_N, textTfidf: true, hybrid: { backtestEmbeddings } });
  } finally {
    await encoder.destroy();
  }
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('technology forecasting in headless Chromium', () => {
  let session: BrowserSession | undefined;
  let cpuRun: BrowserRun | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('CPU fallback: forecasts the demo with the AUCs of the Node CLI path; pairs drill down to patents; CSV export', { timeout: 900_000 }, async () => {
    session = await openBrowser({ webgpu: false });
    const { page } = session;
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    cpuRun = await runInBrowser(session, { embedOnWasm: false });
    const { exported, legendAucs } = cpuRun;
    const view = page.locator('ps-forecast-view');
    await expect(view.locator('#forecast-status').getAttribute('data-backend')).resolves.toBe('cpu');
    // The bundled model never saw the scoring window (its manifest's until_year), so no leak warning.
    await expect(view.locator('#fc-training-leak').count()).resolves.toBe(0);
    expect(exported.backend).toEqual({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    expect(exported.model).toBe(BUNDLED_MODEL_REF);
    const report = exported.report;
    expect(report.methods.map((m) => m.method)).toEqual(['mean-of-patents', 'techtoken', 'text-tfidf', 'common-neighbours', 'jaccard', 'adamic-adar',
      'resource-allocation', 'preferential-attachment', 'profile-cosine', 'random', 'hybrid']);
    expect(legendAucs).toEqual(aucs(report));
    expect(report.balance.positives).toBeGreaterThan(10);
    expect(report.balance.negatives).toBeGreaterThan(10);
    await expect(view.locator('#fc-balance').textContent()).resolves.toContain(`${report.balance.positives} came true`);
    console.log(`browser CPU forecast in ${cpuRun.seconds.toFixed(1)} s (embedding window vectors included): ${report.counts.candidates} candidates, ${report.balance.positives} positives; AUC ${report.methods.map((m) => `${m.method} ${m.auc.toFixed(4)} [${m.ci.low.toFixed(3)}, ${m.ci.high.toFixed(3)}]`).join('; ')}`);

    // The same forecast through the CLI's code in Node (onnxruntime-node instead of ORT WASM).
    const node = await nodeReport();
    expect(node.counts).toEqual(report.counts);
    expect(node.balance).toEqual(report.balance);
    const differences = node.methods.map((m, i) => ({ method: m.method, node: m.auc, browser: report.methods[i].auc, diff: Math.abs(m.auc - report.methods[i].auc) }));
    console.log(`browser vs Node AUC: ${differences.map((d) => `${d.method} ${d.diff.toExponential(1)}`).join(', ')}`);
    for (const d of differences) expect(d.diff, `${d.method}: browser ${d.browser} vs Node ${d.node}`).toBeLessThanOrEqual(BACKEND_AUC_TOLERANCE);
    console.log(`hybrid ${report.hybrid ? `fitted on ${report.hybrid.yearsRead.first}–${report.hybrid.yearsRead.last}` : 'not fitted'}; paired: ${report.paired.map((d) => `${d.a} − ${d.b} ${d.difference.toFixed(4)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`).join('; ')}; coefficients: ${report.hybrid?.coefficients.map((c) => `${c.feature} ${c.coefficient.toFixed(3)}`).join(', ')}`);

    // The hybrid's AUC, the paired differences, its coefficients and fitted years on screen are Node's; its first pair shows its features.
    await expectHybridOnScreen(view, node);

    // A pair lists the patents of each code, by click and by keyboard (the table opens on the hybrid).
    await expect(view.locator('#fc-method').inputValue()).resolves.toBe('hybrid');
    const hybridTop = report.methods.find((m) => m.method === 'hybrid')?.top ?? [];
    const firstPair = view.locator('#fc-pairs tr.pair').first();
    const [codeA, codeB] = hybridTop[0].codes;
    await firstPair.click();
    const drill = view.locator('#fc-pair-patents[data-state="done"]');
    await drill.waitFor({ timeout: 30_000 });
    for (const code of [codeA, codeB]) {
      const rows = drill.locator(`div[data-code="${code}"] tbody tr`);
      expect(await rows.count()).toBeGreaterThan(0);
      const cells = await rows.first().locator('td').allTextContents();
      expect(cells[0]).toMatch(/^DEMO-\d{6}$/);
      expect(Number(cells[2])).toBeGreaterThanOrEqual(1980);
    }
    await view.locator('#fc-pairs tr.pair button.pair-open').nth(1).focus();
    await page.keyboard.press('Enter');
    await view.locator(`#fc-pair-patents[data-state="done"] div[data-code="${hybridTop[1].codes[0]}"]`).waitFor({ timeout: 30_000 });

    // A code-title TSV names the codes in the table; bad rows are reported by line.
    await view.locator('#fc-titles').setInputFiles({ name: 'titles.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(`code\ttitle\n${codeA}\tFirst code's title\nnot a code row\n`) });
    await expect(view.locator('#fc-titles-status').getAttribute('data-count')).resolves.toBe('1');
    await expect(view.locator('#fc-titles-errors').textContent()).resolves.toMatch(/line 3: no tab/);
    await expect(view.locator('#fc-pairs tr.pair').first().textContent()).resolves.toContain("First code's title");

    // The legend selects the table's method; the CSV holds every method's top pairs.
    await view.locator('ps-roc-plot li button[data-method="jaccard"]').click();
    await expect(view.locator('#fc-method').inputValue()).resolves.toBe('jaccard');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), view.locator('#fc-csv').click()]);
    const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
    const features = report.hybrid?.coefficients.map((c) => c.feature) ?? [];
    expect(csv[0]).toBe(['method,auc,ci_low,ci_high,rank,code_1,title_1,code_2,title_2,score,came_true,observed,kind,fitted_on', ...features.map((f) => `feature:${f}`)].join(','));
    expect(csv.length - 1).toBe(report.methods.reduce((sum, m) => sum + m.top.length, 0));
    const meanTop = report.methods[0].top[0];
    expect(csv[1].split(',').slice(0, 7)).toEqual(['mean-of-patents', report.methods[0].auc.toFixed(6), report.methods[0].ci.low.toFixed(6), report.methods[0].ci.high.toFixed(6), '1', meanTop.codes[0], meanTop.codes[0] === codeA ? "First code's title" : '']);
    expect(csv[1].split(',').slice(12)).toEqual(['embedding', '', ...features.map(() => '')]);
    // The hybrid's rows carry its kind, its fitted years and its features (none of them text a spreadsheet would run).
    const hybridRow = csv.find((line) => line.startsWith('hybrid,'))?.split(',') ?? [];
    const fitted = `fitted on years ${report.hybrid?.yearsRead.first}–${report.hybrid?.yearsRead.last}`;
    const hybrid = report.methods.find((m) => m.method === 'hybrid');
    expect(hybridRow.slice(0, 7)).toEqual(['hybrid', hybrid?.auc.toFixed(6), hybrid?.ci.low.toFixed(6), hybrid?.ci.high.toFixed(6), '1', codeA, "First code's title"]);
    expect(hybridRow.slice(12, 14)).toEqual(['hybrid', fitted]);
    expect(hybridRow.slice(14).map(Number)).toEqual(features.map((f) => Number((hybridTop[0].features?.[f] ?? Number.NaN).toFixed(6))));

    // A backtest before the data: the hybrid is skipped with its reason and the rest runs (text methods only: no model).
    for (const method of ['mean-of-patents', 'techtoken']) await view.locator(`input.fc-method[value="${method}"]`).uncheck();
    await view.locator('#fc-learn-to').fill('1981');
    await view.locator('#fc-embed-from').fill('1982');
    await view.locator('#fc-embed-to').fill('1985');
    await view.locator('#fc-score-from').fill('1986');
    await view.locator('#fc-score-to').fill('2000');
    await view.locator('#fc-run').click();
    await view.locator('#forecast-status[data-state="done"]').waitFor({ timeout: 300_000 });
    await expect(view.locator('#fc-hybrid-skipped').textContent()).resolves.toMatch(/The hybrid was not fitted: the hybrid's backtest \(windows ≤1966, 1967-1970, 1971-1985\) has no candidate pairs/);
    await expect(view.locator('ps-roc-plot li button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-method')))).resolves.toEqual(['text-tfidf', 'common-neighbours', 'jaccard', 'adamic-adar',
      'resource-allocation', 'preferential-attachment', 'profile-cosine', 'random']);
    await expect(view.locator('#fc-hybrid').count()).resolves.toBe(0);

    // Windows that hold no patents give an empty state, not an error.
    await view.locator('#fc-embed-from').fill('1970');
    await view.locator('#fc-embed-to').fill('1975');
    await view.locator('#fc-learn-to').fill('1969');
    await view.locator('#fc-run').click();
    await expect(view.locator('#forecast-status[data-state="empty"]').textContent({ timeout: 60_000 })).resolves.toMatch(/embedding window 1970-1975 has no patents/);
    expect(session.errors).toEqual([]);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
  });

  it('WebGPU (SwiftShader): the cosines run on the GPU with the same AUCs as the CPU fallback', { timeout: 900_000 }, async () => {
    if (!cpuRun) throw new Error('the CPU run must come first');
    session = await openBrowser({ webgpu: true });
    const { page } = session;
    // Embed on WASM at start-up (SwiftShader embeds slowly), then switch WebGPU on: the stored
    // vectors are reused and only the cosines move to the GPU.
    await page.goto(`${inject('baseUrl')}?gpu=off`);
    await page.locator('ps-app #status[data-state="done"]').waitFor({ timeout: 300_000 });
    await page.locator('ps-app header input[type="checkbox"]').check();
    await page.locator('ps-app #status[data-state="done"][data-similarity-backend="webgpu"]').waitFor({ timeout: 420_000 });
    const gpuRun = await runInBrowser(session, { embedOnWasm: true });
    const view = page.locator('ps-forecast-view');
    await expect(view.locator('#forecast-status').getAttribute('data-backend')).resolves.toBe('webgpu');
    expect(gpuRun.exported.backend.kind).toBe('webgpu');
    expect(gpuRun.exported.backend.adapterName).toMatch(/swiftshader/i);
    await expect(view.locator('#forecast-status').textContent()).resolves.toMatch(/cosines on WebGPU on .*SwiftShader/i);
    const cpu = cpuRun.exported.report;
    const gpu = gpuRun.exported.report;
    expect(gpu.counts).toEqual(cpu.counts);
    expect(gpu.balance).toEqual(cpu.balance);
    gpu.methods.forEach((m, i) => {
      expect(m.method).toBe(cpu.methods[i].method);
      expect(Math.abs(m.auc - cpu.methods[i].auc), `${m.method}: WebGPU ${m.auc} vs CPU ${cpu.methods[i].auc}`).toBeLessThanOrEqual(BACKEND_AUC_TOLERANCE);
    });
    console.log(`browser WebGPU forecast in ${gpuRun.seconds.toFixed(1)} s on ${gpuRun.exported.backend.adapterName}; AUC ${gpu.methods.map((m) => `${m.method} ${m.auc.toFixed(4)}`).join('; ')}`);
    expect(session.errors).toEqual([]);
  });
});
