import { LitElement, css, html } from 'lit';
import { datasetStore } from '../clients/store-client';
import { isAbortError } from '../core/abort';
import type { Progress } from '../core/progress';
import type { CodeLevel } from '../core/types';
import {
  analyseDataset, cleanUpAbandonedImports, restoreActiveDataset, setActiveDataset,
  type AnalysisResult, type AnalysisSettings, type AnalysisStep,
} from '../clients/pipeline';
import { BUNDLED_MODEL_REF } from '../ml/bundled';
import type { DatasetRecord } from '../store/records';
import './ps-dataset-bar';
import './ps-forecast-view';
import './ps-import-view';
import './ps-map-view';
import './ps-match-view';
import './ps-models-view';
import './ps-neighbours-view';
import './ps-progress';
import './ps-space-view';

type RunState =
  | { kind: 'idle'; message: string }
  | { kind: 'running'; step: AnalysisStep | 'prepare'; progress: Progress | null }
  | { kind: 'done'; result: AnalysisResult }
  | { kind: 'error'; message: string };

type Route = 'explore' | 'import' | 'match' | 'models' | 'forecast' | 'space' | 'map';

/** Routed views besides Explore, in navigation order: `#/<route>`. */
const VIEW_LABELS: Partial<Record<Route, string>> = {
  map: 'Patent map',
  space: 'Technology space',
  forecast: 'Forecast',
  match: 'Match techniques',
  import: 'Import patents',
  models: 'Models',
};
const MODEL_SETTING_KEY = 'modelRef';

const STEP_LABELS: Record<AnalysisStep | 'prepare', string> = { prepare: 'preparing data', embed: 'embed', similarity: 'similarity' };

/** App shell: datasets, import, and the nearest-codes view, with backends and timings in a status line. */
export class PsApp extends LitElement {
  static override properties = {
    state: { state: true }, preferGpu: { state: true }, route: { state: true },
    datasets: { state: true }, active: { state: true }, undo: { state: true }, storageNote: { state: true },
    modelRef: { state: true }, method: { state: true }, vectorsRevision: { state: true },
  };
  /** Counts finished analyses (each leaves patent vectors stored): views waiting for vectors look again. */
  declare vectorsRevision: number;
  /** How code vectors are built: 'auto' uses TechToken tokens when the model has them. */
  declare method: AnalysisSettings['method'];
  /** Model used for embeddings: the user's choice (stored), `bundled:…` by default; `?model=` overrides it. */
  declare modelRef: string;
  /** Hub host for `hub:` models; `?hub=` overrides it (tests point it at a local hub mimic). */
  private readonly hubHost: string | undefined;
  declare state: RunState;
  declare preferGpu: boolean;
  declare route: Route;
  declare datasets: DatasetRecord[];
  declare active: DatasetRecord | null;
  /** The dataset deleted last, restorable until the page is closed. */
  declare undo: DatasetRecord | null;
  declare storageNote: string;
  private controller: AbortController | null = null;
  private readonly onHashChange = () => (this.route = routeFromHash());

  constructor() {
    super();
    this.state = { kind: 'idle', message: 'Starting…' };
    const query = new URLSearchParams(location.search);
    this.preferGpu = query.get('gpu') !== 'off';
    this.modelRef = query.get('model') ?? BUNDLED_MODEL_REF;
    const method = query.get('method');
    this.method = method === 'techtoken' || method === 'mean-of-patents' ? method : 'auto';
    this.hubHost = query.get('hub') ?? undefined;
    this.route = routeFromHash();
    this.datasets = [];
    this.active = null;
    this.undo = null;
    this.storageNote = '';
    this.vectorsRevision = 0;
  }

