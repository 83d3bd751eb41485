import { LitElement, css, html, nothing } from 'lit';
import type { HybridReport, MethodReport, PredictedPair } from '../../core/forecast/forecast';
import { featureContributions } from '../../core/forecast/hybrid';
import { baseStyles, tableStyles } from '../theme/styles';
import { featureLabel, fittedYears, signed } from './hybrid-text';

/**
 * The features behind a predicted pair's hybrid rank: each feature's value, its standardised
 * value and the log-odds it adds (coefficient × standardised value), largest part first. The
 * report keeps features for the hybrid's top pairs, so a pair chosen under another method shows
 * them when the hybrid ranked it there too.
 */
export class PsPairFeatures extends LitElement {
  static override properties = { pair: { attribute: false }, hybrid: { attribute: false }, hybridMethod: { attribute: false } };
  declare pair: PredictedPair | null;
  declare hybrid: HybridReport | null;
  /** The hybrid's row of the report (its top pairs carry their features). */
  declare hybridMethod: MethodReport | null;

  constructor() {
    super();
    this.pair = null;
    this.hybrid = null;
    this.hybridMethod = null;
  }

  static override styles = [baseStyles, tableStyles, css`:host { display: block; }`];

  override render() {
    const { pair, hybrid, hybridMethod } = this;
    if (!pair || !hybrid || !hybridMethod) return nothing;
    const [a, b] = pair.codes;
    const ranked = pair.features ? pair : hybridMethod.top.find((p) => p.codes[0] === a && p.codes[1] === b);
    if (!ranked?.features) {
      return html`<section id="fc-pair-features" data-state="absent"><p class="muted">${a} + ${b} is not among the hybrid's top
        ${hybridMethod.top.length} pairs, whose features the report keeps.</p></section>`;
    }
    const parts = featureContributions(hybrid.coefficients, ranked.features).sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution));
    return html`
      <section id="fc-pair-features" data-state="done" aria-label="Features behind the hybrid's rank of ${a} and ${b}">
        <h3>Why the hybrid ranks ${a} + ${b} at ${ranked.rank}</h3>
        <p class="muted">Score ${signed(ranked.score)} = intercept ${signed(hybrid.intercept)} + the parts below; ${fittedYears(hybrid)}.</p>
        <table aria-label="Features of ${a} and ${b}, largest part first">
          <thead><tr><th>Feature</th><th class="num">Value</th><th class="num">Standardised</th><th class="num">Part of the score (log-odds)</th></tr></thead>
          <tbody>${parts.map((p) => html`<tr class="feature" data-feature=${p.feature} data-value=${String(p.value)} data-contribution=${String(p.contribution)}>
            <td>${featureLabel(p.feature)}</td>
            <td class="num">${p.value.toFixed(3)}</td>
            <td class="num">${signed(p.standardised, 2)}</td>
            <td class="num">${signed(p.contribution)}</td>
          </tr>`)}</tbody>
        </table>
      </section>`;
  }
}

customElements.define('ps-pair-features', PsPairFeatures);
declare global {
  interface HTMLElementTagNameMap { 'ps-pair-features': PsPairFeatures }
}
