import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { patentsOfCodes } from '../../clients/forecast-client';
import type { PredictedPair } from '../../core/forecast/forecast';
import type { CodeLevel } from '../../core/types';
import type { CodePatent } from '../../clients/engine-types';
import { errorMessage } from '../shared/task-controller';
import { baseStyles, tableStyles } from '../theme/styles';
import '../shared/ps-notice';

/** Patents listed per code; the engine returns at most 500. */
const SHOWN_PATENTS = 100;
const ENGINE_LIMIT = 500;

type PairState =
  | { kind: 'loading' }
  | { kind: 'done'; patents: Record<string, CodePatent[]> }
  | { kind: 'error'; message: string };

/**
 * A predicted pair's evidence: the patents that already combine both codes, and each code's
 * patents (by year), read when the pair changes.
 */
export class PsPairPatents extends LitElement {
  static override properties = {
    pair: { attribute: false }, datasetId: { attribute: false }, level: { attribute: false }, titles: { attribute: false }, state: { state: true },
  };
  declare pair: PredictedPair | null;
  declare datasetId: string;
  declare level: CodeLevel;
  declare titles: Record<string, string>;
  declare state: PairState;

  constructor() {
    super();
    this.pair = null;
    this.datasetId = '';
    this.level = 'subclass';
    this.titles = {};
    this.state = { kind: 'loading' };
  }

  static override styles = [baseStyles, tableStyles, css`
    :host { display: block; }
    .codes { display: flex; gap: var(--ps-space-6); flex-wrap: wrap; }
    .codes > div { flex: 1; min-width: 18rem; }
  `];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pair') && this.pair) void this.load(this.pair);
  }

  private async load(pair: PredictedPair): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      const patents = await patentsOfCodes(this.datasetId, this.level, [...pair.codes]);
      if (this.pair === pair) this.state = { kind: 'done', patents };
    } catch (error) {
      if (this.pair === pair) this.state = { kind: 'error', message: errorMessage(error) };
    }
  }

  override render() {
    const pair = this.pair;
    if (!pair) return nothing;
    const [a, b] = pair.codes;
    const state = this.state;
    if (state.kind === 'loading') return html`<section id="fc-pair-patents" data-state="loading"><p class="muted">Reading the patents of ${a} and ${b}…</p></section>`;
    if (state.kind === 'error') {
      return html`<section id="fc-pair-patents" data-state="error"><ps-notice kind="error" next="Click the pair again to retry.">${state.message}</ps-notice></section>`;
    }
    const ids = new Set(state.patents[a]?.map((p) => p.id));
    const both = (state.patents[b] ?? []).filter((p) => ids.has(p.id));
    const title = (code: string) => this.titles[code] ?? '';
    return html`
      <section id="fc-pair-patents" data-state="done" aria-label="Patents of ${a} and ${b}">
        <h3>Patents of ${a} and ${b}</h3>
        ${both.length > 0 ? html`<p>Combined on ${both.length} patents: ${both.map((p) => `${p.id} (${p.year})`).join(', ')}</p>` : html`<p class="muted">No patent carries both codes.</p>`}
        <div class="codes">
          ${pair.codes.map((code) => {
            const patents = state.patents[code] ?? [];
            return html`<div data-code=${code}>
              <h4>${code}${title(code) ? ` — ${title(code)}` : ''} (${patents.length}${patents.length >= ENGINE_LIMIT ? '+' : ''} patents)</h4>
              <table aria-label="Patents with ${code}">
                <thead><tr><th>Patent</th><th>Title</th><th class="num">Year</th></tr></thead>
                <tbody>${patents.slice(0, SHOWN_PATENTS).map((p) => html`<tr><td>${p.id}</td><td>${p.title}</td><td class="num">${p.year}</td></tr>`)}</tbody>
              </table>
              ${patents.length > SHOWN_PATENTS ? html`<p class="muted">The first ${SHOWN_PATENTS} by year.</p>` : nothing}
            </div>`;
          })}
        </div>
      </section>`;
  }
}

customElements.define('ps-pair-patents', PsPairPatents);
declare global {
  interface HTMLElementTagNameMap { 'ps-pair-patents': PsPairPatents }
}
