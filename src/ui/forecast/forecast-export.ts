/**
 * A forecast report as files: JSON (everything, with the settings: the hybrid's fit and the
 * paired differences included) and CSV (every method's top pairs with code titles, the method's
 * kind, the hybrid's fitted years and each hybrid pair's features). AUCs and intervals lie in
 * [0, 1] and keep six decimals as written; scores and features may be negative, so they go to the
 * CSV writer as numbers (it writes text cells inert).
 */
import type { ForecastOutcome } from '../../clients/engine-types';
import { downloadCsv, downloadJson, rounded } from '../download';
import { fittedYears } from './hybrid-text';

export const FORECAST_CSV_HEADER = ['method', 'auc', 'ci_low', 'ci_high', 'rank', 'code_1', 'title_1', 'code_2', 'title_2', 'score', 'came_true', 'observed', 'kind', 'fitted_on'];

export interface ForecastExport {
  outcome: ForecastOutcome;
  datasetName: string;
  titles: Record<string, string>;
  /** File name of the code titles used, or null. */
  titlesName: string | null;
}

function baseName(outcome: ForecastOutcome): string {
  const { report } = outcome;
  return `forecast-${report.level}-${report.windows.embed}-${report.windows.score}`;
}

export function exportForecastJson({ outcome, datasetName, titlesName }: ForecastExport): void {
  const { report, backend, modelId, skipped, hybridLeftOut } = outcome;
  // The open learning window (−∞) and NaN AUCs are written as null.
  downloadJson(`${baseName(outcome)}.json`, { dataset: datasetName, model: modelId, backend, skipped, hybridLeftOut, codeTitles: titlesName, report });
}

/** The header: the fixed columns, then one `feature:<name>` column per hybrid feature (empty on other methods' rows). */
export function forecastCsvHeader(outcome: ForecastOutcome): string[] {
  return [...FORECAST_CSV_HEADER, ...(outcome.report.hybrid?.coefficients ?? []).map((c) => `feature:${c.feature}`)];
}

export function exportForecastCsv({ outcome, titles }: ForecastExport): void {
  const title = (code: string) => titles[code] ?? '';
  const { hybrid } = outcome.report;
  const features = hybrid?.coefficients.map((c) => c.feature) ?? [];
  downloadCsv(`${baseName(outcome)}.csv`, forecastCsvHeader(outcome), outcome.report.methods.flatMap((m) => m.top.map((p) => [
    m.method, m.auc.toFixed(6), m.ci.low.toFixed(6), m.ci.high.toFixed(6), p.rank, p.codes[0], title(p.codes[0]),
    p.codes[1], title(p.codes[1]), rounded(p.score, 6), p.cameTrue ? 'yes' : 'no', p.observed,
    m.kind, m.kind === 'hybrid' && hybrid ? fittedYears(hybrid) : '',
    ...features.map((f) => (p.features?.[f] === undefined ? '' : rounded(p.features[f], 6))),
  ])));
}
