import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import * as Plot from '@observablehq/plot';
import {
  pollutantPage, pollutantRows, sdgGoals, type GoalPollutants, type PatentLabel, type PollutantDetail, type PollutantRow, type SelectionInput, type Thresholds,
} from '../../clients/dashboard-client';
import type { ChartSpec } from '../charts/ps-chart';
import { downloadCsv, downloadJson } from '../download';
import { errorMessage } from '../shared/task-controller';
import { ViewStateController } from '../shared/view-state-controller';
import { viewStyles } from '../theme/styles';
import { exportPatents, patentTable } from './patent-list';
import '../charts/ps-chart';
import '../chat/ps-add-to-chat';

/**
 * Pollutants ranked by the patents that abate them (a patent counts when one of its sections linked
 * to the pollutant is matched at the relevance threshold), with search; a pollutant opens its page:
 * its impact on the 17 SDGs, its BREF sections and its top patents.
 */
export class PsPollutantsPanel extends LitElement {
  static override properties = {
    thresholds: { attribute: false }, selection: { attribute: false }, query: { state: true }, rows: { state: true },
    chosen: { state: true }, page: { state: true }, goals: { state: true }, error: { state: true },
  };
  declare thresholds: Thresholds;
  declare selection: SelectionInput;
  declare query: string;
  declare rows: PollutantRow[];
  declare chosen: number | null;
  declare page: (PollutantDetail & { labels: PatentLabel[] }) | null;
  declare goals: GoalPollutants[];
  declare error: string;

  /** The chosen pollutant is in the address: a link opens it, back/forward walks the choices. */
  private readonly url = new ViewStateController(this, 'dashboard', (state) => (this.chosen = state.pollutant));