  static override styles = css`
    :host { display: block; font-family: system-ui, sans-serif; max-width: 64rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }
    header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
    h1 { margin: 0; font-size: 1.5rem; }
    nav a { margin-right: 0.75rem; }
    nav a[aria-current='page'] { font-weight: bold; }
    #status { font-size: 0.9rem; color: #333; margin: 0.5rem 0; }
    .notice { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.5rem 0.75rem; border-radius: 4px; margin: 0.5rem 0; }
    .error { background: #fde2e1; border: 1px solid #d9534f; padding: 0.5rem 0.75rem; border-radius: 4px; }
    .toast { position: fixed; bottom: 1rem; left: 50%; transform: translateX(-50%); background: #222; color: #fff; padding: 0.5rem 1rem; border-radius: 6px; }
    .toast button { margin-left: 0.75rem; }
    section { margin-top: 1rem; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    void this.start();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    super.disconnectedCallback();
  }

  private async start(): Promise<void> {
    const controller = this.beginRun();
    this.state = { kind: 'running', step: 'prepare', progress: null };
    try {
      await cleanUpAbandonedImports();
      if (!new URLSearchParams(location.search).has('model')) {
        this.modelRef = (await (await datasetStore()).getSetting<string>(MODEL_SETTING_KEY)) ?? this.modelRef;
      }
      const dataset = await restoreActiveDataset(controller.signal, (progress) => this.onProgress(controller, progress));
      if (this.controller !== controller) return;
      await this.refreshDatasets(dataset);
      await this.analyse(controller);
    } catch (error) {
      this.fail(controller, error);
    }
  }

  private beginRun(): AbortController {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    return controller;
  }

  private async refreshDatasets(active: DatasetRecord | null): Promise<void> {
    const store = await datasetStore();
    this.datasets = await store.listDatasets();
    this.active = active ? (this.datasets.find((d) => d.id === active.id) ?? null) : null;
    const estimate = await store.estimate();
    this.storageNote = estimate ? `Storage: ${(estimate.usage / 1e6).toFixed(1)} MB used of ${(estimate.quota / 1e6).toFixed(0)} MB${estimate.persisted ? ' (persistent)' : ''}` : '';
  }

  /** Runs the analysis again; before any dataset is ready, runs the start-up (restore or demo import). */
  async run(): Promise<void> {
    if (!this.active) return this.start();
    await this.analyse(this.beginRun());
  }

  private async analyse(controller: AbortController): Promise<void> {
    const dataset = this.active;
    if (!dataset) {
      this.state = { kind: 'idle', message: 'No dataset: import patent files, or reload to get the demo corpus back.' };
      return;
    }
    try {
      const result = await analyseDataset(
        dataset,
        { modelRef: this.modelRef, hubHost: this.hubHost, level: dataset.level, k: 10, method: this.method, preferGpu: this.preferGpu },
        controller.signal,
        (progress) => this.onProgress(controller, progress),
        (step) => { if (this.controller === controller) this.state = { kind: 'running', step, progress: null }; },
      );
      // A newer run replaced this one: drop the stale result.
      if (this.controller === controller) this.state = { kind: 'done', result };
      this.vectorsRevision++;
    } catch (error) {
      this.fail(controller, error);
    }
  }

  /** Progress of a run that a newer run replaced is dropped, or it would overwrite the newer state. */
  private onProgress(controller: AbortController, progress: Progress): void {
    if (this.controller === controller && this.state.kind === 'running') this.state = { ...this.state, progress };
  }

  private fail(controller: AbortController, error: unknown): void {
    if (this.controller !== controller) return;
    this.state = isAbortError(error)
      ? { kind: 'idle', message: 'Cancelled. Nothing was changed; press Run to start again.' }
      : { kind: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }

  private async selectDataset(id: string): Promise<void> {
    const dataset = this.datasets.find((d) => d.id === id);
    if (!dataset) return;
    this.active = await setActiveDataset(dataset);
    await this.run();
  }

  private async changeLevel(level: CodeLevel): Promise<void> {
    if (!this.active) return;
    this.active = await (await datasetStore()).setLevel(this.active.id, level);
    await this.run();
  }

  private async deleteDataset(id: string): Promise<void> {
    const store = await datasetStore();
    this.undo = await store.softDelete(id);
    await this.refreshDatasets(null);
    const next = this.datasets[0] ?? null;
    this.active = next ? await setActiveDataset(next) : null;
    await this.run();
  }

  private async undoDelete(): Promise<void> {
    if (!this.undo) return;
    const restored = await (await datasetStore()).undoDelete(this.undo.id);
    this.undo = null;
    await this.refreshDatasets(await setActiveDataset(restored));
    await this.run();
  }

  private async changeModel(ref: string): Promise<void> {
    this.modelRef = ref;
    await (await datasetStore()).setSetting(MODEL_SETTING_KEY, ref);
    location.hash = '#/explore';
    await this.run();
  }

  private async onImported(dataset: DatasetRecord): Promise<void> {
    await this.refreshDatasets(await setActiveDataset(dataset));
    location.hash = '#/explore';
    await this.run();
  }

  override render() {
    return html`
      <header>
        <h1>Patent Space</h1>
        <nav>
          <a href="#/explore" aria-current=${this.route === 'explore' ? 'page' : 'false'}>Explore</a>
          ${Object.entries(VIEW_LABELS).map(([route, label]) => html`
            <a href="#/${route}" aria-current=${this.route === route ? 'page' : 'false'}>${label}</a>`)}
        </nav>
        <label>Code vectors <select id="method-select" @change=${(e: Event) => { this.method = (e.target as HTMLSelectElement).value as AnalysisSettings['method']; void this.run(); }}>
          <option value="auto" ?selected=${this.method === 'auto'}>Auto</option>
          <option value="techtoken" ?selected=${this.method === 'techtoken'}>TechToken (code tokens)</option>
          <option value="mean-of-patents" ?selected=${this.method === 'mean-of-patents'}>Mean of patents</option>
        </select></label>
        <label><input type="checkbox" .checked=${this.preferGpu}
          @change=${(e: Event) => { this.preferGpu = (e.target as HTMLInputElement).checked; void this.run(); }}> Use WebGPU</label>
        <button @click=${() => void this.run()} ?disabled=${this.state.kind === 'running'}>Run</button>
      </header>
      <ps-dataset-bar .datasets=${this.datasets} .active=${this.active} .storageNote=${this.storageNote}
        @dataset-select=${(e: CustomEvent<string>) => void this.selectDataset(e.detail)}
        @level-change=${(e: CustomEvent<CodeLevel>) => void this.changeLevel(e.detail)}
        @dataset-delete=${(e: CustomEvent<string>) => void this.deleteDataset(e.detail)}></ps-dataset-bar>
      ${this.route === 'explore' ? this.renderState() : html`<section><h2>${VIEW_LABELS[this.route]}</h2>${this.renderView(this.route)}</section>`}
      ${this.undo ? html`<div class="toast" role="status">Deleted “${this.undo.name}”.
        <button id="undo-delete" @click=${() => void this.undoDelete()}>Undo</button></div>` : ''}
    `;
  }

  /** One entry per routed view: what it is given and which events it raises. */
  private renderView(route: Exclude<Route, 'explore'>) {
    switch (route) {
      case 'import':
        return html`<ps-import-view @dataset-imported=${(e: CustomEvent<DatasetRecord>) => void this.onImported(e.detail)}></ps-import-view>`;
      case 'match':
        return html`<ps-match-view .activeDataset=${this.active} .preferGpu=${this.preferGpu} .hubHost=${this.hubHost}></ps-match-view>`;
      case 'forecast':
        return html`<ps-forecast-view .activeDataset=${this.active} .preferGpu=${this.preferGpu} .modelRef=${this.modelRef} .hubHost=${this.hubHost}></ps-forecast-view>`;
      case 'map':
        return html`<ps-map-view .activeDataset=${this.active} .vectorsRevision=${this.vectorsRevision} .preferGpu=${this.preferGpu} .modelRef=${this.modelRef} .hubHost=${this.hubHost}></ps-map-view>`;
      case 'space':
        return html`<ps-space-view .activeDataset=${this.active} .vectorsRevision=${this.vectorsRevision} .preferGpu=${this.preferGpu} .modelRef=${this.modelRef} .hubHost=${this.hubHost}></ps-space-view>`;
      case 'models':
        return html`<ps-models-view .current=${this.modelRef} @model-change=${(e: CustomEvent<string>) => void this.changeModel(e.detail)}></ps-models-view>`;
    }
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return html`<p id="status">${state.message}</p>`;
      case 'running':
        return html`<p id="status" data-state="running">Running: ${STEP_LABELS[state.step]}…</p>
          <ps-progress .progress=${state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'error':
        return html`<p id="status" data-state="error" class="error" role="alert">${state.message}</p>`;
      case 'done':
        return this.renderResult(state.result);
    }
  }

  private renderResult(result: AnalysisResult) {
    const similarity = result.similarity.kind === 'webgpu'
      ? `WebGPU on ${result.similarity.adapterName}${result.similarity.isFallbackAdapter ? ' (fallback adapter)' : ''}`
      : 'CPU';
    const notices = [
      ...result.encoder.fallbackReasons.map((r) => `Embeddings fell back to ${result.encoder.device.toUpperCase()}: ${r}`),
      ...(result.similarity.fallbackReason ? [`Similarity runs on the CPU: ${result.similarity.fallbackReason}`] : []),
    ];
    const methodLabel = result.method === 'techtoken' ? 'TechToken code tokens' : 'mean of patents';
    const embedTiming = result.embeddingsReused ? 'embed (stored) ' : 'embed ';
    return html`
      <p id="status" data-state="done" data-embed-device=${result.encoder.device} data-similarity-backend=${result.similarity.kind} data-method=${result.method}>
        ${result.patentCount} patents · ${result.codes.length} codes (${result.level.replace('_', ' ')}, ${methodLabel}) ·
        embeddings: ${result.encoder.modelId} on ${result.encoder.device.toUpperCase()} (${result.encoder.dtype}) ·
        similarity: ${similarity} · ${embedTiming}${Math.round(result.timingsMs.embed)} ms · similarity ${Math.round(result.timingsMs.similarity)} ms
      </p>
      ${notices.length > 0 ? html`<div class="notice" id="fallback-notice" role="status">
        ${notices.map((n) => html`<div>${n.replace(/\.?$/, '.')} Results are the same, only slower.</div>`)}</div>` : ''}
      ${result.methodNotice ? html`<div class="notice" id="method-notice" role="status">${result.methodNotice}</div>` : ''}
      <section>
        <h2>Nearest technology codes</h2>
        <ps-neighbours-view .codes=${result.codes} .counts=${result.counts} .neighbours=${result.neighbours}></ps-neighbours-view>
      </section>
    `;
  }
}

function routeFromHash(): Route {
  const route = location.hash.replace(/^#\//, '');
  return route in VIEW_LABELS ? route as Route : 'explore';
}

customElements.define('ps-app', PsApp);
declare global {
  interface HTMLElementTagNameMap { 'ps-app': PsApp }
}
