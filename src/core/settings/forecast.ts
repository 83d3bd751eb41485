/**
 * The forecast's user-facing settings: which code-vector methods exist and how many top pairs a
 * report keeps. Shared by the Forecast view and the forecast engine (src/engines/forecast-engine.ts).
 */

/** How code vectors are built for a forecast (both from the embedding window's patents only). */
export type ForecastMethod = 'mean-of-patents' | 'techtoken';

export const FORECAST_METHODS: readonly ForecastMethod[] = ['mean-of-patents', 'techtoken'];

export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  'mean-of-patents': 'Mean of patents',
  techtoken: 'TechToken code tokens (when the model has them)',
};

/** Top predicted pairs kept per method in a report. */
export const FORECAST_TOP_N = 50;