  constructor() {
    super();
    Object.assign(this, { query: '', rows: [], chosen: null, page: null, goals: [], error: '', selection: { ids: null } });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    tr[aria-current='true'] td { background: color-mix(in srgb, var(--ps-accent) 12%, transparent); }
    button.link { background: none; border: none; padding: 0; color: var(--ps-accent); cursor: pointer; font: inherit; text-decoration: underline; text-align: left; }
    ul.sections { max-height: 14rem; overflow: auto; }
    .split { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--ps-space-3); align-items: start; }
    .split.open { grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); }
    .ranking { max-height: 75vh; overflow: auto; }
    /* The count's share of the largest, so the ranking reads at a glance (the number stays the fact). */
    .bar { display: inline-block; height: 0.55rem; background: var(--ps-accent); border-radius: 2px; vertical-align: middle; margin-left: var(--ps-space-2); opacity: 0.8; }
    td.count { white-space: nowrap; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    // Opened from a link or a chat citation (#/dashboard?pollutant=INDEX): show that pollutant's page.
    this.chosen = this.url.state.pollutant;
    void sdgGoals().then((g) => { this.goals = g; }, () => { this.goals = []; });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('thresholds') || changed.has('selection') || changed.has('query')) void this.load();
    if (changed.has('chosen') || changed.has('thresholds') || changed.has('selection')) void this.loadPage();
  }

  private async load(): Promise<void> {
    try {
      this.rows = await pollutantRows(this.query, this.selection);
      this.error = '';
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private choose(index: number): void {
    this.chosen = index;
    this.url.push({ pollutant: index });
  }

  private async loadPage(): Promise<void> {
    if (this.chosen === null) { this.page = null; return; }
    try {
      this.page = await pollutantPage(this.chosen, this.selection);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** The pollutant's impact on each of the 17 goals (0 where the table has none). */
  private impactSpec(index: number): ChartSpec {
    const data = this.goals.map((g) => ({ goal: `SDG ${g.goal.number}`, title: g.goal.title, impact: g.pollutants.find((p) => p.pollutant.index === index)?.impact ?? 0 }));
    return (theme) => ({
      height: 240, marginLeft: 48, x: { label: null, domain: data.map((d) => d.goal), tickRotate: -45 }, y: { label: 'impact', grid: true },
      marks: [Plot.barY(data, { x: 'goal', y: 'impact', fill: theme.scheme === 'dark' ? '#7fb3ff' : '#1f5fbf', title: (d: { goal: string; title: string; impact: number }) => `${d.goal} ${d.title}: ${d.impact}` }), Plot.ruleY([0])],
    });
  }

  override render() {
    const matched = this.rows.filter((r) => r.patents > 0).length;
    const most = Math.max(1, ...this.rows.map((r) => r.patents));
    return html`
      ${this.error ? html`<ps-notice kind="error" id="pollutants-error" next="Choose the job again.">${this.error}</ps-notice>` : nothing}
      <div class="row">
        <label>Search <input id="pollutant-search" type="search" placeholder="e.g. mercury" .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}></label>
        <span class="muted" id="pollutants-count" data-rows=${this.rows.length} data-matched=${matched}>${matched} of ${this.rows.length} pollutants abated by at least one patent at relevance ≥ ${this.thresholds.relevance.toFixed(2)}</span>
        <button id="pollutants-csv" @click=${() => this.exportRows('csv')}>CSV</button>
        <button id="pollutants-json" @click=${() => this.exportRows('json')}>JSON</button>
      </div>
      <div class="split ${this.page ? 'open' : ''}"><div class="ranking">
      ${this.rows.length === 0 ? html`<ps-notice kind="info" id="pollutants-none" next="Try other words.">No pollutant name contains “${this.query}”.</ps-notice>` : html`
      <table id="pollutant-table" aria-label="Pollutants by patents abating them">
        <thead><tr><th class="num">#</th><th>Pollutant</th><th class="num">Patents</th><th class="num">BREF sections</th></tr></thead>
        <tbody>${this.rows.map((r, i) => html`<tr data-pollutant=${r.pollutant.index} data-patents=${r.patents} aria-current=${r.pollutant.index === this.chosen ? 'true' : 'false'}>
          <td class="num">${i + 1}</td><td><button class="link open-pollutant" @click=${() => this.choose(r.pollutant.index)}>${r.pollutant.name}</button></td>
          <td class="num count">${r.patents}<span class="bar" aria-hidden="true" style="width:${(r.patents / most) * 5}rem"></span></td><td class="num">${r.sections}</td></tr>`)}</tbody>
      </table>`}</div>
      ${this.page ? this.renderPage(this.page) : nothing}</div>
    `;
  }

  private renderPage(page: PollutantDetail & { labels: PatentLabel[] }) {
    const rows = page.top.map((t) => ({ patentId: t.patentId, section: t.section, score: t.score }));
    const name = page.pollutant.name;
    return html`<section id="pollutant-page" data-pollutant=${page.pollutant.index} data-patents=${page.patents} aria-label=${name}>
      <h3>${name}</h3>
      <ps-add-to-chat id="pollutant-add-to-chat" .target=${{ kind: 'pollutant', index: page.pollutant.index }}></ps-add-to-chat>
      <p>${page.patents} patents abate it at relevance ≥ ${this.thresholds.relevance.toFixed(2)}; ${page.shown} of them at display ≥ ${this.thresholds.display.toFixed(2)}.
        <a id="pollutant-on-map" href=${`#/map?pollutant=${page.pollutant.index}`}>Show them on the patent map</a></p>
      ${this.goals.length > 0 ? html`<h4>Impact on the Sustainable Development Goals</h4>
        ${this.goals.every((g) => !g.pollutants.some((p) => p.pollutant.index === page.pollutant.index))
          ? html`<p class="muted" id="pollutant-no-sdg">The SDG impact table has no figures for this pollutant.</p>`
          : html`<ps-chart id="pollutant-sdg-chart" name=${`sdg-impact-${slug(name)}`} label=${`Impact of ${name} on the 17 SDGs`} .spec=${this.impactSpec(page.pollutant.index)}></ps-chart>`}` : nothing}
      <h4>BREF sections linked to it (${page.sections.length})</h4>
      <ul class="sections">${page.sections.map((s) => html`<li><span class="muted">${s.id}</span> ${s.title}</li>`)}</ul>
      <h4>Top patents</h4>
      ${rows.length === 0 ? html`<p class="muted" id="pollutant-no-patents">No patent passes the display threshold for this pollutant.</p>` : html`
        ${patentTable(this, 'pollutant-patents', `Patents abating ${name}`, rows, page.labels)}
        <button id="pollutant-patents-csv" @click=${() => exportPatents(`patents-${slug(name)}.csv`, rows, page.labels)}>CSV</button>`}
    </section>`;
  }

  private exportRows(format: 'csv' | 'json'): void {
    const rows = this.rows.map((r, i) => ({ rank: i + 1, pollutant: r.pollutant.name, patents: r.patents, sections: r.sections }));
    if (format === 'json') downloadJson('pollutants.json', { thresholds: this.thresholds, query: this.query, rows });
    else downloadCsv('pollutants.csv', ['rank', 'pollutant', 'patents', 'sections'], rows.map((r) => [r.rank, r.pollutant, r.patents, r.sections]));
  }
}

function slug(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

customElements.define('ps-pollutants-panel', PsPollutantsPanel);
declare global {
  interface HTMLElementTagNameMap { 'ps-pollutants-panel': PsPollutantsPanel }
}
