import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { appStateContext, type AppState } from '../clients/app-state';
import { chatContext } from '../clients/chat-context-client';
import {
  analyseDataset, cleanUpAbandonedImports, restoreActiveDataset, setActiveDataset, type AnalysisSettings,
} from '../clients/pipeline';
import { datasetStore } from '../clients/store-client';
import { KIOSK_HIDDEN_ROUTES, parseKioskSettings, type KioskSettings } from '../core/kiosk/settings';
import type { CodeLevel } from '../core/types';
import { BUNDLED_MODEL_REF } from '../ml/bundled';
import type { DiscardedImport } from '../store/dataset-store';
import type { DatasetRecord } from '../store/records';
import { EXPLORE_STEP, renderExploreStatus, type ExploreValue } from './explore/explore-status';
import { DatasetLink } from './shared/dataset-link';
import { TaskController } from './shared/task-controller';
import { backendSummary } from './shell/backend-summary';
import { icon, logoMark } from './shell/icons';
import { isFirstVisit } from './shell/ps-welcome';
import { shellStyles } from './shell/shell-styles';
import { applySchemeChoice, SCHEME_CHOICES, storedSchemeChoice, type SchemeChoice } from './theme/scheme-choice';
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
import './kiosk/ps-kiosk';
import './shared/ps-notice';
import './shell/ps-welcome';

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
/** The navigation rail's groups: the technology views, the pollution-abatement views, the data. */
const NAV_GROUPS: [title: string, routes: Route[]][] = [
  ['Technologies', ['explore', 'map', 'space', 'forecast']],
  ['Pollution abatement', ['match', 'dashboard', 'chat']],
  ['Data', ['import', 'models']],
];
const SCHEME_LABELS: Record<SchemeChoice, string> = { auto: 'System', light: 'Light', dark: 'Dark' };
const RAIL_KEY = 'ps-rail';
/** Views whose canvas takes the whole width. */
const CANVAS_ROUTES: ReadonlySet<Route> = new Set(['map', 'space']);
const MODEL_SETTING_KEY = 'modelRef';

/**
 * The app shell: the navigation rail, one bar for the dataset and how it is analysed (code
 * vectors, WebGPU, the backend it ran on, Run), and the routed view below; the first-visit welcome
 * above Explore. Provides the app state (active dataset, model, GPU preference)
 * to every view through @lit/context, and runs the Explore analysis (nearest codes).
 */
