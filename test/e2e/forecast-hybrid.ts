/**
 * What the Forecast view shows of the hybrid and the paired comparison, checked against the
 * core's report computed in Node on the same inputs: the hybrid's AUC and kind in the legend, the
 * paired differences, the coefficients, the fitted years wherever the hybrid is shown, and the
 * features behind its first pair's rank.
 */
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import type { ForecastReport } from '../../src/core/forecast/forecast';

/** Same vectors up to the ONNX runtimes' rounding: AUCs and their differences agree to this. */
const AUC_TOLERANCE = 1e-6;
/** The fit's coefficients move a little more than the cosines they are fitted on. */
const COEFFICIENT_TOLERANCE = 1e-4;
const FEATURE_TOLERANCE = 1e-5;
/** Three decimals on screen: half the last digit. */
const SHOWN = 0.0005;

/** "+0.027" / "−0.113" as written on screen, as a number. */
function shownNumber(text: string | null): number {
  const match = /[+−-]?\d+\.\d+/.exec(text ?? '');
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace('−', '-'));
}

export async function expectHybridOnScreen(view: Locator, node: ForecastReport): Promise<void> {
  const hybrid = node.hybrid;
  const hybridMethod = node.methods.find((m) => m.method === 'hybrid');
  if (!hybrid || !hybridMethod) throw new Error(`Node fitted no hybrid: ${node.hybridSkipped}`);
  const fitted = `fitted on years ${hybrid.yearsRead.first}–${hybrid.yearsRead.last}`;

  // Every method's kind in the legend; the hybrid's AUC, interval and fitted years; its curve drawn as a hybrid.
  const legend = view.locator('ps-roc-plot li button');
  await expect(legend.evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-method'), b.getAttribute('data-kind')]))).resolves
    .toEqual(node.methods.map((m) => [m.method, m.kind]));
  const entry = view.locator('ps-roc-plot li button[data-method="hybrid"]');
  expect(Math.abs(Number(await entry.getAttribute('data-auc')) - hybridMethod.auc)).toBeLessThanOrEqual(AUC_TOLERANCE);
  for (const [attribute, value] of [['data-ci-low', hybridMethod.ci.low], ['data-ci-high', hybridMethod.ci.high]] as const) {
    expect(Math.abs(Number(await entry.getAttribute(attribute)) - value), attribute).toBeLessThanOrEqual(1e-3);
  }
  // Rounded from the browser's own AUC, so a value at a rounding boundary cannot make this flaky.
  const entryText = (await entry.textContent()) ?? '';
  expect(entryText).toContain(`hybrid (hybrid, ${fitted}): AUC ${Number(await entry.getAttribute('data-auc')).toFixed(3)}`);
  await expect(view.locator('ps-roc-plot g.curve[data-kind="hybrid"]').count()).resolves.toBe(1);

  // The paired differences: hybrid − best baseline and best embedding − best baseline, with their intervals.
  const rows = view.locator('#fc-paired tr.paired');
  await expect(rows.count()).resolves.toBe(node.paired.length);
  expect(node.paired.map((d) => d.a)).toEqual(['hybrid', expect.any(String)]);
  for (const [i, d] of node.paired.entries()) {
    const row = rows.nth(i);
    await expect(row.getAttribute('data-a')).resolves.toBe(d.a);
    await expect(row.getAttribute('data-b')).resolves.toBe(d.b);
    expect(Math.abs(Number(await row.getAttribute('data-difference')) - d.difference), `${d.a} − ${d.b}`).toBeLessThanOrEqual(AUC_TOLERANCE);
    // Each bootstrap replicate draws the same codes; only its two AUCs move, each by at most the tolerance.
    expect(Math.abs(Number(await row.getAttribute('data-low')) - d.low)).toBeLessThanOrEqual(2 * AUC_TOLERANCE);
    expect(Math.abs(Number(await row.getAttribute('data-high')) - d.high)).toBeLessThanOrEqual(2 * AUC_TOLERANCE);
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe(i === 0 ? 'Hybrid − best baseline' : 'Best embedding − best baseline');
    expect(Math.abs(shownNumber(cells[2]) - d.difference)).toBeLessThanOrEqual(SHOWN + AUC_TOLERANCE);
    const [low, high] = cells[3].split(' to ').map(shownNumber);
    expect(Math.abs(low - d.low)).toBeLessThanOrEqual(SHOWN + 2 * AUC_TOLERANCE);
    expect(Math.abs(high - d.high)).toBeLessThanOrEqual(SHOWN + 2 * AUC_TOLERANCE);
    if (i === 0) expect(cells[1]).toContain(fitted);
  }

  // The fitted years, in the model's section and above the hybrid's table; never a scoring year.
  const note = view.locator('#fc-hybrid-fitted');
  await expect(note.textContent()).resolves.toContain(`${fitted} (backtest: learn ${hybrid.windows.learn}, embed ${hybrid.windows.embed}, score ${hybrid.windows.score}`);
  expect(Number(await note.getAttribute('data-last'))).toBeLessThan(Number(node.windows.score.split('-')[0]));
  await expect(view.locator('#fc-pairs-note').textContent()).resolves.toBe(`hybrid ${fitted}`);

  // The coefficients, largest first.
  const coefficients = view.locator('#fc-coefficients tr.coefficient');
  const expected = [...hybrid.coefficients].sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
  await expect(coefficients.count()).resolves.toBe(expected.length);
  for (const [i, c] of expected.entries()) {
    const row = coefficients.nth(i);
    await expect(row.getAttribute('data-feature')).resolves.toBe(c.feature);
    expect(Math.abs(Number(await row.getAttribute('data-coefficient')) - c.coefficient), c.feature).toBeLessThanOrEqual(COEFFICIENT_TOLERANCE);
    expect(Math.abs(shownNumber(await row.locator('td').nth(1).textContent()) - c.coefficient)).toBeLessThanOrEqual(SHOWN + COEFFICIENT_TOLERANCE);
  }

  // The first pair of the hybrid's table: the features behind its rank, as Node has them for that pair.
  await view.locator('#fc-pairs tr.pair').first().click();
  const details = view.locator('#fc-pair-features[data-state="done"]');
  await details.waitFor({ timeout: 30_000 });
  const heading = (await details.locator('h3').textContent()) ?? '';
  const codes = /ranks (\S+) \+ (\S+) at 1$/.exec(heading);
  if (!codes) throw new Error(`unexpected heading "${heading}"`);
  const twin = hybridMethod.top.find((p) => p.codes[0] === codes[1] && p.codes[1] === codes[2]);
  if (!twin?.features) throw new Error(`${codes[1]} + ${codes[2]} is not among Node's top hybrid pairs`);
  await expect(details.locator('p').first().textContent()).resolves.toContain(fitted);
  const shown = await details.locator('tr.feature').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-feature') ?? '', Number(tr.getAttribute('data-value'))] as const));
  expect(shown.map(([f]) => f).sort()).toEqual(Object.keys(twin.features).sort());
  for (const [feature, value] of shown) expect(Math.abs(value - (twin.features[feature] ?? Number.NaN)), feature).toBeLessThanOrEqual(FEATURE_TOLERANCE);
}
