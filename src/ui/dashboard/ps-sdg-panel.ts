import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import * as Plot from '@observablehq/plot';
import { sdgGoals, sdgReach, type GoalPollutants, type PatentLabel, type SdgReach, type SelectionInput, type Thresholds } from '../../clients/dashboard-client';
import type { ChartSpec } from '../charts/ps-chart';
import { downloadCsv, rounded } from '../download';
import { errorMessage } from '../shared/task-controller';
import { ViewStateController } from '../shared/view-state-controller';
import { viewStyles } from '../theme/styles';
import { openPatent } from './patent-list';
import '../charts/ps-chart';
import '../chat/ps-add-to-chat';

/**
 * The 17 SDGs with the pollutants that affect each, how many of the job's patents reach each goal
 * through the pollutants they abate, and the patents ranked by SDG reach (Σ impact over the goals
 * and the pollutants a patent abates at the relevance threshold).
 */
export class PsSdgPanel extends LitElement {
  static override properties = {
    thresholds: { attribute: false }, selection: { attribute: false }, goals: { state: true }, reach: { state: true }, error: { state: true }, asked: { state: true },
  };
  declare thresholds: Thresholds;
  declare selection: SelectionInput;
  declare goals: GoalPollutants[];
  declare reach: (SdgReach & { labels: PatentLabel[] }) | null;
  declare error: string;
  /** The goal a chat citation asked for (#/dashboard?sdg=N): its row is marked. */
  declare asked: number | null;

  /** The goal a link or a chat citation asks for (#/dashboard?sdg=N), followed on back/forward. */
  private readonly url = new ViewStateController(this, 'dashboard', (state) => (this.asked = state.sdg));

