/**
 * A code's most likely future partners: codes it has never been combined with in any patent so
 * far, ranked by the forecasting method that did best on a backtest inside the same data.
 *
 * Backtest: the scaled default windows of the data's years (scaledDefaultWindows), so its scoring
 * window is the data's last w years; every method of the Forecast view competes there (mean-of-
 * patents when the model's vectors are stored, text-tfidf, the graph baselines, the hybrid when its
 * own backtest one window earlier can be fitted) and the highest AUC wins (random excluded).
 * Present: the same windows moved forward by w, so the embedding window is the data's last w years,
 * every patent counts as "so far", and the scoring window lies after the data. The winner scores
 * the present's candidates exactly as runForecast scores a forecast's (the hybrid is refitted on
 * the backtest's windows, as fitHybrid does for any forecast).
 * Too few years, or a backtest without a positive pair: resource allocation over the whole
 * co-occurrence graph, candidates among all codes of the data, with the reason stated.
 */
import { throwIfAborted } from '../abort';
import { codeAt } from '../codes';
import type { CodeLevel } from '../types';
import type { ProgressCallback } from '../progress';
import { baselineScores, BASELINES, type BaselineName } from './baselines';
import { candidateCosines, type CandidateCosineOptions, type CodeEmbedding } from './candidate-cosine';
import type { ForecastPatent } from './cooccurrence';
import { runForecast, type MethodReport } from './forecast';
import { applyHybrid, backtestWindows, fitHybrid } from './hybrid';
import type { BootstrapOptions } from './metrics';
import type { LabelRule } from './null-model';
import { pairFeatures, prepareStage, type ForecastStage } from './pair-features';
import { partnerTable, type PartnerBasis, type PartnerTable } from './partner-table';
import { TEXT_TFIDF, tfidfCodeVectors } from './text-tfidf';
import { formatRange, inRange, scaledDefaultWindows, type ForecastWindows, type YearRange } from './windows';

export const MEAN_OF_PATENTS = 'mean-of-patents';
export const FALLBACK_METHOD: BaselineName = 'resource-allocation';
/** The Forecast view's default label rule. */
export const PARTNER_LABELS: LabelRule = { mode: 'above-null' };
export const PARTNERS_PER_CODE = 10;

export interface PartnerInput<P extends ForecastPatent> {
  /** Every patent of the dataset. */
  patents: readonly P[];
  level: CodeLevel;
  /** Mean-of-patents code vectors of a window's patents (those with a code at the level); null when not all are stored. Absent: no model. */
  vectors?: (windowPatents: readonly P[], range: YearRange) => Promise<CodeEmbedding | null>;
  perCode?: number;
  bootstrap?: BootstrapOptions;
}

/** Backtest windows ending at `last`, and the present's: the same moved forward by the scoring window's length. */
export function partnerWindows(first: number, last: number): { backtest: ForecastWindows; present: ForecastWindows } {
  const backtest = scaledDefaultWindows(first, last);
  const shift = backtest.score.to - backtest.score.from + 1;
  const forward = (range: YearRange): YearRange => ({ from: range.from + shift, to: range.to + shift });
  return { backtest, present: { learn: forward(backtest.learn), embed: forward(backtest.embed), score: forward(backtest.score) } };
}

/** The backtest's winner: highest AUC, random excluded; equal AUCs keep the report's order. */
export function bestMethod(methods: readonly MethodReport[]): MethodReport | undefined {
  return methods.filter((m) => m.method !== 'random' && !Number.isNaN(m.auc)).sort((a, b) => b.auc - a.auc)[0];
}

