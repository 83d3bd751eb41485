/**
 * A forecast report as files: JSON (everything, with the settings) and CSV (every method's top
 * pairs with code titles). AUCs and intervals lie in [0, 1] and keep six decimals as written;
 * scores may be negative, so they go to the CSV writer as numbers.
 */
import type { ForecastOutcome } from '../../clients/engine-types';
import { downloadCsv, downloadJson, rounded } from '../download';

export const FORECAST_CSV_HEADER = ['method', 'auc', 'ci_low', 'ci_high', 'rank', 'code_1', 'title_1', 'code_2', 'title_2', 'score', 'came_true', 'observed'];

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
  const { report, backend, modelId, skipped } = outcome;
  // The open learning window (−∞) and NaN AUCs are written as null.
  downloadJson(`${baseName(outcome)}.json`, { dataset: datasetName, model: modelId, backend, skipped, codeTitles: titlesName, report });
}

export function exportForecastCsv({ outcome, titles }: ForecastExport): void {
  const title = (code: string) => titles[code] ?? '';
  downloadCsv(`${baseName(outcome)}.csv`, FORECAST_CSV_HEADER, outcome.report.methods.flatMap((m) => m.top.map((p) => [
    m.method, m.auc.toFixed(6), m.ci.low.toFixed(6), m.ci.high.toFixed(6), p.rank, p.codes[0], title(p.codes[0]),
    p.codes[1], title(p.codes[1]), rounded(p.score, 6), p.cameTrue ? 'yes' : 'no', p.observed,
  ])));
}