export class PsApp extends LitElement {
  static override properties = {
    preferGpu: { state: true }, route: { state: true }, datasets: { state: true }, active: { state: true }, undo: { state: true },
    storageNote: { state: true }, modelRef: { state: true }, method: { state: true }, vectorsRevision: { state: true }, discarded: { state: true },
    scheme: { state: true }, welcome: { state: true }, rail: { reflect: true },
  };
  /** Light, dark or the system's scheme (the user's choice, kept in localStorage). */
  declare scheme: SchemeChoice;
  /** The first-visit welcome is showing above Explore. */
  declare welcome: boolean;
  /** The navigation rail, with names or icons only (reflected: the shell's CSS reads it). */
  declare rail: 'open' | 'collapsed';
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
  /** Kiosk mode (`?kiosk`, core/kiosk/settings.ts): no import or delete, large touch targets, the attract loop. */
  private readonly kiosk: KioskSettings | null = parseKioskSettings(location.search);
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
    this.scheme = storedSchemeChoice();
    applySchemeChoice(this.scheme, document, false);
    this.welcome = isFirstVisit();
    this.rail = globalThis.localStorage?.getItem(RAIL_KEY) === 'collapsed' ? 'collapsed' : 'open';
    this.provider = new ContextProvider(this, { context: appStateContext, initialValue: this.appState() });
  }

  static override styles = [baseStyles, controlStyles, shellStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    // The attribute carries kiosk mode's CSS (touch sizes, hidden file inputs) into every view.
    this.toggleAttribute('kiosk', this.kiosk !== null);
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
    if (this.kiosk) return;
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
    const route = this.kiosk && KIOSK_HIDDEN_ROUTES.has(this.route) ? 'explore' : this.route;
    return html`
      ${this.renderRail(route)}
      <header>
        <div class="bar">
          <ps-dataset-bar .datasets=${this.datasets} .active=${this.active}
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
            ${this.renderBackend()}
            <button class="primary" @click=${() => void this.run()} ?disabled=${this.analysis.running}>Run</button>
          </div>
        </div>
      </header>
      <main class=${CANVAS_ROUTES.has(route) ? 'wide' : ''}>
        ${this.renderDiscarded()}${this.link.renderNotice()}
        <h2 id="view-heading" tabindex="-1" class=${route === 'explore' || CANVAS_ROUTES.has(route) ? 'visually-hidden' : ''}>${VIEW_LABELS[route] ?? 'Explore'}</h2>
        ${route === 'explore' ? html`${this.renderWelcome()}<div>${renderExploreStatus(this.analysis, () => void this.run())}</div>` : this.renderView(route)}
      </main>
      ${this.undo ? html`<div class="toast" role="status">Deleted “${this.undo.name}”.
        <button id="undo-delete" @click=${() => void this.undoDelete()}>Undo</button></div>` : nothing}
      ${this.kiosk ? html`<ps-kiosk .settings=${this.kiosk}></ps-kiosk>` : nothing}
    `;
  }

  private renderRail(route: Route) {
    const collapsed = this.rail === 'collapsed';
    return html`<nav class="rail" aria-label="Views">
      <div class="brand">${logoMark()}<h1>Patent Space</h1></div>
      ${NAV_GROUPS.map(([title, routes]) => html`<div class="group" aria-hidden="true">${title}</div><ul>
        ${routes.filter((r) => !this.kiosk || !KIOSK_HIDDEN_ROUTES.has(r)).map((r) => html`<li><a href="#/${r}" aria-current=${route === r ? 'page' : 'false'} title=${collapsed ? (VIEW_LABELS[r] ?? 'Explore') : nothing}
          >${icon(r)}<span class="label">${VIEW_LABELS[r] ?? 'Explore'}</span></a></li>`)}</ul>`)}
      <div class="foot">
        <label><span>Theme</span><select id="scheme-select" @change=${(e: Event) => this.changeScheme((e.target as HTMLSelectElement).value as SchemeChoice)}>
          ${SCHEME_CHOICES.map((c) => html`<option value=${c} ?selected=${c === this.scheme}>${SCHEME_LABELS[c]}</option>`)}
        </select></label>
        <button id="rail-toggle" @click=${() => this.toggleRail()}
          >${icon(collapsed ? 'expand' : 'collapse')}<span class="label">${collapsed ? 'Show view names' : 'Hide view names'}</span></button>
      </div>
    </nav>`;
  }

  private renderBackend() {
    const summary = backendSummary(this.analysis.state, this.preferGpu);
    return html`<details class="backend" id="backend" data-tone=${summary.tone}>
      <summary title="Where embeddings and similarity run, and the storage used"><span class="dot" aria-hidden="true"></span>${summary.label}</summary>
      <ul>${[...summary.details, ...(this.storageNote ? [this.storageNote] : [])].map((line) => html`<li>${line}</li>`)}</ul>
    </details>`;
  }

  private renderWelcome() {
    // A kiosk explains itself through its attract loop; the welcome is for a first visit of one's own.
    if (!this.welcome || this.kiosk) return nothing;
    const state = this.analysis.state;
    const demo = state.kind === 'running' ? `Starting on the demo corpus: ${state.step}…`
      : state.kind === 'done' && state.value ? `The ${this.active?.name ?? 'demo corpus'} is ready: ${state.value.patentCount.toLocaleString('en')} patents, ${state.value.codes.length} codes.`
        : '';
    return html`<ps-welcome .demoStatus=${demo} @welcome-dismiss=${() => (this.welcome = false)}></ps-welcome>`;
  }

  private changeScheme(choice: SchemeChoice): void {
    this.scheme = choice;
    applySchemeChoice(choice);
  }

  private toggleRail(): void {
    this.rail = this.rail === 'collapsed' ? 'open' : 'collapsed';
    globalThis.localStorage?.setItem(RAIL_KEY, this.rail);
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
