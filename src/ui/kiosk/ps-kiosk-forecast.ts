import { LitElement, css, html } from 'lit';
import { datasetYears, runForecastJob } from '../../clients/forecast-client';
import { loadIpcTitles } from '../../clients/reference-client';
import type { MethodReport } from '../../core/forecast/forecast';
import { defaultWindowInputs, windowsFromInputs } from '../forecast/forecast-inputs';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { TaskController } from '../shared/task-controller';
import { taskProgress } from '../shared/task-view';
import { baseStyles } from '../theme/styles';
import '../forecast/ps-forecast-pairs';

/** Pairs the slide shows: as many as a passer-by reads in a few seconds. */
const SLIDE_PAIRS = 8;

/**
 * Finished forecasts by dataset and level, for the page's life: the loop comes back to this slide
 * every few seconds, and a forecast is seconds of work on the demo, not something to redo each time.
 */
const finished = new Map<string, MethodReport>();

/**
 * The attract loop's forecast slide: the Forecast view's top predicted new pairs on the active
 * dataset, with its default year windows. Of the forecast's methods it runs text TF-IDF, the one
 * that needs no model (only the stored titles and abstracts), so a kiosk that has just started or
 * reset shows real pairs within seconds, with no encoder to load; the Forecast view runs them all.
 */
export class PsKioskForecast extends LitElement {
  static override properties = { titles: { state: true } };
  declare titles: Record<string, string>;
  private readonly app = new AppStateConsumer(this, () => this.requestUpdate());
  private readonly task = new TaskController<MethodReport | string>(this);
  private startedFor = '';

  constructor() {
    super();
    this.titles = {};
  }

  static override styles = [baseStyles, css`:host { display: block; }`];

  override connectedCallback(): void {
    super.connectedCallback();
    void loadIpcTitles().then((titles) => { this.titles = titles.toRecord(); }, () => { this.titles = {}; });
  }

  protected override updated(): void {
    const dataset = this.app.value.dataset;
    const key = dataset ? `${dataset.id}\u0000${dataset.level}` : '';
    if (key && key !== this.startedFor) {
      this.startedFor = key;
      void this.start(key);
    }
  }

  private async start(key: string): Promise<void> {
    const { dataset, modelRef, preferGpu } = this.app.value;
    if (!dataset) return;
    await this.task.run('Scoring candidate pairs', async (run) => {
      const cached = finished.get(key);
      if (cached) return cached;
      const years = await datasetYears(dataset.id);
      if (years.firstYear === null || years.lastYear === null) return 'No patent of this dataset has a year.';
      const windows = windowsFromInputs(defaultWindowInputs(years.firstYear, years.lastYear));
      const outcome = await runForecastJob(dataset.id, {
        modelId: modelRef, level: dataset.level, windows, labels: { mode: 'above-null' }, methods: ['text-tfidf'], baselines: [], topN: SLIDE_PAIRS, preferGpu,
      }, run.signal, run.progress);
      const method = outcome.report.methods[0];
      if (!method) return 'The forecast found no candidate pairs.';
      finished.set(key, method);
      return method;
    });
  }

  override render() {
    const state = this.task.state;
    switch (state.kind) {
      case 'idle': return html`<p class="muted" id="kiosk-forecast" data-state="idle">Waiting for the dataset…</p>`;
      case 'running': return html`<p id="kiosk-forecast" data-state="running">${state.step}…</p>${taskProgress(this.task)}`;
      case 'error': return html`<p class="muted" id="kiosk-forecast" data-state="error">The forecast did not finish: ${state.message}</p>`;
      case 'done': {
        const value = state.value;
        if (typeof value === 'string') return html`<p class="muted" id="kiosk-forecast" data-state="empty">${value}</p>`;
        return html`<div id="kiosk-forecast" data-state="done">
          <ps-forecast-pairs .method=${value} .methods=${[value.method]} .selected=${null} .titles=${this.titles}
            .note=${'(the words of titles and abstracts; the Forecast view also runs the embedding methods)'}></ps-forecast-pairs>
        </div>`;
      }
    }
  }
}

customElements.define('ps-kiosk-forecast', PsKioskForecast);
declare global {
  interface HTMLElementTagNameMap { 'ps-kiosk-forecast': PsKioskForecast }
}
