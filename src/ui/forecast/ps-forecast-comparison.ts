import { LitElement, css, html, nothing } from 'lit';
import type { ForecastReport, HybridReport } from '../../core/forecast/forecast';
import { baseStyles, tableStyles } from '../theme/styles';
import { featureLabel, fittedDetail, pairedLabel, signed } from './hybrid-text';
import '../shared/ps-notice';

/**
 * Does a method beat the graph? The paired AUC differences (hybrid − best baseline, best
 * embedding − best baseline) with their intervals, and the hybrid's model: the years it was
 * fitted on and its standardised coefficients, i.e. which signal carries the forecast. A hybrid
 * asked for but not fitted says why.
 */
export class PsForecastComparison extends LitElement {
  static override properties = { report: { attribute: false }, leftOut: { attribute: false } };
  declare report: ForecastReport | null;
  /** Methods that ran but are not features of the hybrid, and why. */
  declare leftOut: readonly { method: string; reason: string }[];

  constructor() {
    super();
    this.report = null;
    this.leftOut = [];
  }

  static override styles = [baseStyles, tableStyles, css`
    :host { display: block; }
    .bar { display: inline-block; height: 0.6rem; vertical-align: middle; border-radius: 2px; }
    .bar.positive { background: var(--ps-accent); }
    .bar.negative { background: var(--ps-text-muted); }
    td.bar-cell { width: 8rem; }
  `];

  override render() {
    const report = this.report;
    if (!report) return nothing;
    return html`${this.renderPaired(report)}${this.renderHybrid(report)}`;
  }

  private renderPaired(report: ForecastReport) {
    if (report.paired.length === 0) return nothing;
    const hybrid = report.hybrid;
    return html`
      <section id="fc-paired" aria-label="Paired AUC differences">
        <h3>Against the best baseline</h3>
        <table aria-label="Paired AUC differences on the same candidate pairs">
          <thead><tr><th>Comparison</th><th>Methods</th><th class="num">AUC difference</th><th>${Math.round((report.paired[0]?.level ?? 0.95) * 100)} % interval</th><th class="num">Share of replicates ≤ 0</th></tr></thead>
          <tbody>${report.paired.map((d) => {
            const isHybrid = hybrid !== undefined && report.methods.some((m) => m.method === d.a && m.kind === 'hybrid');
            return html`<tr class="paired" data-a=${d.a} data-b=${d.b} data-difference=${String(d.difference)} data-low=${String(d.low)} data-high=${String(d.high)}>
              <td>${pairedLabel(d, report.methods)}</td>
              <td>${d.a} − ${d.b}${isHybrid && hybrid ? html`<br><span class="muted fitted">hybrid ${fittedDetail(hybrid)}</span>` : nothing}</td>
              <td class="num">${signed(d.difference)}</td>
              <td>${signed(d.low)} to ${signed(d.high)}${d.low > 0 ? ' (above 0)' : d.high < 0 ? ' (below 0)' : ' (includes 0)'}</td>
              <td class="num">${Number.isFinite(d.shareNotAbove) ? d.shareNotAbove.toFixed(3) : 'n/a'}</td>
            </tr>`;
          })}</tbody>
        </table>
        <p class="muted">Both methods are scored on the same candidate pairs; the interval is a bootstrap of the difference
          (${report.paired[0]?.replicates ?? 0} replicates) that resamples ${report.paired[0]?.resample === 'pairs' ? 'pairs' : 'codes, since pairs that share a code move together'}.</p>
      </section>`;
  }

  private renderHybrid(report: ForecastReport) {
    if (report.hybridSkipped) {
      return html`<ps-notice kind="warning" id="fc-hybrid-skipped" next="Choose later windows, or a label rule that more pairs meet, for a hybrid.">
        The hybrid was not fitted: ${report.hybridSkipped}. The other methods ran as usual.</ps-notice>`;
    }
    const hybrid = report.hybrid;
    if (!hybrid) return nothing;
    return html`
      <section id="fc-hybrid" aria-label="The hybrid's model">
        <h3>The hybrid's model</h3>
        <p id="fc-hybrid-fitted" data-first=${hybrid.yearsRead.first} data-last=${hybrid.yearsRead.last}>
          A logistic model over the pairs' features, ${fittedDetail(hybrid)}, applied unchanged to the windows above:
          it never read a year of the scoring window ${report.windows.score}.</p>
        ${hybrid.converged ? nothing : html`<ps-notice kind="warning" id="fc-hybrid-unconverged">The fit stopped after ${hybrid.iterations} steps without converging: read its coefficients with care.</ps-notice>`}
        ${this.leftOut.length > 0 ? html`<p class="muted" id="fc-hybrid-left-out">Not a feature of the hybrid: ${this.leftOut.map((l) => `${l.method} (${l.reason})`).join('; ')}.</p>` : nothing}
        ${this.coefficients(hybrid)}
      </section>`;
  }

  private coefficients(hybrid: HybridReport) {
    const ranked = [...hybrid.coefficients].sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
    const largest = Math.max(1e-12, ...ranked.map((c) => Math.abs(c.coefficient)));
    const strongest = ranked[0];
    return html`
      ${strongest ? html`<p>Strongest signal: <b>${featureLabel(strongest.feature)}</b>, ${signed(strongest.coefficient)} log-odds per standard deviation.</p>` : nothing}
      <table id="fc-coefficients" aria-label="Standardised coefficients of the hybrid, largest first">
        <thead><tr><th>Feature</th><th class="num">Coefficient (log-odds per sd)</th><th></th><th class="num">Backtest mean</th><th class="num">Backtest sd</th></tr></thead>
        <tbody>${ranked.map((c) => html`<tr class="coefficient" data-feature=${c.feature} data-coefficient=${String(c.coefficient)}>
          <td>${featureLabel(c.feature)}</td>
          <td class="num">${signed(c.coefficient)}</td>
          <td class="bar-cell"><span class="bar ${c.coefficient < 0 ? 'negative' : 'positive'}" style="width: ${(100 * Math.abs(c.coefficient) / largest).toFixed(1)}%"></span></td>
          <td class="num">${c.mean.toFixed(3)}</td>
          <td class="num">${c.sd.toFixed(3)}</td>
        </tr>`)}</tbody>
      </table>
      <p class="muted">Features are standardised on the backtest's pairs, so coefficients compare; nearly collinear features
        (common neighbours, Adamic–Adar, resource allocation) can share or swap weight. Intercept ${signed(hybrid.intercept)}.</p>`;
  }
}

customElements.define('ps-forecast-comparison', PsForecastComparison);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-comparison': PsForecastComparison }
}
