import type { CodeLevel } from '../types';
import type { CandidateCosineOptions, CodeEmbedding } from './candidate-cosine';
import type { ForecastPatent } from './cooccurrence';
import { fitLogistic, logisticScores, type LogisticModel, type LogisticOptions } from './logistic';
import type { LabelRule } from './null-model';
import { pairFeatures, prepareStage, type ForecastStage, type PairFeatures } from './pair-features';
import { formatRange, type ForecastWindows } from './windows';

/**
 * The hybrid forecaster: a logistic model over per-pair features (embedding cosines and graph
 * scores), fitted on a backtest inside the same data and applied unchanged to the forecast.
 *
 * Backtest: the three windows shifted back by the scoring window's length L, so the backtest's
 * scoring window ends where the forecast's scoring window starts minus one year at the latest.
 * The fit is given only the patents up to the end of the backtest's scoring window: it cannot
 * read a scoring year however its stages are written, and the report states the years it read.
 */
export function backtestWindows(windows: ForecastWindows): ForecastWindows {
  const shift = windows.score.to - windows.score.from + 1;
  const back = (range: { from: number; to: number }) => ({ from: range.from - shift, to: range.to - shift });
  return { learn: back(windows.learn), embed: back(windows.embed), score: back(windows.score) };
}

/**
 * The backtest cannot give a fit (windows before the data start, no positive pair): the hybrid is
 * left out and the rest of the forecast still runs (runForecast reports the message as the reason).
 */
export class HybridUnavailableError extends Error {
  override name = 'HybridUnavailableError';
}

export interface HybridFit {
  model: LogisticModel;
  windows: { learn: string; embed: string; score: string };
  /** First and last year of the patents the fit read. */
  yearsRead: { first: number; last: number };
  pairs: number;
  positives: number;
  /** Embedding methods of the forecast left out of the hybrid (no backtest vectors for them). */
  excluded: string[];
}

export interface HybridInput {
  patents: readonly ForecastPatent[];
  level: CodeLevel;
  windows: ForecastWindows;
  labels: LabelRule;
  /** Code vectors from the backtest's embedding window, by method; only these methods' cosines are features. */
  backtestEmbeddings: (stage: ForecastStage) => Readonly<Record<string, CodeEmbedding>>;
  logistic?: LogisticOptions;
}

export async function fitHybrid(input: HybridInput, options: CandidateCosineOptions = {}): Promise<HybridFit> {
  const windows = backtestWindows(input.windows);
  const visible = input.patents.filter((p) => p.year <= windows.score.to);
  const stage = prepareStage(visible, input.level, windows, input.labels);
  if (stage.candidates.length === 0) throw new HybridUnavailableError(`the hybrid's backtest (windows ${describe(windows)}) has no candidate pairs: the data start too late for it`);
  const features = await pairFeatures(stage, input.backtestEmbeddings(stage), options);
  const { labels } = stage.labelled;
  let positives = 0;
  for (const y of labels) positives += y;
  if (positives === 0) throw new HybridUnavailableError(`the hybrid's backtest (windows ${describe(windows)}) has no positive pairs to fit on`);
  const model = fitLogistic(features.names, features.columns, labels, input.logistic);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const year of stage.indexed.years) {
    first = Math.min(first, year);
    last = Math.max(last, year);
  }
  return {
    model,
    windows: { learn: formatRange(windows.learn), embed: formatRange(windows.embed), score: formatRange(windows.score) },
    yearsRead: { first, last },
    pairs: labels.length,
    positives,
    excluded: [],
  };
}

/** The fitted model's scores on the forecast's features, in the model's feature order. */
export function applyHybrid(model: LogisticModel, features: PairFeatures): Float32Array {
  const columns = model.features.map((name) => {
    const index = features.names.indexOf(name);
    if (index < 0) throw new Error(`the forecast lacks the hybrid's feature ${name}`);
    return features.columns[index];
  });
  return logisticScores(model, columns);
}

/** One feature's part in a pair's hybrid score. */
export interface FeatureContribution {
  feature: string;
  /** As the model read it (graph scores as log(1 + x)). */
  value: number;
  /** (value − mean) / sd over the backtest's pairs; 0 for a feature that was constant there. */
  standardised: number;
  /** coefficient × standardised: the log-odds this feature adds to the pair's score. */
  contribution: number;
}

/**
 * Why a pair ranks where it does under the hybrid: each feature's term of the linear predictor,
 * as logisticScores sums them (the pair's score is the intercept plus these contributions).
 */
export function featureContributions(
  coefficients: readonly { feature: string; coefficient: number; mean: number; sd: number }[],
  features: Readonly<Record<string, number>>,
): FeatureContribution[] {
  return coefficients.map(({ feature, coefficient, mean, sd }) => {
    const value = features[feature] ?? Number.NaN;
    const standardised = sd > 0 ? (value - mean) / sd : 0;
    return { feature, value, standardised, contribution: coefficient * standardised };
  });
}

function describe(windows: ForecastWindows): string {
  return [windows.learn, windows.embed, windows.score].map(formatRange).join(', ');
}
