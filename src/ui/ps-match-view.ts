import { LitElement, css, html, nothing } from 'lit';
import { BUNDLED_YES_NO_REF, loadMatcher, loadTechniqueCatalogue, scoreTechnique } from '../clients/match-client';
import { countAbove, matchRows, rankByProbability, type MatchRow } from '../clients/match-rows';
import { datasetStore } from '../clients/store-client';
import type { MatcherInfo, Technique, TechniqueScores } from '../clients/engine-types';
import type { ModelDtype } from '../ml/model-ref';
import { downloadCsv, downloadJson } from './download';
import { AppStateConsumer } from './shared/app-state-consumer';
import { errorMessage, TaskController } from './shared/task-controller';
import { taskError, taskProgress } from './shared/task-view';
import { viewStyles } from './theme/styles';
import './shared/ps-notice';
import './match/ps-bref-picker';
import './match/ps-match-job';
import type { TechniqueChange } from './match/ps-bref-picker';

/** Where the technique comes from: a section of the bundled EU BREF catalogue, or the demo catalogue. */
type TechniqueSource = 'bref' | 'demo';
/** The technique select's value for "a BREF section, chosen below". */
const BREF_OPTION = 'bref';

const THRESHOLD_SETTING_KEY = 'yesNoThreshold';
const DEFAULT_THRESHOLD = 0.5;
const SHOWN_ROWS = 100;

interface MatchResult {
  scores: TechniqueScores;
  matcher: MatcherInfo;
  /** Patent positions by P(Yes), highest first. */
  order: Int32Array;
  /** The first SHOWN_ROWS of `order`, with titles. */
  top: MatchRow[];
}

/**
 * Matches the active dataset's patents to one pollution-abatement technique with a Yes/No model:
 * P(Yes) per patent, a threshold kept in settings, the patents ranked, CSV/JSON export.
 */
export class PsMatchView extends LitElement {
  static override properties = {
    techniques: { state: true }, techniqueId: { state: true }, threshold: { state: true }, dtype: { state: true }, catalogueError: { state: true },
    source: { state: true }, brefTechnique: { state: true }, brefFailed: { state: true },
  };
  declare source: TechniqueSource;
  declare brefTechnique: Technique | null;
  declare brefFailed: boolean;
  declare techniques: Technique[];
  declare techniqueId: string;
  declare threshold: number;
  declare dtype: ModelDtype;
  declare catalogueError: string;
  private readonly app = new AppStateConsumer(this, (next, previous) => { if (next.dataset?.id !== previous.dataset?.id) this.task.reset(); });
  private readonly task = new TaskController<MatchResult>(this);

