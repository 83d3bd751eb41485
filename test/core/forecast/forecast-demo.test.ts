import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meanOfPatentVectors } from '../../../src/core/code-vectors';
import { codeAt } from '../../../src/core/codes';
import { technologyPatents, type DemoGroundTruth } from '../../../src/core/demo/generate';
import { runForecast, type ForecastReport } from '../../../src/core/forecast/forecast';
import { scaledDefaultWindows, type ForecastWindows } from '../../../src/core/forecast/windows';
import type { CodeLevel, Patent } from '../../../src/core/types';

const truth = JSON.parse(readFileSync('public/demo/ground-truth.json', 'utf8')) as DemoGroundTruth;
// The planted combinations are the technology corpus's (the pollution patents have one code each).
const patents = technologyPatents(readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Patent), truth);
// The app's default windows for the demo's years (the seed's, scaled): ≤2010, 2011–2015, 2016–2020.
const WINDOWS = scaledDefaultWindows(1980, 2020);
/**
 * The demo plants Euclidean structure (combination weight exp(−d²/2σ²)). A cosine sees it once
 * each position x is lifted to (x, LIFT): for |x| ≪ LIFT, cos ≈ 1 − |x−y|²/(2·LIFT²).
 */
const LIFT = 8;

/** Mean-of-patents code vectors whose "patent embedding" is the mean hidden position of its main groups. */
function hiddenPositionVectors(level: CodeLevel, windows: ForecastWindows): ReturnType<typeof meanOfPatentVectors> {
  const position = new Map(truth.mainGroups.map((code, i) => [code, truth.mainGroupPositions[i]]));
  const dim = truth.latentDim + 1;
  const inEmbed = patents.filter((p) => p.year >= windows.embed.from && p.year <= windows.embed.to);
  const vectors = new Float32Array(inEmbed.length * dim);
  inEmbed.forEach((patent, row) => {
    const groups = [...new Set(patent.codes.map((code) => codeAt('main_group', code) as string))];
    for (const group of groups) (position.get(group) as number[]).forEach((v, d) => { vectors[row * dim + d] += v / groups.length; });
    vectors[row * dim + dim - 1] = LIFT;
  });
  return meanOfPatentVectors(inEmbed, vectors, dim, level);
}

async function forecast(level: CodeLevel): Promise<ForecastReport> {
  return runForecast({
    patents,
    level,
    windows: WINDOWS,
    labels: { mode: 'above-null' },
    embeddings: { 'hidden-positions': hiddenPositionVectors(level, WINDOWS) },
    // The app's own TF-IDF code vectors, and the hybrid over them and the graph scores (no hidden positions).
    textTfidf: true,
    hybrid: {},
  });
}

describe('forecast on the demo corpus recovers the planted structure', () => {
  for (const level of ['subclass', 'main_group'] as const) {
    it(`${level}: cosine of hidden-position code vectors beats chance and preferential attachment`, async () => {
      const report = await forecast(level);
      const auc = Object.fromEntries(report.methods.map((m) => [m.method, m]));
      const embedding = auc['hidden-positions'];
      const paired = report.paired.map((d) => `${d.a} − ${d.b} ${d.difference.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`).join('; ');
      console.log(`${level}: hybrid − hidden-positions ${(auc.hybrid.auc - embedding.auc).toFixed(3)}; ${paired}`);
      console.log(`${level}: ${report.counts.candidates} candidates, ${report.balance.positives} positives; AUC ${report.methods.map((m) => `${m.method} ${m.auc.toFixed(3)} [${m.ci.low.toFixed(3)}, ${m.ci.high.toFixed(3)}]`).join('; ')}`);
      expect(report.counts.candidates).toBeGreaterThan(level === 'subclass' ? 300 : 3000);
      expect(report.balance.positives).toBeGreaterThan(40);
      expect(embedding.auc).toBeGreaterThan(0.68);
      expect(embedding.ci.low).toBeGreaterThan(0.6);
      expect(embedding.auc).toBeGreaterThan(auc['preferential-attachment'].auc + 0.05);
      expect(Math.abs(auc.random.auc - 0.5)).toBeLessThan(0.08);
      expect(embedding.precisionAtK[1].k).toBe(100);
      expect(embedding.precisionAtK[1].precision).toBeGreaterThan(1.5 * report.balance.positiveShare);
      // The text carries the structure too (codes close in the latent space share words), so a
      // plain TF-IDF mean of the patents already beats preferential attachment.
      expect(auc['text-tfidf'].auc).toBeGreaterThan(auc['preferential-attachment'].auc + 0.05);
      // The hybrid (TF-IDF cosine + graph scores, fitted on the backtest ≤2005/2006–2010/2011–2015)
      // beats the graph baselines; it stays below the hidden positions (0.04 subclass, 0.03 main group).
      expect(auc.hybrid.auc).toBeGreaterThan(auc['resource-allocation'].auc);
      expect(report.hybrid?.yearsRead.last).toBeLessThan(WINDOWS.score.from);
      // Every listed prediction is a candidate: the pair was never combined up to the embedding window's end.
      for (const pair of embedding.top) {
        const key = [...pair.codes].sort().join('|');
        const first = truth.firstCooccurrence[level][key];
        expect(first === undefined || first > WINDOWS.embed.to).toBe(true);
        if (pair.cameTrue) expect(first).toBeLessThanOrEqual(WINDOWS.score.to);
      }
    });
  }

  it('labels agree with the generator\'s record of first co-occurrences', async () => {
    const report = await runForecast({ patents, level: 'subclass', windows: WINDOWS, labels: { mode: 'at-least-once' }, embeddings: {}, baselines: ['random'], topN: 100_000 });
    const [random] = report.methods;
    // Candidates need both codes in the embedding window.
    const inEmbed = new Set(patents.filter((p) => p.year >= WINDOWS.embed.from && p.year <= WINDOWS.embed.to)
      .flatMap((p) => p.codes.map((code) => codeAt('subclass', code) as string)));
    const newInScoreWindow = Object.entries(truth.firstCooccurrence.subclass)
      .filter(([pair, year]) => year >= WINDOWS.score.from && year <= WINDOWS.score.to && pair.split('|').every((code) => inEmbed.has(code))).length;
    expect(newInScoreWindow).toBeGreaterThan(20);
    expect(report.balance.positives).toBe(newInScoreWindow);
    expect(random.top.length).toBe(report.counts.candidates);
    expect(random.top.filter((p) => p.cameTrue).length).toBe(newInScoreWindow);
  });
});
