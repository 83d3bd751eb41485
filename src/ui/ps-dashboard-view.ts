import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import {
  dashboardJobs, openDashboard, savedThresholds, setThresholds,
  type DashboardSummary, type MatchJobRecord, type SelectionInput, type Thresholds,
} from '../clients/dashboard-client';
import { demoDashboardSettings, runJob } from '../clients/match-job-client';
import { DEMO_DATASET_NAME } from '../clients/pipeline';
import { loadSelection } from '../clients/selection-client';
import { AppStateConsumer } from './shared/app-state-consumer';
import { errorMessage, TaskController } from './shared/task-controller';
import { taskError, taskProgress } from './shared/task-view';
import { ViewStateController } from './shared/view-state-controller';
import type { ViewState } from '../core/url/view-state';
import { viewStyles } from './theme/styles';
import './shared/ps-notice';
import './dashboard/ps-pollutants-panel';
import './dashboard/ps-bref-panel';
import './dashboard/ps-sdg-panel';
import './dashboard/ps-patent-detail';

type Tab = 'pollutants' | 'bref' | 'sdg';
const TABS: { id: Tab; label: string }[] = [
  { id: 'pollutants', label: 'Pollutants' },
  { id: 'bref', label: 'BREF explorer' },
  { id: 'sdg', label: 'SDGs' },
];

/**
 * The pollution dashboard: pollutants, the BREF tree and SDG impacts computed live from one of the
 * active dataset's matching jobs (its stored P(Yes) per patent × section), at two thresholds the
 * user sets (kept). The map's selection can restrict every list. A patent opens its detail.
 */
export class PsDashboardView extends LitElement {
  static override properties = {
    jobs: { state: true }, jobId: { state: true }, summary: { state: true }, thresholds: { state: true }, tab: { state: true },
    error: { state: true }, loading: { state: true }, mapSelection: { state: true }, useSelection: { state: true }, patentId: { state: true },
  };
  declare jobs: MatchJobRecord[];
  declare jobId: string;
  declare summary: DashboardSummary | null;
  declare thresholds: Thresholds | null;
  declare tab: Tab;
  declare error: string;
  declare loading: boolean;
  declare mapSelection: string[];
  declare useSelection: boolean;
  declare patentId: string;
  private readonly app = new AppStateConsumer(this, (next, previous) => { if (next.dataset?.id !== previous.dataset?.id) { this.demoJob.reset(); void this.init(); } });
  /** The demo's one-click job (both stages), with progress, ETA and Cancel. */
  private readonly demoJob = new TaskController<MatchJobRecord>(this);

