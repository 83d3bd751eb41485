import { LitElement, css, html } from 'lit';
import type { AppState } from '../clients/app-state';
import { datasetYears, runForecastJob } from '../clients/forecast-client';
import { prepareForecast, type ForecastPreparation } from '../clients/pipeline';
import { datasetStore } from '../clients/store-client';
import { parseCodeTitles } from '../core/code-titles';
import { loadIpcTitles } from '../clients/reference-client';

const BUNDLED_TITLES_NAME = 'bundled IPC titles (reference/ipc-titles.json)';
import type { PredictedPair } from '../core/forecast/forecast';
import type { LabelRule } from '../core/forecast/null-model';
import type { ForecastWindows } from '../core/forecast/windows';
import { backtestWindows } from '../core/forecast/hybrid';
import { FORECAST_TOP_N, needsModel } from '../core/settings/forecast';
import { defaultWindowInputs, initialForm, labelRule, windowsFromInputs, type ForecastForm } from './forecast/forecast-inputs';
import type { StoredCodeTitles } from './forecast/ps-code-titles';
import type { ForecastRun } from './forecast/ps-forecast-result';
import { AppStateConsumer } from './shared/app-state-consumer';
import { errorMessage, TaskController } from './shared/task-controller';
import { taskError, taskProgress } from './shared/task-view';
import { baseStyles, controlStyles } from './theme/styles';
import './forecast/ps-code-titles';
import './forecast/ps-forecast-form';
import './forecast/ps-forecast-result';
import './shared/ps-notice';

const TITLES_SETTING_KEY = 'forecastCodeTitles';
const STEP = { prepare: 'Making sure the patent and code vectors are stored', forecast: 'Scoring candidate pairs' } as const;

/** Settings that cannot give a forecast (e.g. an empty window): an empty state, not a failure. */
interface EmptyForecast {
  kind: 'empty';
  message: string;
}

/**
 * Technology forecasting: do codes close in embedding space get combined on later patents more
 * often than chance? Three year windows (learn, embed, score), code vectors from the embedding
 * window, candidate pairs never combined before, labels from the scoring window, and the ROC/AUC
 * of every method against graph baselines, with the top predicted pairs and their patents.
 */
export class PsForecastView extends LitElement {
  static override properties = {
    form: { state: true }, yearsNote: { state: true }, selectedMethod: { state: true }, selectedPair: { state: true }, codeTitles: { state: true }, bundledTitles: { state: true },
  };
  declare form: ForecastForm;
  declare yearsNote: string;
  declare selectedMethod: string;
  declare selectedPair: PredictedPair | null;
  declare codeTitles: StoredCodeTitles | null;
  declare bundledTitles: Record<string, string>;
  private mergedTitles: { bundled: Record<string, string> | null; user: Record<string, string> | undefined; value: Record<string, string> } = { bundled: null, user: undefined, value: {} };

  private readonly app = new AppStateConsumer(this, (next) => this.onAppState(next));
  private readonly task = new TaskController<ForecastRun | EmptyForecast>(this);
  /** The dataset whose years set the default windows. */
  private yearsFor = '';

  constructor() {
    super();
    this.form = initialForm('subclass');
    this.yearsNote = '';
    this.selectedMethod = '';
    this.selectedPair = null;
    this.codeTitles = null;
    this.bundledTitles = {};
  }