/** `onProgress` follows the backtest's methods (the long part); `options.signal` stops it between steps. */
export async function forecastPartners<P extends ForecastPatent>(
  input: PartnerInput<P>, options: CandidateCosineOptions = {}, onProgress?: ProgressCallback,
): Promise<PartnerTable> {
  const { patents, level } = input;
  const perCode = input.perCode ?? PARTNERS_PER_CODE;
  const hasCode = (p: P) => p.codes.some((c) => codeAt(level, c) !== null);
  const dated = patents.filter(hasCode);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of dated) {
    first = Math.min(first, p.year);
    last = Math.max(last, p.year);
  }
  const levelName = level.replace('_', ' ');
  if (dated.length === 0) return fallback(input, { from: 0, to: -1 }, `no patent has a code at ${levelName} level`, [], perCode);
  const span = last - first + 1;
  if (span < 3) return fallback(input, { from: first, to: last }, `the data span ${span} year${span === 1 ? '' : 's'} (${formatRange({ from: first, to: last })}); a backtest needs at least three`, [], perCode);

  const { backtest, present } = partnerWindows(first, last);
  const earlier = backtestWindows(backtest);
  const within = (range: YearRange) => dated.filter((p) => inRange(p.year, range));
  const leftOut: PartnerBasis['leftOut'] = [];
  let mean: { present: CodeEmbedding; backtest: CodeEmbedding; earlier: CodeEmbedding | null } | null = null;
  if (input.vectors) {
    const now = await input.vectors(within(present.embed), present.embed);
    const then = now && (await input.vectors(within(backtest.embed), backtest.embed));
    if (now && then) {
      const earlierPatents = within(earlier.embed);
      mean = { present: now, backtest: then, earlier: earlierPatents.length ? await input.vectors(earlierPatents, earlier.embed) : null };
    } else leftOut.push({ method: MEAN_OF_PATENTS, reason: `not every patent of ${formatRange(now ? backtest.embed : present.embed)} has a stored vector` });
  }
  throwIfAborted(options.signal);
  const report = await runForecast({
    patents, level, windows: backtest, labels: PARTNER_LABELS, baselines: BASELINES, topN: 0, bootstrap: input.bootstrap,
    embeddings: mean ? { [MEAN_OF_PATENTS]: mean.backtest } : {},
    textTfidf: true,
    hybrid: { backtestEmbeddings: mean?.earlier ? { [MEAN_OF_PATENTS]: mean.earlier } : {} },
  }, options, onProgress);
  throwIfAborted(options.signal);
  if (report.hybridSkipped) leftOut.push({ method: 'hybrid', reason: report.hybridSkipped });
  const best = bestMethod(report.methods);
  const windowsText = [backtest.learn, backtest.embed, backtest.score].map(formatRange).join(', ');
  if (!best) {
    const why = `the backtest (windows ${windowsText}) has ${report.balance.positives} new combinations among ${report.counts.candidates} candidate pairs, too few to rank methods`;
    return fallback(input, { from: first, to: last }, why, leftOut, perCode);
  }

  const stage = prepareStage(patents, level, present, PARTNER_LABELS);
  const tfidf = (s: ForecastStage) => tfidfCodeVectors(patents.filter((p) => inRange(p.year, s.windows.embed)), level);
  let scores: Float32Array;
  let hybridYears: PartnerBasis['hybridYears'] = null;
  if (best.kind === 'baseline') {
    scores = baselineScores(stage.graph, stage.candidates, best.method as BaselineName, 1);
  } else if (best.kind === 'embedding') {
    const embedding = best.method === TEXT_TFIDF ? tfidf(stage) : (mean as NonNullable<typeof mean>).present;
    scores = (await candidateCosines(embedding, stage.indexed.codes, stage.candidates, options)).scores;
  } else {
    // The same features as the hybrid the backtest measured: its cosines, then the graph's.
    const cosines = (report.hybrid?.coefficients ?? []).map((c) => c.feature).filter((f) => f.startsWith('cosine:')).map((f) => f.slice('cosine:'.length));
    const vectorsAt = (s: ForecastStage, when: 'present' | 'backtest'): Record<string, CodeEmbedding> => Object.fromEntries(cosines.map((m) => [m, m === TEXT_TFIDF ? tfidf(s) : (mean as NonNullable<typeof mean>)[when]]));
    const fit = await fitHybrid({ patents, level, windows: present, labels: PARTNER_LABELS, backtestEmbeddings: (s) => vectorsAt(s, 'backtest') }, options);
    scores = applyHybrid(fit.model, await pairFeatures(stage, vectorsAt(stage, 'present'), options));
    hybridYears = fit.yearsRead;
  }
  const active = new Uint8Array(stage.indexed.codes.length);
  for (const i of stage.embedCodes) active[i] = 1;
  const basis: PartnerBasis = {
    method: best.method, kind: best.kind, auc: best.auc,
    backtest: report.windows,
    backtestPairs: { pairs: report.balance.pairs, positives: report.balance.positives },
    compared: [...report.methods].sort((a, b) => orderable(b.auc) - orderable(a.auc)).map((m) => ({ method: m.method, kind: m.kind, auc: m.auc })),
    codeYears: formatRange(present.embed), hybridYears, fallback: null, leftOut, candidates: stage.candidates.length,
  };
  return partnerTable(basis, stage.indexed.codes, active, stage.candidates, scores, perCode);
}

/** NaN (a class empty) sorts last. */
const orderable = (auc: number): number => (Number.isNaN(auc) ? Number.NEGATIVE_INFINITY : auc);

/** Resource allocation over every patent: candidates are all codes' never-combined pairs. */
function fallback<P extends ForecastPatent>(input: PartnerInput<P>, years: YearRange, why: string, leftOut: PartnerBasis['leftOut'], perCode: number): PartnerTable {
  // Learning window empty, embedding window = all years: the graph and the "so far" are every patent.
  const windows: ForecastWindows = { learn: { from: Number.NEGATIVE_INFINITY, to: years.from - 1 }, embed: years, score: { from: years.to + 1, to: years.to + 1 } };
  const stage = prepareStage(input.patents, input.level, windows, PARTNER_LABELS);
  const scores = baselineScores(stage.graph, stage.candidates, FALLBACK_METHOD, 1);
  const active = new Uint8Array(stage.indexed.codes.length);
  for (const i of stage.embedCodes) active[i] = 1;
  const basis: PartnerBasis = {
    method: FALLBACK_METHOD, kind: 'baseline', auc: null, backtest: null, backtestPairs: null, compared: [],
    codeYears: years.to < years.from ? 'no year' : formatRange(years), hybridYears: null, fallback: why, leftOut, candidates: stage.candidates.length,
  };
  return partnerTable(basis, stage.indexed.codes, active, stage.candidates, scores, perCode);
}
