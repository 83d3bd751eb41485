import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { appStateContext, type AppState } from '../clients/app-state';
import { chatContext } from '../clients/chat-context-client';
import {
  analyseDataset, cleanUpAbandonedImports, restoreActiveDataset, setActiveDataset, type AnalysisSettings,
} from '../clients/pipeline';
import { datasetStore } from '../clients/store-client';
import type { CodeLevel } from '../core/types';
import { BUNDLED_MODEL_REF } from '../ml/bundled';
import type { DiscardedImport } from '../store/dataset-store';
import type { DatasetRecord } from '../store/records';
import { EXPLORE_STEP, renderExploreStatus, type ExploreValue } from './explore/explore-status';
import { DatasetLink } from './shared/dataset-link';
import { TaskController } from './shared/task-controller';
import { baseStyles, controlStyles } from './theme/styles';
import './ps-chat-view';
import './ps-dataset-bar';
import './ps-forecast-view';
import './ps-import-view';
import './ps-map-view';
import './ps-match-view';
import './ps-models-view';
import './ps-dashboard-view';
import './ps-neighbours-view';
import './ps-space-view';
import './shared/ps-notice';

type Route = 'explore' | 'import' | 'match' | 'dashboard' | 'chat' | 'models' | 'forecast' | 'space' | 'map';

/** Routed views besides Explore, in navigation order: `#/<route>`. */
const VIEW_LABELS: Partial<Record<Route, string>> = {
  map: 'Patent map',
  space: 'Technology space',
  forecast: 'Forecast',
  match: 'Match techniques',
  dashboard: 'Pollution dashboard',
  chat: 'Chat',
  import: 'Import patents',
  models: 'Models',
};
/** Views whose canvas takes the whole width. */
const CANVAS_ROUTES: ReadonlySet<Route> = new Set(['map', 'space']);
const MODEL_SETTING_KEY = 'modelRef';

/**
 * The app shell: a slim top bar (views; the dataset, how code vectors are built, WebGPU, Run)
 * and the routed view below. Provides the app state (active dataset, model, GPU preference)
 * to every view through @lit/context, and runs the Explore analysis (nearest codes).
 */
export class PsApp extends LitElement {
  static override properties = {
    preferGpu: { state: true }, route: { state: true }, datasets: { state: true }, active: { state: true }, undo: { state: true },
    storageNote: { state: true }, modelRef: { state: true }, method: { state: true }, vectorsRevision: { state: true }, discarded: { state: true },
  };
  /** Imports a reload or a closed tab cut short, removed at this start (the user is told). */
  declare discarded: DiscardedImport[];
  /** Counts finished analyses (each leaves patent vectors stored): views waiting for vectors look again. */
  declare vectorsRevision: number;
  /** How code vectors are built: 'auto' uses TechToken tokens when the model has them. */
  declare method: AnalysisSettings['method'];
  /** Model used for embeddings: the user's choice (stored), `bundled:…` by default; `?model=` overrides it. */
  declare modelRef: string;
  declare preferGpu: boolean;
  declare route: Route;
  declare datasets: DatasetRecord[];
  declare active: DatasetRecord | null;
  /** The dataset deleted last, restorable until the page is closed. */
  declare undo: DatasetRecord | null;
  declare storageNote: string;
  /** Hub host for `hub:` models; `?hub=` overrides it (tests point it at a local hub mimic). */
  private readonly hubHost: string | undefined;
  private readonly analysis = new TaskController<ExploreValue>(this);
  private readonly provider: ContextProvider<typeof appStateContext, this>;
  private readonly onHashChange = () => (this.route = routeFromHash());
  /** The dataset and level in the address: a link opens them, back/forward walks them. */
  private readonly link = new DatasetLink(this, { select: (id) => this.selectDataset(id), changeLevel: (level) => this.changeLevel(level) });