  constructor() {
    super();
    Object.assign(this, { goals: [], reach: null, error: '', selection: { ids: null }, asked: null });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    button.link { background: none; border: none; padding: 0; color: var(--ps-accent); cursor: pointer; font: inherit; text-decoration: underline; }
    td.pollutants { font-size: 0.85em; }
    tr[aria-current='true'] td { background: color-mix(in srgb, var(--ps-accent) 12%, transparent); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.asked = this.url.state.sdg;
    void sdgGoals().then((g) => { this.goals = g; }, (error: unknown) => { this.error = errorMessage(error); });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('thresholds') || changed.has('selection')) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.reach = await sdgReach(this.selection);
      this.error = '';
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private chartSpec(reach: SdgReach): ChartSpec {
    // Reach, not patent counts: in the bundled table every listed pollutant affects every goal, so
    // the counts are equal across goals and only the impact-weighted reach tells them apart.
    const data = this.goals.map((g, i) => ({ goal: `SDG ${g.goal.number}`, title: g.goal.title, reach: reach.goalReach[i] ?? 0, patents: reach.goalPatents[i] ?? 0 }));
    return (theme) => ({
      height: 260, marginLeft: 64, x: { label: null, domain: data.map((d) => d.goal), tickRotate: -45 }, y: { label: 'SDG reach (Σ impact)', grid: true },
      marks: [Plot.barY(data, { x: 'goal', y: 'reach', fill: theme.scheme === 'dark' ? '#8fd19e' : '#2e7d32', title: (d: { goal: string; title: string; reach: number; patents: number }) => `${d.goal} ${d.title}: reach ${Math.round(d.reach)} from ${d.patents} patents` }), Plot.ruleY([0])],
    });
  }

  override render() {
    if (this.error) return html`<ps-notice kind="error" id="sdg-error" next="Choose the job again.">${this.error}</ps-notice>`;
    if (this.goals.length === 0) return html`<ps-notice kind="info" id="sdg-none" next="The app ships reference/sdg-impacts.json; reload the page.">The SDG impact table is not loaded.</ps-notice>`;
    const reach = this.reach;
    return html`
      ${reach ? html`<p id="sdg-summary" data-patents=${reach.patents}>${reach.patents} patents reach at least one SDG through the pollutants they abate (relevance ≥ ${this.thresholds.relevance.toFixed(2)}).</p>
        <ps-chart id="sdg-chart" name="sdg-reach" label="SDG reach of the job's patents, per goal" .spec=${this.chartSpec(reach)}></ps-chart>` : nothing}
      <h3>Goals and the pollutants that affect them</h3>
      <table id="sdg-goals" aria-label="Goals and pollutants">
        <thead><tr><th>Goal</th><th class="num">Patents</th><th class="num">Reach</th><th>Pollutants (impact)</th><th>Chat</th></tr></thead>
        <tbody>${this.goals.map((g, i) => html`<tr data-goal=${g.goal.number} aria-current=${g.goal.number === this.asked ? 'true' : 'false'}>
          <td>SDG ${g.goal.number} ${g.goal.title}</td><td class="num">${reach?.goalPatents[i] ?? ''}</td><td class="num">${reach ? Math.round(reach.goalReach[i]) : ''}</td>
          <td class="pollutants">${g.pollutants.slice(0, 8).map((p) => `${p.pollutant.name} (${p.impact})`).join('; ')}${g.pollutants.length > 8 ? ` and ${g.pollutants.length - 8} more` : ''}</td>
          <td><ps-add-to-chat class="sdg-add-to-chat" .target=${{ kind: 'sdg', number: g.goal.number }}></ps-add-to-chat></td></tr>`)}</tbody>
      </table>
      <button id="sdg-goals-csv" @click=${() => this.exportGoals()}>CSV</button>
      ${reach && reach.top.length > 0 ? html`<h3>Patents by SDG reach</h3>
        <table id="sdg-patents" aria-label="Patents by SDG reach">
          <thead><tr><th class="num">#</th><th>Patent</th><th>Title</th><th class="num">Reach</th><th>Strongest goals</th></tr></thead>
          <tbody>${reach.top.map((p, i) => html`<tr data-patent=${p.patentId}>
            <td class="num">${i + 1}</td><td><button class="link open-patent" @click=${() => openPatent(this, p.patentId)}>${p.patentId}</button></td>
            <td>${reach.labels[i]?.title ?? ''}</td><td class="num">${Math.round(p.total)}</td><td>${strongest(this.goals, p.perGoal)}</td></tr>`)}</tbody>
        </table>
        <button id="sdg-patents-csv" @click=${() => this.exportPatents(reach)}>CSV</button>` : nothing}
    `;
  }

  private exportGoals(): void {
    downloadCsv('sdg-goals.csv', ['goal', 'title', 'patents', 'reach', 'pollutants'], this.goals.map((g, i) => [
      g.goal.number, g.goal.title, this.reach?.goalPatents[i] ?? null, this.reach ? rounded(this.reach.goalReach[i], 3) : null,
      g.pollutants.map((p) => `${p.pollutant.name} (${p.impact})`).join('; '),
    ]));
  }

  private exportPatents(reach: SdgReach & { labels: PatentLabel[] }): void {
    downloadCsv('sdg-reach.csv', ['rank', 'patent', 'title', 'total', ...this.goals.map((g) => `sdg_${g.goal.number}`)],
      reach.top.map((p, i) => [i + 1, p.patentId, reach.labels[i]?.title ?? '', rounded(p.total, 3), ...Array.from(p.perGoal, (v) => rounded(v, 3))]));
  }
}

function strongest(goals: GoalPollutants[], perGoal: Float64Array): string {
  return Array.from(perGoal, (v, i) => [v, i] as const).filter(([v]) => v > 0).sort((a, b) => b[0] - a[0]).slice(0, 3)
    .map(([v, i]) => `SDG ${goals[i]?.goal.number ?? i + 1} (${Math.round(v)})`).join(', ');
}

customElements.define('ps-sdg-panel', PsSdgPanel);
declare global {
  interface HTMLElementTagNameMap { 'ps-sdg-panel': PsSdgPanel }
}
