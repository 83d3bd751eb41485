import { LitElement, css, html } from 'lit';
import { datasetStore } from '../clients/store-client';
import { BUNDLED_YES_NO_REF, loadMatcher, loadTechniqueCatalogue, scoreTechnique } from '../clients/match-client';
import { isAbortError } from '../core/abort';
import type { Progress } from '../core/progress';
import type { Patent } from '../core/types';
import type { MatcherInfo, Technique, TechniqueScores } from '../engines/match-engine';
import type { ModelDtype } from '../ml/model-ref';
import type { DatasetRecord } from '../store/records';
import { downloadCsv, downloadText } from './download';
import './ps-progress';

const THRESHOLD_SETTING_KEY = 'yesNoThreshold';
const DEFAULT_THRESHOLD = 0.5;
const SHOWN_ROWS = 100;

interface MatchRow {
  rank: number;
  id: string;
  title: string;
  year: number | null;
  probability: number;
}

type MatchState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: Progress | null }
  | { kind: 'done'; scores: TechniqueScores; matcher: MatcherInfo; rows: MatchRow[] }
  | { kind: 'error'; message: string };

/**
 * Matches the active dataset's patents to one pollution-abatement technique with a Yes/No model:
 * P(Yes) per patent, a threshold kept in settings, the patents ranked, CSV/JSON export.
 */
export class PsMatchView extends LitElement {
  static override properties = {
    activeDataset: { attribute: false }, preferGpu: { attribute: false }, hubHost: { attribute: false },
    techniques: { state: true }, techniqueId: { state: true }, threshold: { state: true },
    dtype: { state: true }, state: { state: true }, catalogueError: { state: true },
  };
  declare activeDataset: DatasetRecord | null;
  declare preferGpu: boolean;
  declare hubHost: string | undefined;
  declare techniques: Technique[];
  declare techniqueId: string;
  declare threshold: number;
  declare dtype: ModelDtype;
  declare state: MatchState;
  declare catalogueError: string;
  private controller: AbortController | null = null;

  constructor() {
    super();
    this.activeDataset = null;
    this.preferGpu = true;
    this.hubHost = undefined;
    this.techniques = [];
    this.techniqueId = '';
    this.threshold = DEFAULT_THRESHOLD;
    this.dtype = 'q4';
    this.state = { kind: 'idle' };
    this.catalogueError = '';
  }

