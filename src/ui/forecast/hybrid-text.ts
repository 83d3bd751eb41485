/**
 * The words the Forecast view uses for the hybrid and the paired comparison, in one place, so
 * "fitted on years A–B" reads the same wherever a hybrid forecast is shown (legend, table, model,
 * pair details, exports).
 */
import type { HybridReport, MethodReport } from '../../core/forecast/forecast';
import type { PairedDifference } from '../../core/forecast/paired-bootstrap';

export const KIND_LABELS: Record<MethodReport['kind'], string> = { embedding: 'embedding', baseline: 'baseline', hybrid: 'hybrid' };

/** "fitted on years 1980–2015": the first and last year of the patents the fit read. */
export function fittedYears(hybrid: Pick<HybridReport, 'yearsRead'>): string {
  return `fitted on years ${hybrid.yearsRead.first}–${hybrid.yearsRead.last}`;
}

/** The fitted years with the backtest's windows and what it was fitted on. */
export function fittedDetail(hybrid: HybridReport): string {
  const w = hybrid.windows;
  return `${fittedYears(hybrid)} (backtest: learn ${w.learn}, embed ${w.embed}, score ${w.score}; ${hybrid.positives} of ${hybrid.pairs} pairs came true there)`;
}

/** A feature's name as the model's table shows it. */
export function featureLabel(feature: string): string {
  if (feature.startsWith('cosine:')) return `cosine of ${feature.slice('cosine:'.length)} vectors`;
  if (feature === 'log-degree-min') return 'log degree, smaller of the two codes';
  if (feature === 'log-degree-max') return 'log degree, larger of the two codes';
  return `${feature} (log 1 + x)`;
}

/** +0.027 / −0.113: a difference or a coefficient with its sign. */
export function signed(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)}`;
}

/** "Hybrid − best baseline" or "Best embedding − best baseline", from the kinds of the two methods. */
export function pairedLabel(difference: Pick<PairedDifference, 'a'>, methods: readonly Pick<MethodReport, 'method' | 'kind'>[]): string {
  const kind = methods.find((m) => m.method === difference.a)?.kind;
  return `${kind === 'hybrid' ? 'Hybrid' : 'Best embedding'} − best baseline`;
}