  constructor() {
    super();
    Object.assign(this, { jobs: [], jobId: '', summary: null, thresholds: null, tab: 'pollutants', error: '', loading: false, mapSelection: [], useSelection: false, patentId: '' });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    [role='tablist'] { display: flex; gap: var(--ps-space-1); border-bottom: 1px solid var(--ps-border); margin: var(--ps-space-3) 0; }
    [role='tab'] { border: none; background: none; padding: var(--ps-space-2) var(--ps-space-3); border-bottom: 2px solid transparent; cursor: pointer; color: inherit; font: inherit; }
    [role='tab'][aria-selected='true'] { border-bottom-color: var(--ps-accent); font-weight: 600; }
    .layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--ps-space-3); }
    .layout.with-detail { grid-template-columns: minmax(0, 2fr) minmax(18rem, 1fr); }
    input[type='range'] { width: 10rem; }
    /* The job at a glance: large numbers, small labels. */
    .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: var(--ps-space-3); margin: var(--ps-space-3) 0 var(--ps-space-1); padding: 0; list-style: none; }
    .kpis li { background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: var(--ps-radius); padding: var(--ps-space-3) var(--ps-space-4); }
    .kpis strong { display: block; font-size: var(--ps-text-xl); font-variant-numeric: tabular-nums; letter-spacing: -0.01em; }
    .kpis span { font-size: var(--ps-text-xs); color: var(--ps-text-muted); text-transform: uppercase; letter-spacing: 0.04em; }
  `];

  /** Tab and open patent in the address; back/forward and links followed here show theirs. */
  private readonly url = new ViewStateController(this, 'dashboard', (state) => {
    this.patentId = state.patents[0] ?? '';
    this.tab = tabOf(state) ?? 'pollutants';
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  private get selection(): SelectionInput {
    return { ids: this.useSelection && this.mapSelection.length > 0 ? this.mapSelection : null };
  }

  private async init(): Promise<void> {
    const dataset = this.app.value.dataset;
    this.summary = null;
    this.patentId = '';
    if (!dataset) return;
    try {
      this.thresholds ??= await savedThresholds();
      this.jobs = await dashboardJobs(dataset.id);
      this.mapSelection = (await loadSelection(dataset.id)).patentIds;
      const first = this.jobs[0];
      if (first) await this.open(first.id);
      // Opened from the map with one patent (#/dashboard?patent=ID): show its detail.
      this.patentId = this.url.state.patents[0] ?? '';
      // A chat citation of a section, an SDG or a pollutant (#/dashboard?section=ID…) opens its tab; the panel opens the item.
      this.tab = tabOf(this.url.state) ?? this.tab;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async open(jobId: string): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset || !this.thresholds) return;
    this.jobId = jobId;
    this.loading = true;
    try {
      this.summary = await openDashboard(dataset.id, jobId, this.thresholds);
      this.error = '';
    } catch (error) {
      this.summary = null;
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  private async changeThreshold(key: keyof Thresholds, value: number): Promise<void> {
    if (!this.thresholds || !this.summary) return;
    this.thresholds = await setThresholds({ ...this.thresholds, [key]: value });
  }

  override render() {
    const dataset = this.app.value.dataset;
    if (!dataset) return html`<ps-notice kind="info" next="Import patent files first.">No dataset.<a slot="action" href="#/import">Import patents</a></ps-notice>`;
    if (this.error) return html`<ps-notice kind="error" id="dashboard-error" next="Open Match techniques to check the job, or run a new one.">${this.error}</ps-notice>`;
    if (this.jobs.length === 0) return this.renderEmpty(dataset.name);
    const t = this.thresholds;
    return html`
      <div class="row">
        <label>Job <select id="dashboard-job" @change=${(e: Event) => void this.open((e.target as HTMLSelectElement).value)}>
          ${this.jobs.map((j) => html`<option value=${j.id} ?selected=${j.id === this.jobId}>${new Date(j.createdAt).toLocaleString()} · ${j.settings.catalogueName} · ${j.pairs} pairs${j.status === 'done' ? '' : ' (not finished)'}</option>`)}
        </select></label>
        ${t ? html`
          <label>Relevance <input id="relevance" type="range" min="0" max="1" step="0.01" .value=${String(t.relevance)}
            @change=${(e: Event) => void this.changeThreshold('relevance', Number((e.target as HTMLInputElement).value))}>
            <output id="relevance-value">${t.relevance.toFixed(2)}</output></label>
          <label>Display <input id="display" type="range" min="0" max="1" step="0.01" .value=${String(t.display)}
            @change=${(e: Event) => void this.changeThreshold('display', Number((e.target as HTMLInputElement).value))}>
            <output id="display-value">${t.display.toFixed(2)}</output></label>` : nothing}
        ${this.mapSelection.length > 0 ? html`<label><input id="use-selection" type="checkbox" .checked=${this.useSelection}
          @change=${(e: Event) => (this.useSelection = (e.target as HTMLInputElement).checked)}> only the map's selection (${this.mapSelection.length} patents)</label>` : nothing}
      </div>
      ${this.renderSummary()}
      <div role="tablist" aria-label="Dashboard">
        ${TABS.map((tab) => html`<button role="tab" id=${`tab-${tab.id}`} aria-selected=${tab.id === this.tab ? 'true' : 'false'}
          @click=${() => this.showTab(tab.id)} @keydown=${(e: KeyboardEvent) => this.tabKey(e)}>${tab.label}</button>`)}
      </div>
      ${this.summary && t ? html`<div class="layout ${this.patentId ? 'with-detail' : ''}" @open-patent=${(e: CustomEvent<string>) => this.showPatent(e.detail)}>
        <div role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>${keyed(`${this.summary.job.id}:${this.summary.job.updatedAt}`, this.renderTab(t))}</div>
        ${this.patentId ? html`<ps-patent-detail .patentId=${this.patentId} .thresholds=${t} @close=${() => this.showPatent('')}></ps-patent-detail>` : nothing}
      </div>` : html`<p class="muted" id="dashboard-loading">Counting the job's matches…</p>`}
    `;
  }

  /**
   * No job yet. On the demo one click runs the whole match (its pollution patents are written for
   * real BREF sections); on the user's own data the settings are theirs to choose in Match techniques.
   */
  private renderEmpty(name: string) {
    const demo = name === DEMO_DATASET_NAME;
    const state = this.demoJob.state;
    if (state.kind === 'running') return html`<div id="dashboard-demo-job" data-state="running">${taskProgress(this.demoJob)}</div>`;
    return html`
      ${state.kind === 'error' ? taskError(state, { text: 'What was verified is kept: Resume the job in Match techniques, or run it again.' }, 'dashboard-demo-error') : nothing}
      <ps-notice kind="info" id="dashboard-empty" next=${demo
        ? `Match the demo: its patents against the EU BREF technique sections (TF-IDF shortlist of ${demoDashboardSettings().k} per patent, then the demo-trained Yes/No model), all in this browser.`
        : 'Run a job in Match techniques → Match the whole catalogue over the EU BREF catalogue; the dashboard counts its matches.'}>
        No matching job for “${name}” yet.
        ${demo ? html`<button slot="action" id="dashboard-run-demo" class="primary" @click=${() => void this.runDemoJob()}>Match the demo now</button>` : nothing}
        <a slot="action" href="#/match">Match techniques</a></ps-notice>`;
  }

  private async runDemoJob(): Promise<void> {
    const { dataset, modelRef, preferGpu, hubHost } = this.app.value;
    if (!dataset) return;
    await this.demoJob.run('Shortlisting BREF sections for every demo patent (stage 1)', (run) =>
      runJob(dataset, demoDashboardSettings(), { modelRef, hubHost, preferGpu, scope: 'techniques' }, run.signal, (step) => run.step(step), run.progress));
    // Done or cancelled, the stored job is there (a cancel keeps what was verified): show it.
    await this.init();
  }

  private renderSummary() {
    const s = this.summary;
    if (!s) return nothing;
    const kpis: [value: string, label: string][] = [
      [s.patents.toLocaleString('en'), 'patents matched'],
      [s.pairs.toLocaleString('en'), 'patent × section pairs'],
      [s.job.settings.verify ? 'Verified' : 'Prefilter only', 'relevance scores'],
      [(this.thresholds ?? s.thresholds).relevance.toFixed(2), 'relevance threshold'],
    ];
    return html`<ul class="kpis" aria-label="This job at a glance">${kpis.map(([value, label]) => html`<li><strong>${value}</strong><span>${label}</span></li>`)}</ul>
      <p id="dashboard-summary" data-patents=${s.patents} data-pairs=${s.pairs} class="muted">
      ${s.patents} patents, ${s.pairs} matched pairs of ${s.job.settings.catalogueName}${s.job.settings.verify ? '' : ' (prefilter scores only: the job was not verified)'}.
      ${s.skipped.count > 0 ? html`<br><span id="dashboard-skipped">${s.skipped.count} pairs are of sections outside the EU BREF catalogue (e.g. ${s.skipped.examples.join(', ')}) and are not counted.</span>` : nothing}
      ${s.hasSdg ? nothing : html`<br>The SDG impact table could not be read: the SDG lists are empty.`}</p>`;
  }

  private renderTab(thresholds: Thresholds) {
    const common = { thresholds, selection: this.selection };
    switch (this.tab) {
      case 'pollutants': return html`<ps-pollutants-panel .thresholds=${common.thresholds} .selection=${common.selection}></ps-pollutants-panel>`;
      case 'bref': return html`<ps-bref-panel .thresholds=${common.thresholds} .selection=${common.selection}></ps-bref-panel>`;
      case 'sdg': return html`<ps-sdg-panel .thresholds=${common.thresholds} .selection=${common.selection}></ps-sdg-panel>`;
    }
  }

  private showTab(tab: Tab): void {
    this.tab = tab;
    this.url.push({ tab });
  }

  private showPatent(patentId: string): void {
    this.patentId = patentId;
    this.url.push({ patents: patentId ? [patentId] : [] });
  }

  /** Arrow keys move between tabs (the WAI-ARIA tabs pattern). */
  private tabKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === this.tab);
    const next = TABS[(i + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    this.showTab(next.id);
    void this.updateComplete.then(() => (this.renderRoot.querySelector(`#tab-${next.id}`) as HTMLElement | null)?.focus());
  }
}

/** The tab the address names, or the one its item implies (a chat citation names the item only). */
function tabOf(state: ViewState): Tab | null {
  const named = TABS.find((t) => t.id === state.tab)?.id;
  return named ?? (state.section ? 'bref' : state.sdg !== null ? 'sdg' : state.pollutant !== null ? 'pollutants' : null);
}

customElements.define('ps-dashboard-view', PsDashboardView);
declare global {
  interface HTMLElementTagNameMap { 'ps-dashboard-view': PsDashboardView }
}