  static override styles = [baseStyles, controlStyles, css`:host { display: block; }`];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadTitles();
  }

  /** A new dataset: its level and its years' default windows, and nothing left of the last run. */
  private onAppState(next: AppState): void {
    const dataset = next.dataset;
    if (!dataset || dataset.id === this.yearsFor) return;
    this.yearsFor = dataset.id;
    this.form = { ...this.form, level: dataset.level };
    this.task.reset();
    this.selectedPair = null;
    void this.loadYears(dataset.id);
  }

  private async loadYears(datasetId: string): Promise<void> {
    try {
      const years = await datasetYears(datasetId);
      if (this.app.value.dataset?.id !== datasetId) return;
      if (years.firstYear === null || years.lastYear === null) {
        this.yearsNote = 'No patent of this dataset has a year.';
        return;
      }
      this.yearsNote = `${years.patents} patents, ${years.firstYear}–${years.lastYear}.`;
      this.form = { ...this.form, windows: defaultWindowInputs(years.firstYear, years.lastYear) };
    } catch (error) {
      this.yearsNote = errorMessage(error);
    }
  }

  private async loadTitles(): Promise<void> {
    // The bundled IPC titles name every code by default; a user's titles file overrides them.
    void loadIpcTitles().then((titles) => { this.bundledTitles = titles.toRecord(); }, () => { this.bundledTitles = {}; });
    try {
      this.codeTitles = (await (await datasetStore()).getSetting<StoredCodeTitles>(TITLES_SETTING_KEY)) ?? null;
    } catch {
      this.codeTitles = null;
    }
  }

  /** Bundled titles under the user's file; the same object while neither changes, so children do not redraw. */
  private titles(): Record<string, string> {
    const user = this.codeTitles?.titles;
    if (this.mergedTitles.bundled !== this.bundledTitles || this.mergedTitles.user !== user) {
      this.mergedTitles = { bundled: this.bundledTitles, user, value: { ...this.bundledTitles, ...(user ?? {}) } };
    }
    return this.mergedTitles.value;
  }

  private async setTitlesFile(file: File): Promise<void> {
    const parsed = parseCodeTitles(await file.text());
    this.codeTitles = { name: file.name, titles: parsed.titles, errors: parsed.errors };
    await (await datasetStore()).setSetting(TITLES_SETTING_KEY, this.codeTitles);
  }

  private async clearTitles(): Promise<void> {
    this.codeTitles = null;
    await (await datasetStore()).deleteSetting(TITLES_SETTING_KEY);
  }

  private async run(): Promise<void> {
    const { dataset, modelRef, hubHost, preferGpu } = this.app.value;
    if (!dataset) return;
    const form = this.form;
    this.selectedPair = null;
    await this.task.run(STEP.prepare, async (run) => {
      let windows: ForecastWindows;
      let labels: LabelRule;
      try {
        windows = windowsFromInputs(form.windows);
        labels = labelRule(form);
      } catch (error) {
        return { kind: 'empty', message: errorMessage(error) };
      }
      const { methods, baselines, level } = form;
      if (methods.length === 0 && baselines.length === 0) return { kind: 'empty', message: 'Choose at least one method.' };
      try {
        let preparation: ForecastPreparation | null = null;
        // text-tfidf and a hybrid over it need no model: only the stored patents' texts.
        if (needsModel(methods)) {
          preparation = await prepareForecast(dataset, {
            modelRef, hubHost, level, embedWindow: windows.embed, techToken: methods.includes('techtoken'), encoderOnGpu: preferGpu && !form.encoderOnWasm,
            ...(methods.includes('hybrid') ? { backtestEmbedWindow: backtestWindows(windows).embed } : {}),
          }, run.signal, run.progress);
        }
        run.step(STEP.forecast);
        const outcome = await runForecastJob(dataset.id, {
          modelId: preparation?.encoder.modelId ?? modelRef, level, windows, labels, methods, baselines, topN: FORECAST_TOP_N, preferGpu,
        }, run.signal, run.progress);
        // The hybrid is the forecast when it was fitted; else the best embedding's table comes first.
        const best = outcome.report.methods.find((m) => m.kind === 'hybrid')
          ?? outcome.report.methods.filter((m) => m.kind === 'embedding').sort((a, b) => b.auc - a.auc)[0] ?? outcome.report.methods[0];
        if (run.current) this.selectedMethod = best?.method ?? '';
        return { kind: 'report', outcome, preparation, level, windows, datasetId: dataset.id, datasetName: dataset.name };
      } catch (error) {
        if (error instanceof Error && error.name === 'ForecastInputError') return { kind: 'empty', message: error.message };
        throw error;
      }
    });
  }

  override render() {
    const dataset = this.app.value.dataset;
    if (!dataset) {
      return html`<ps-notice kind="info" id="forecast-status" data-state="empty" next="Import patent files, or reload the page to get the demo corpus back.">No dataset.
        <a slot="action" href="#/import">Import patents</a></ps-notice>`;
    }
    return html`
      <p class="muted">Which pairs of technology codes, never combined on one patent so far, will be combined in the scoring window?
        Codes close in embedding space are predicted first; every method's ranking is scored by ROC AUC against what happened.
        ${this.yearsNote}</p>
      <ps-forecast-form .form=${this.form} .modelRef=${this.app.value.modelRef} .preferGpu=${this.app.value.preferGpu}
        @form-change=${(e: CustomEvent<ForecastForm>) => (this.form = e.detail)}></ps-forecast-form>
      <ps-code-titles .titles=${this.codeTitles} @titles-file=${(e: CustomEvent<File>) => void this.setTitlesFile(e.detail)}
        @titles-clear=${() => void this.clearTitles()}></ps-code-titles>
      <div class="row"><button id="fc-run" class="primary" ?disabled=${this.task.running} @click=${() => void this.run()}>Run forecast</button></div>
      ${this.renderState(dataset.name)}
    `;
  }

  private renderState(datasetName: string) {
    const state = this.task.state;
    switch (state.kind) {
      case 'idle':
        return html`<p class="muted" id="forecast-status" data-state="idle">${state.cancelled
          ? 'Cancelled; press “Run forecast” to start again.'
          : `Press “Run forecast” to forecast new code combinations in “${datasetName}”.`}</p>`;
      case 'running':
        return html`<p id="forecast-status" data-state="running">${state.step}…</p>${taskProgress(this.task)}`;
      case 'error':
        return html`<p class="muted" id="forecast-status" data-state="error">The forecast did not finish.</p>
          ${taskError(state, { text: 'Check the windows and methods, then press “Run forecast” again.' })}`;
      case 'done': {
        const value = state.value;
        if (value.kind === 'empty') {
          return html`<ps-notice kind="info" id="forecast-status" data-state="empty" next="Change the settings above and run the forecast again.">${value.message}</ps-notice>`;
        }
        return html`<ps-forecast-result .run=${value} .method=${this.selectedMethod} .pair=${this.selectedPair}
          .titles=${this.titles()} .titlesName=${this.codeTitles?.name ?? (Object.keys(this.bundledTitles).length > 0 ? BUNDLED_TITLES_NAME : null)}
          @method-select=${(e: CustomEvent<string>) => { this.selectedMethod = e.detail; this.selectedPair = null; }}
          @pair-select=${(e: CustomEvent<PredictedPair>) => (this.selectedPair = e.detail)}></ps-forecast-result>`;
      }
    }
  }
}

customElements.define('ps-forecast-view', PsForecastView);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-view': PsForecastView }
}
