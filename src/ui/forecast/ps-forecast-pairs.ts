import { LitElement, css, html } from 'lit';
import type { ForecastTarget } from '../../clients/chat-grounding-client';
import type { MethodReport, PredictedPair } from '../../core/forecast/forecast';
import { formatAuc } from '../ps-roc-plot';
import { baseStyles, controlStyles, tableStyles } from '../theme/styles';
import '../chat/ps-add-to-chat';

/**
 * The top predicted new pairs of one method, with code titles; the rank's button (or a click on
 * the row) opens a pair, and each pair can be added to the chat.
 * @fires method-select - detail: the method chosen in the heading
 * @fires pair-select - detail: the PredictedPair
 */
export class PsForecastPairs extends LitElement {
  static override properties = {
    method: { attribute: false }, methods: { attribute: false }, selected: { attribute: false }, titles: { attribute: false }, note: { attribute: false },
  };
  declare method: MethodReport | null;
  /** Every method of the report, for the heading's select. */
  declare methods: string[];
  declare selected: PredictedPair | null;
  declare titles: Record<string, string>;
  /** Said of the method above the table (the hybrid's "fitted on years A–B"); '' for none. */
  declare note: string;

  constructor() {
    super();
    this.method = null;
    this.methods = [];
    this.selected = null;
    this.titles = {};
    this.note = '';
  }

  static override styles = [baseStyles, controlStyles, tableStyles, css`
    :host { display: block; }
    tr.true td.came { color: var(--ps-success); font-weight: 600; }
  `];

  private fire<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const method = this.method;
    if (!method) return html``;
    const title = (code: string) => this.titles[code] ?? '';
    const target = (p: PredictedPair): ForecastTarget => ({ kind: 'forecast', a: p.codes[0], b: p.codes[1], score: p.score, titles: [this.titles[p.codes[0]] ?? null, this.titles[p.codes[1]] ?? null] });
    // The rank's button opens the pair by its click bubbling to the row, which also takes a pointer's
    // click anywhere; "Add to chat" sits in that row, so its clicks stay its own.
    const keep = (e: Event) => e.stopPropagation();
    return html`
      <h3>Top predicted new pairs by
        <select id="fc-method" aria-label="Method of the table" @change=${(e: Event) => this.fire('method-select', (e.target as HTMLSelectElement).value)}>
          ${this.methods.map((m) => html`<option value=${m} ?selected=${m === method.method}>${m}</option>`)}
        </select></h3>
      <p class="muted">${this.note ? html`<span id="fc-pairs-note">${method.method} ${this.note}</span> · ` : ''}${formatAuc(method)} · ${method.precisionAtK.map((p) => `P@${p.k} ${p.precision.toFixed(3)}`).join(' · ')}${method.missingPairs ? ` · ${method.missingPairs} candidates without a vector (scored 0)` : ''}.
        Open a pair by its rank, or click its row, for its patents${method.kind === 'hybrid' ? ' and the features behind its rank' : ''}.</p>
      <table id="fc-pairs" aria-label="Top predicted new pairs by ${method.method}">
        <thead><tr><th class="num">Rank</th><th>Code</th><th>Code</th><th class="num">Score</th><th>Came true?</th><th>Chat</th></tr></thead>
        <tbody>${method.top.map((p) => html`
          <tr class="pair pick ${p.cameTrue ? 'true' : ''}" data-rank=${p.rank} aria-current=${this.selected === p ? 'true' : 'false'}
            @click=${() => this.fire('pair-select', p)}>
            <td class="num"><button class="row-button pair-open" aria-pressed=${this.selected === p ? 'true' : 'false'}
              aria-label="Open pair ${p.rank}: ${p.codes[0]} + ${p.codes[1]}">${p.rank}</button></td>
            ${p.codes.map((code) => html`<td><b>${code}</b>${title(code) ? html`<br><span class="muted">${title(code)}</span>` : ''}</td>`)}
            <td class="num">${p.score.toFixed(4)}</td>
            <td class="came">${p.cameTrue ? `yes (${p.observed}×)` : p.observed > 0 ? `${p.observed}×, not above chance` : 'no'}</td>
            <td><ps-add-to-chat class="pair-add-to-chat" .target=${target(p)} @click=${keep}></ps-add-to-chat></td>
          </tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('ps-forecast-pairs', PsForecastPairs);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-pairs': PsForecastPairs }
}