  static override styles = css`
    :host { display: block; }
    .row { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
    table { border-collapse: collapse; margin-top: 0.5rem; }
    th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    tr.above td { background: #eaf6ea; }
    .muted { color: #666; font-size: 0.9rem; }
    .technique { max-width: 60rem; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  override disconnectedCallback(): void {
    this.controller?.abort();
    super.disconnectedCallback();
  }

  private async init(): Promise<void> {
    try {
      this.threshold = (await (await datasetStore()).getSetting<number>(THRESHOLD_SETTING_KEY)) ?? DEFAULT_THRESHOLD;
      this.techniques = await loadTechniqueCatalogue();
      this.techniqueId ||= this.techniques[0]?.id ?? '';
    } catch (error) {
      this.catalogueError = error instanceof Error ? error.message : String(error);
    }
  }

  private get technique(): Technique | undefined {
    return this.techniques.find((t) => t.id === this.techniqueId);
  }

  private async run(): Promise<void> {
    const dataset = this.activeDataset;
    const technique = this.technique;
    if (!dataset || !technique) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const onProgress = (progress: Progress) => {
      if (this.controller === controller && this.state.kind === 'running') this.state = { kind: 'running', progress };
    };
    this.state = { kind: 'running', progress: null };
    try {
      const matcher = await loadMatcher(BUNDLED_YES_NO_REF, this.dtype, this.preferGpu, this.hubHost, controller.signal, onProgress);
      const scores = await scoreTechnique(dataset.id, technique, controller.signal, onProgress);
      const patents = new Map((await (await datasetStore()).getPatentsByIds(dataset.id, scores.patentIds)).map((p: Patent) => [p.id, p]));
      const order = scores.patentIds.map((_, i) => i).sort((a, b) => scores.probabilities[b] - scores.probabilities[a] || a - b);
      const rows = order.map((index, rank) => {
        const patent = patents.get(scores.patentIds[index]);
        return { rank: rank + 1, id: scores.patentIds[index], title: patent?.title ?? '', year: patent?.year ?? null, probability: scores.probabilities[index] };
      });
      if (this.controller === controller) this.state = { kind: 'done', scores, matcher, rows };
    } catch (error) {
      if (this.controller !== controller) return;
      this.state = isAbortError(error)
        ? { kind: 'idle' }
        : { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async setThreshold(value: number): Promise<void> {
    this.threshold = value;
    await (await datasetStore()).setSetting(THRESHOLD_SETTING_KEY, value);
  }

  override render() {
    if (this.catalogueError) return html`<p role="alert">${this.catalogueError}</p>`;
    if (!this.activeDataset) return html`<p>No dataset: import patent files first.</p>`;
    const technique = this.technique;
    return html`
      <div class="row">
        <label>Technique <select id="technique-select" @change=${(e: Event) => { this.techniqueId = (e.target as HTMLSelectElement).value; this.state = { kind: 'idle' }; }}>
          ${this.techniques.map((t) => html`<option value=${t.id} ?selected=${t.id === this.techniqueId}>${t.id} — ${t.sectionTitle}</option>`)}
        </select></label>
        <label>Variant <select id="match-dtype" @change=${(e: Event) => (this.dtype = (e.target as HTMLSelectElement).value as ModelDtype)}>
          <option value="q4" ?selected=${this.dtype === 'q4'}>q4 (0.8 MB)</option>
          <option value="fp32" ?selected=${this.dtype === 'fp32'}>fp32 (4 MB)</option>
        </select></label>
        <label>Threshold <input id="threshold" type="range" min="0" max="1" step="0.01" .value=${String(this.threshold)}
          @input=${(e: Event) => void this.setThreshold(Number((e.target as HTMLInputElement).value))}>
          <output id="threshold-value">${this.threshold.toFixed(2)}</output></label>
        <button id="match-run" ?disabled=${this.state.kind === 'running' || !technique} @click=${() => void this.run()}>Match patents</button>
      </div>
      ${technique ? html`<p class="technique muted">${technique.description}
        ${technique.pollutants?.length ? html`<br>Abates: ${technique.pollutants.join(', ')}` : ''}</p>` : ''}
      ${this.renderState()}
    `;
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return html`<p class="muted" id="match-status">Press “Match patents” to ask the Yes/No model about every patent of “${this.activeDataset?.name}”.</p>`;
      case 'running':
        return html`<ps-progress .progress=${state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'error':
        return html`<p role="alert" id="match-status" data-state="error">${state.message}</p>`;
      case 'done': {
        const above = state.rows.filter((r) => r.probability >= this.threshold);
        const fallback = state.matcher.fallbackReasons;
        return html`
          <p id="match-status" data-state="done" data-device=${state.matcher.device} data-count=${state.rows.length} data-above=${above.length}>
            ${above.length} of ${state.rows.length} patents answer Yes at P(Yes) ≥ ${this.threshold.toFixed(2)} ·
            ${state.matcher.modelId} (${state.matcher.dtype}) on ${state.matcher.device.toUpperCase()}
            <button id="match-csv" @click=${() => this.export('csv', state)}>CSV</button>
            <button id="match-json" @click=${() => this.export('json', state)}>JSON</button></p>
          ${fallback.length > 0 ? html`<div class="notice" role="status">The model fell back: ${fallback.join('; ')}</div>` : ''}
          <table aria-label="Patents ranked by P(Yes)">
            <thead><tr><th>Rank</th><th>Patent</th><th>Title</th><th>Year</th><th>P(Yes)</th></tr></thead>
            <tbody>${state.rows.slice(0, SHOWN_ROWS).map((r) => html`<tr class=${r.probability >= this.threshold ? 'above' : ''}>
              <td class="num">${r.rank}</td><td>${r.id}</td><td>${r.title}</td><td class="num">${r.year ?? ''}</td>
              <td class="num">${r.probability.toFixed(3)}</td></tr>`)}</tbody>
          </table>
          ${state.rows.length > SHOWN_ROWS ? html`<p class="muted">Showing the top ${SHOWN_ROWS}; the export has all ${state.rows.length}.</p>` : ''}`;
      }
    }
  }

  private export(format: 'csv' | 'json', state: Extract<MatchState, { kind: 'done' }>): void {
    const name = `match-${state.scores.techniqueId}`;
    const rows = state.rows.map((r) => ({ ...r, answer: r.probability >= this.threshold ? 'Yes' : 'No' }));
    if (format === 'json') {
      downloadText(`${name}.json`, JSON.stringify({ technique: state.scores.techniqueId, model: state.matcher.modelId, dtype: state.matcher.dtype, threshold: this.threshold, rows }, null, 1), 'application/json');
      return;
    }
    downloadCsv(`${name}.csv`, ['rank', 'patent', 'title', 'year', 'p_yes', 'answer'],
      rows.map((r) => [r.rank, r.id, r.title, r.year, r.probability.toFixed(6), r.answer]));
  }
}

customElements.define('ps-match-view', PsMatchView);
declare global {
  interface HTMLElementTagNameMap { 'ps-match-view': PsMatchView }
}