  constructor() {
    super();
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
    this.discarded = [];
    this.vectorsRevision = 0;
    this.provider = new ContextProvider(this, { context: appStateContext, initialValue: this.appState() });
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: flex; flex-direction: column; height: 100vh; }
    header { flex: none; }
    header { background: var(--ps-surface); border-bottom: 1px solid var(--ps-border); position: sticky; top: 0; z-index: 5; }
    .bar { display: flex; align-items: center; gap: var(--ps-space-2) var(--ps-space-4); flex-wrap: wrap; padding: var(--ps-space-2) var(--ps-space-4); }
    .bar.context { padding-top: 0; }
    ps-dataset-bar { flex: 1 1 0; min-width: min(100%, 24rem); }
    h1 { margin: 0; font-size: var(--ps-text-lg); letter-spacing: -0.01em; }
    nav { display: flex; gap: var(--ps-space-1); flex-wrap: wrap; }
    nav a { color: var(--ps-text-muted); text-decoration: none; font-size: var(--ps-text-sm); padding: var(--ps-space-1) var(--ps-space-2); border-radius: var(--ps-radius);
      transition: background-color var(--ps-duration), color var(--ps-duration); }
    nav a:hover { background: var(--ps-surface2); color: var(--ps-text); }
    nav a[aria-current='page'] { color: var(--ps-accent); background: var(--ps-accent-soft); font-weight: 600; }
    .settings { display: flex; gap: var(--ps-space-3); align-items: center; margin-left: auto; flex-wrap: wrap; }
    #method-select { max-width: 10rem; }
    main { flex: 1 1 auto; min-height: 0; overflow: auto; padding: var(--ps-space-2) var(--ps-space-4) var(--ps-space-6); }
    main > * { max-width: 72rem; margin-left: auto; margin-right: auto; }
    /* Canvas views fill the window below the bar; their panels scroll inside themselves. */
    main.wide { display: flex; flex-direction: column; overflow: hidden; padding-bottom: var(--ps-space-2); }
    main.wide > * { max-width: none; width: 100%; }
    main.wide > ps-map-view, main.wide > ps-space-view { flex: 1 1 auto; min-height: 0; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .status { font-size: var(--ps-text-sm); color: var(--ps-text-muted); }
    .toast { position: fixed; bottom: var(--ps-space-4); left: 50%; transform: translateX(-50%); background: var(--ps-text); color: var(--ps-bg);
      padding: var(--ps-space-2) var(--ps-space-4); border-radius: var(--ps-radius); box-shadow: var(--ps-shadow); z-index: 10; }
    .toast button { margin-left: var(--ps-space-3); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    void this.run();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('active') || changed.has('modelRef') || changed.has('preferGpu') || changed.has('vectorsRevision')) {
      this.provider.setValue(this.appState());
    }
    // Every view's "Add to chat" adds to the active dataset's chat.
    if (changed.has('active')) chatContext.setDataset(this.active?.id ?? null);
    if (changed.has('active') || changed.has('datasets')) this.link.shown(this.active, this.datasets);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A new view is announced and read from its heading, as a page load would be; the first load
    // leaves the focus where the browser puts it.
    if (changed.has('route') && changed.get('route') !== undefined) {
      this.renderRoot.querySelector<HTMLElement>('#view-heading')?.focus();
    }
  }

  private appState(): AppState {
    return { dataset: this.active, modelRef: this.modelRef, preferGpu: this.preferGpu, hubHost: this.hubHost, vectorsRevision: this.vectorsRevision };
  }

  /**
   * Runs the analysis of the active dataset; before any dataset is ready, the start-up first
   * (abandoned imports cleaned up, the stored model choice, the last dataset or the demo import).
   */
  async run(): Promise<void> {
    await this.analysis.run(EXPLORE_STEP.prepare, async (run) => {
      if (!this.active) {
        await cleanUpAbandonedImports((discarded) => { this.discarded = [...this.discarded, ...discarded]; });
        if (!new URLSearchParams(location.search).has('model')) {
          this.modelRef = (await (await datasetStore()).getSetting<string>(MODEL_SETTING_KEY)) ?? this.modelRef;
        }
        const restored = await restoreActiveDataset(run.signal, run.progress);
        if (!run.current) return null;
        await this.refreshDatasets(restored);
      }
      const dataset = this.active;
      if (!dataset) return null;
      const result = await analyseDataset(
        dataset,
        { modelRef: this.modelRef, hubHost: this.hubHost, level: dataset.level, k: 10, method: this.method, preferGpu: this.preferGpu },
        run.signal, run.progress, (step) => run.step(EXPLORE_STEP[step]),
      );
      this.vectorsRevision++;
      return result;
    });
  }

