/**
 * The forecast's user-facing settings: which methods exist and how many top pairs a report keeps.
 * Shared by the Forecast view and the forecast engine (src/engines/forecast-engine.ts).
 */

/**
 * The forecast's own methods (the graph baselines aside). mean-of-patents and techtoken build
 * code vectors with the model; text-tfidf builds them from the patents' words with no model; the
 * hybrid is a logistic model over the chosen methods' cosines and the graph scores, fitted on a
 * backtest inside the data (src/core/forecast/hybrid.ts).
 */
export type ForecastMethod = 'mean-of-patents' | 'techtoken' | 'text-tfidf' | 'hybrid';

export const FORECAST_METHODS: readonly ForecastMethod[] = ['mean-of-patents', 'techtoken', 'text-tfidf', 'hybrid'];

/** The methods that need the model (and the patents' stored vectors). */
export const MODEL_METHODS: readonly ForecastMethod[] = ['mean-of-patents', 'techtoken'];

export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  'mean-of-patents': 'Mean of patents',
  techtoken: 'TechToken code tokens (when the model has them)',
  'text-tfidf': 'Text TF-IDF (words of titles and abstracts, no model)',
  hybrid: 'Hybrid (the chosen methods’ cosines and the graph scores, fitted on earlier years)',
};

export function needsModel(methods: readonly ForecastMethod[]): boolean {
  return methods.some((m) => MODEL_METHODS.includes(m));
}

/** Top predicted pairs kept per method in a report. */
export const FORECAST_TOP_N = 50;