  constructor() {
    super();
    this.techniques = [];
    this.techniqueId = '';
    this.threshold = DEFAULT_THRESHOLD;
    this.dtype = 'q4';
    this.catalogueError = '';
    this.source = 'bref';
    this.brefTechnique = null;
    this.brefFailed = false;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    tr.above td { background: color-mix(in srgb, var(--ps-success) 14%, transparent); }
    .technique { max-width: 60rem; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  private async init(): Promise<void> {
    try {
      this.threshold = (await (await datasetStore()).getSetting<number>(THRESHOLD_SETTING_KEY)) ?? DEFAULT_THRESHOLD;
      this.techniques = await loadTechniqueCatalogue();
      this.techniqueId ||= this.techniques[0]?.id ?? '';
    } catch (error) {
      this.catalogueError = errorMessage(error);
    }
  }

  private get technique(): Technique | undefined {
    if (this.source === 'bref') return this.brefTechnique ?? undefined;
    return this.techniques.find((t) => t.id === this.techniqueId);
  }

  private chooseTechnique(value: string): void {
    if (value === BREF_OPTION) this.source = 'bref';
    else {
      this.source = 'demo';
      this.techniqueId = value;
    }
    this.task.reset();
  }

  /** Without the BREF catalogue the demo techniques are the source, so Match still works. */
  private brefUnavailable(): void {
    this.brefFailed = true;
    if (this.source === 'bref') this.chooseTechnique(this.techniqueId || (this.techniques[0]?.id ?? BREF_OPTION));
  }

  private async run(): Promise<void> {
    const { dataset, preferGpu, hubHost } = this.app.value;
    const technique = this.technique;
    if (!dataset || !technique) return;
    await this.task.run('Loading the Yes/No model', async (run) => {
      const matcher = await loadMatcher(BUNDLED_YES_NO_REF, this.dtype, preferGpu, hubHost, run.signal, run.progress);
      run.step('Asking the Yes/No model');
      const scores = await scoreTechnique(dataset.id, technique, run.signal, run.progress);
      const order = rankByProbability(scores.probabilities);
      return { scores, matcher, order, top: await matchRows(dataset.id, scores, order, 0, SHOWN_ROWS) };
    });
  }

  private async setThreshold(value: number): Promise<void> {
    this.threshold = value;
    await (await datasetStore()).setSetting(THRESHOLD_SETTING_KEY, value);
  }

  override render() {
    if (!this.app.value.dataset) {
      return html`<ps-notice kind="info" next="Import patent files first.">No dataset.<a slot="action" href="#/import">Import patents</a></ps-notice>`;
    }
    const technique = this.technique;
    const bref = this.source === 'bref';
    return html`
      <div class="row">
        <label>Technique <select id="technique-select" @change=${(e: Event) => this.chooseTechnique((e.target as HTMLSelectElement).value)}>
          <option value=${BREF_OPTION} ?selected=${bref} ?disabled=${this.brefFailed}>EU BREF catalogue (choose a section below)</option>
          ${this.techniques.length ? html`<optgroup label="Demo techniques">
            ${this.techniques.map((t) => html`<option value=${t.id} ?selected=${!bref && t.id === this.techniqueId}>${t.id} — ${t.sectionTitle}</option>`)}
          </optgroup>` : nothing}
        </select></label>
        <label>Variant <select id="match-dtype" @change=${(e: Event) => (this.dtype = (e.target as HTMLSelectElement).value as ModelDtype)}>
          <option value="q4" ?selected=${this.dtype === 'q4'}>q4 (0.8 MB)</option>
          <option value="fp32" ?selected=${this.dtype === 'fp32'}>fp32 (4 MB)</option>
        </select></label>
        <label>Threshold <input id="threshold" type="range" min="0" max="1" step="0.01" .value=${String(this.threshold)}
          @input=${(e: Event) => void this.setThreshold(Number((e.target as HTMLInputElement).value))}>
          <output id="threshold-value">${this.threshold.toFixed(2)}</output></label>
        <button id="match-run" class="primary" ?disabled=${this.task.running || !technique} @click=${() => void this.run()}>Match patents</button>
      </div>
      ${this.catalogueError ? html`<ps-notice kind="error" id="demo-techniques-error" next="Reload the page; the demo catalogue ships with the app (public/demo/techniques.json).">${this.catalogueError}</ps-notice>` : nothing}
      <ps-bref-picker ?hidden=${!bref} @catalogue-failed=${() => this.brefUnavailable()}
        @technique-change=${(e: CustomEvent<TechniqueChange>) => { this.brefTechnique = e.detail.technique; if (this.source === 'bref') this.task.reset(); }}></ps-bref-picker>
      ${technique && !bref ? html`<p class="technique muted">${technique.description}
        ${technique.pollutants?.length ? html`<br>Abates: ${technique.pollutants.join(', ')}` : ''}</p>` : nothing}
      ${this.renderState()}
      <ps-match-job .threshold=${this.threshold}></ps-match-job>
    `;
  }

  private renderState() {
    const state = this.task.state;
    switch (state.kind) {
      case 'idle':
        return html`<p class="muted" id="match-status">${state.cancelled ? 'Cancelled. ' : ''}Press “Match patents” to ask the Yes/No model about every patent of “${this.app.value.dataset?.name}”.</p>`;
      case 'running':
        return html`<p class="muted" id="match-status" data-state="running">${state.step}…</p>${taskProgress(this.task)}`;
      case 'error':
        return html`<p class="muted" id="match-status" data-state="error">Matching did not finish.</p>
          ${taskError(state, { text: 'Press “Match patents” to try again, or choose the other variant.' })}`;
      case 'done': {
        const { scores, matcher, top } = state.value;
        const count = scores.probabilities.length;
        const above = countAbove(scores.probabilities, this.threshold);
        return html`
          <p id="match-status" data-state="done" data-device=${matcher.device} data-count=${count} data-above=${above}>
            ${above} of ${count} patents answer Yes at P(Yes) ≥ ${this.threshold.toFixed(2)} ·
            ${matcher.modelId} (${matcher.dtype}) on ${matcher.device.toUpperCase()}
            <button id="match-csv" @click=${() => void this.export('csv', state.value)}>CSV</button>
            <button id="match-json" @click=${() => void this.export('json', state.value)}>JSON</button></p>
          ${scores.failures.length > 0 ? html`<ps-notice kind="warning" id="match-failures" next="The other patents are scored; the export lists each one that is not, with the reason.">
            ${scores.failures.map((f) => html`<div>${f.patentIds.length} ${f.patentIds.length === 1 ? 'patent' : 'patents'} not scored: ${f.reason}.</div>`)}</ps-notice>` : nothing}
          ${matcher.fallbackReasons.length > 0 ? html`<ps-notice kind="warning">The model fell back: ${matcher.fallbackReasons.join('; ')}. The answers are the same, only slower.</ps-notice>` : nothing}
          <table aria-label="Patents ranked by P(Yes)">
            <thead><tr><th class="num">Rank</th><th>Patent</th><th>Title</th><th class="num">Year</th><th class="num">P(Yes)</th><th>Note</th></tr></thead>
            <tbody>${top.map((r) => html`<tr class=${r.probability >= this.threshold ? 'above' : ''}>
              <td class="num">${r.rank}</td><td>${r.id}</td><td>${r.title}</td><td class="num">${r.year ?? ''}</td>
              <td class="num">${Number.isNaN(r.probability) ? '–' : r.probability.toFixed(3)}</td><td class="note">${r.note}</td></tr>`)}</tbody>
          </table>
          ${count > SHOWN_ROWS ? html`<p class="muted">Showing the top ${SHOWN_ROWS}; the export has all ${count}.</p>` : nothing}`;
      }
    }
  }

  private async export(format: 'csv' | 'json', result: MatchResult): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset) return;
    const { scores, matcher, order } = result;
    // BREF section ids hold colons (`CWW:::3.3.2`), which file names cannot.
    const name = `match-${scores.techniqueId.replace(/[^\w.-]+/g, '-')}`;
    const rows = (await matchRows(dataset.id, scores, order)).map((r) => ({
      ...r, answer: Number.isNaN(r.probability) ? '' : r.probability >= this.threshold ? 'Yes' : 'No',
    }));
    if (format === 'json') {
      downloadJson(`${name}.json`, { technique: scores.techniqueId, model: matcher.modelId, dtype: matcher.dtype, threshold: this.threshold, rows });
      return;
    }
    downloadCsv(`${name}.csv`, ['rank', 'patent', 'title', 'year', 'p_yes', 'answer', 'note'],
      rows.map((r) => [r.rank, r.id, r.title, r.year, Number.isNaN(r.probability) ? null : Number(r.probability.toFixed(6)), r.answer, r.note]));
  }
}

customElements.define('ps-match-view', PsMatchView);
declare global {
  interface HTMLElementTagNameMap { 'ps-match-view': PsMatchView }
}