  private async refreshDatasets(active: DatasetRecord | null): Promise<void> {
    const store = await datasetStore();
    this.datasets = await store.listDatasets();
    this.active = active ? (this.datasets.find((d) => d.id === active.id) ?? null) : null;
    const estimate = await store.estimate();
    this.storageNote = estimate ? `Storage: ${(estimate.usage / 1e6).toFixed(1)} MB used of ${(estimate.quota / 1e6).toFixed(0)} MB${estimate.persisted ? ' (persistent)' : ''}` : '';
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
    // With no dataset left, the run starts up again: the demo corpus comes back.
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
    const route = this.route;
    return html`
      <header>
        <div class="bar">
          <h1>Patent Space</h1>
          <nav aria-label="Views">
            <a href="#/explore" aria-current=${route === 'explore' ? 'page' : 'false'}>Explore</a>
            ${Object.entries(VIEW_LABELS).map(([r, label]) => html`<a href="#/${r}" aria-current=${route === r ? 'page' : 'false'}>${label}</a>`)}
          </nav>
        </div>
        <div class="bar context">
          <ps-dataset-bar .datasets=${this.datasets} .active=${this.active} .storageNote=${this.storageNote}
            @dataset-select=${(e: CustomEvent<string>) => void this.selectDataset(e.detail)}
            @level-change=${(e: CustomEvent<CodeLevel>) => void this.changeLevel(e.detail)}
            @dataset-delete=${(e: CustomEvent<string>) => void this.deleteDataset(e.detail)}></ps-dataset-bar>
          <div class="settings">
            <label>Code vectors <select id="method-select" @change=${(e: Event) => { this.method = (e.target as HTMLSelectElement).value as AnalysisSettings['method']; void this.run(); }}>
              <option value="auto" ?selected=${this.method === 'auto'}>Auto</option>
              <option value="techtoken" ?selected=${this.method === 'techtoken'}>TechToken (code tokens)</option>
              <option value="mean-of-patents" ?selected=${this.method === 'mean-of-patents'}>Mean of patents</option>
            </select></label>
            <label><input type="checkbox" .checked=${this.preferGpu}
              @change=${(e: Event) => { this.preferGpu = (e.target as HTMLInputElement).checked; void this.run(); }}> Use WebGPU</label>
            <button class="primary" @click=${() => void this.run()} ?disabled=${this.analysis.running}>Run</button>
          </div>
        </div>
      </header>
      <main class=${CANVAS_ROUTES.has(route) ? 'wide' : ''}>
        ${this.renderDiscarded()}${this.link.renderNotice()}
        <h2 id="view-heading" tabindex="-1" class=${route === 'explore' || CANVAS_ROUTES.has(route) ? 'visually-hidden' : ''}>${VIEW_LABELS[route] ?? 'Explore'}</h2>
        ${route === 'explore' ? html`<div>${renderExploreStatus(this.analysis, () => void this.run())}</div>` : this.renderView(route)}
      </main>
      ${this.undo ? html`<div class="toast" role="status">Deleted “${this.undo.name}”.
        <button id="undo-delete" @click=${() => void this.undoDelete()}>Undo</button></div>` : nothing}
    `;
  }

  private renderDiscarded() {
    if (this.discarded.length === 0) return nothing;
    return html`<ps-notice kind="warning" id="discarded-imports" next="Import the file again to finish it; nothing else was changed.">
      ${this.discarded.map((d) => html`<p>The import of “${d.name}” (${d.files.join(', ') || 'no file name'}, started
        ${new Date(d.startedAt).toLocaleString()}) was cut short by a reload or a closed tab: the
        ${d.patents.toLocaleString('en')} patents it had stored were removed.</p>`)}
      <button slot="action" @click=${() => (this.discarded = [])}>Dismiss</button>
    </ps-notice>`;
  }

  /** One entry per routed view; each reads the app state from context, and some raise events. */
  private renderView(route: Exclude<Route, 'explore'>) {
    switch (route) {
      case 'import':
        return html`<ps-import-view @dataset-imported=${(e: CustomEvent<DatasetRecord>) => void this.onImported(e.detail)}></ps-import-view>`;
      case 'match':
        return html`<ps-match-view></ps-match-view>`;
      case 'dashboard':
        return html`<ps-dashboard-view></ps-dashboard-view>`;
      case 'chat':
        return html`<ps-chat-view></ps-chat-view>`;
      case 'forecast':
        return html`<ps-forecast-view></ps-forecast-view>`;
      case 'map':
        return html`<ps-map-view></ps-map-view>`;
      case 'space':
        return html`<ps-space-view></ps-space-view>`;
      case 'models':
        return html`<ps-models-view @model-change=${(e: CustomEvent<string>) => void this.changeModel(e.detail)}></ps-models-view>`;
    }
  }
}

function routeFromHash(): Route {
  // A view may take parameters after '?' (#/dashboard?patent=ID); the route is the part before.
  const route = location.hash.replace(/^#\//, '').split('?')[0];
  return route in VIEW_LABELS ? route as Route : 'explore';
}

customElements.define('ps-app', PsApp);
declare global {
  interface HTMLElementTagNameMap { 'ps-app': PsApp }
}
