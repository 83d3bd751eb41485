import { LitElement, css, html, nothing } from 'lit';
import type { AppState } from '../clients/app-state';
import { computeMapLayout, embeddingCount } from '../clients/map-client';
import { ensureEmbeddings } from '../clients/pipeline';
import type { Selection } from '../clients/selection-client';
import { datasetStore } from '../clients/store-client';
import { NO_SECTION } from '../core/ipc-sections';
import { DEFAULT_MAP_SETTINGS, type MapLayoutSettings } from '../core/settings/map-layout';
import type { MapLayout } from '../clients/engine-types';
import { mapAddToChat } from './map/map-chat';
import { MapCanvas } from './map/map-canvas';
import { MapGestures, type DragMode } from './map/map-gestures';
import { exportMapPng, exportSelectionCsv } from './map/map-export';
import { MapPointsData } from './map/map-points';
import { MapSelection } from './map/map-selection';
import { MapRelevance } from './map/map-relevance';
import { renderMapHoverCard } from './map/map-hover';
import { MapLink } from './map/map-link';
import type { ViewState } from '../core/url/view-state';
import { renderMapState, STEP, type MapOutcome } from './map/map-status';
import { pointColours, pointStates, type ColourMode, type LegendEntry } from './map-style';
import { AppStateConsumer } from './shared/app-state-consumer';
import { SharedSelection } from './shared/shared-selection';
import { TaskController } from './shared/task-controller';
import { baseStyles, controlStyles } from './theme/styles';
import './map/ps-map-controls';
import './map/ps-map-selection-list';
import './shared/ps-legend';
import './shared/ps-notice';
import type { MapControlChange } from './map/ps-map-controls';

const SETTINGS_KEY = 'mapSettings';

interface StoredMapSettings {
  layout: MapLayoutSettings;
  colour: ColourMode;
}

/**
 * The 2D patent map: each patent a point, placed by UMAP of its stored vector (PCA first, at
 * once), drawn by WebGL2 in one call. Pan, zoom, hover card, box and lasso selection shared with
 * the technology space; colour by year, section, topic or code; search; topic labels; PNG and
 * CSV export. Patents stay in the compute worker (map points engine): the page holds the layout,
 * a year and a section per point, and asks the worker for search, codes and card text.
 */
export class PsMapView extends LitElement {
  static override properties = {
    layout: { state: true }, settings: { state: true }, colourMode: { state: true }, code: { state: true }, query: { state: true },
    dragMode: { state: true }, onlySelection: { state: true }, hover: { state: true }, legend: { state: true },
    webglError: { state: true }, vectorsMissing: { state: true },
  };
  /** The layout on screen (PCA while UMAP runs). */
  declare layout: MapLayout | null;
  declare settings: MapLayoutSettings;
  declare colourMode: ColourMode;
  declare code: string;
  declare query: string;
  declare dragMode: DragMode;
  declare onlySelection: boolean;
  declare hover: { index: number; x: number; y: number } | null;
  declare legend: LegendEntry[];
  declare webglError: string;
  /** The dataset has no vectors of the model (yet). */
  declare vectorsMissing: boolean;

  private readonly app = new AppStateConsumer(this, (next, previous) => this.onAppState(next, previous));
  private readonly task = new TaskController<MapOutcome>(this);
  private readonly shared = new SharedSelection(this, 'map', (s) => void this.followSelection(s));
  private readonly selection = new MapSelection(this.shared, (patentIds) => this.link.selected(patentIds));
  /** Selection and relevance target in the address (src/core/url/view-state.ts). */
  private readonly link = new MapLink(this, (state) => void this.followLink(state));
  private readonly canvas = new MapCanvas(
    () => this.renderRoot.querySelector<HTMLCanvasElement>('#map-canvas'),
    () => [...this.renderRoot.querySelectorAll<HTMLElement>('.topic')],
    (event) => this.gestures.onWheel(event),
  );
  private readonly gestures = new MapGestures({
    canvas: this.canvas,
    hasPoints: () => this.layout !== null,
    dragMode: () => this.dragMode,
    visible: (i) => this.pickable(i),
    hover: (hit) => (this.hover = hit),
    select: (indices, add) => void this.select(indices, add),
    selectAll: () => void this.select((this.layout?.ids ?? []).flatMap((_, i) => (this.pickable(i) ? [i] : [])), false),
    clear: () => void this.select([], false),
    overlay: (d) => this.renderRoot.querySelector('svg.overlay path')?.setAttribute('d', d),
  });
  private readonly relevance = new MapRelevance(() => { this.recolour(); this.requestUpdate(); });
  private readonly points = new MapPointsData((what) => (what === 'colours' ? this.recolour() : what === 'states' ? this.restate() : this.requestUpdate()));
  /** Loading points outlives a cancelled layout run (search still works on PCA); a new dataset aborts it. */
  private pointsLoad: AbortController | null = null;
  /** Layout requests so far (data-run), so a test can wait for the next one. */
  private runs = 0;
  private loadedFor = '';

  constructor() {
    super();
    this.layout = null;
    this.settings = { ...DEFAULT_MAP_SETTINGS };
    this.colourMode = 'topic';
    this.code = '';
    this.query = '';
    this.dragMode = 'pan';
    this.onlySelection = false;
    this.hover = null;
    this.legend = [];
    this.webglError = '';
    this.vectorsMissing = false;
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    .status { font-size: var(--ps-text-sm); color: var(--ps-text-muted); margin: var(--ps-space-1) 0; }
    .stage { position: relative; flex: 1 1 auto; min-height: 18rem; border: 1px solid var(--ps-border); border-radius: var(--ps-radius);
      overflow: hidden; background: var(--ps-map-bg); touch-action: none; }
    ps-legend { position: absolute; left: var(--ps-space-2); top: var(--ps-space-2); max-width: min(40%, 32rem); z-index: 1;
      background: color-mix(in srgb, var(--ps-surface) 88%, transparent); border: 1px solid var(--ps-border); border-radius: var(--ps-radius);
      padding: 0 var(--ps-space-2); box-shadow: var(--ps-shadow); }
    ps-legend[hidden] { display: none; }
    .help { margin: var(--ps-space-1) 0 0; }
    .stage.hidden { display: none; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; cursor: grab; outline: none; }
    canvas:focus-visible { box-shadow: inset 0 0 0 3px var(--ps-focus); }
    canvas.box, canvas.lasso { cursor: crosshair; }
    .labels { position: absolute; inset: 0; pointer-events: none; overflow: hidden; }
    .topic { position: absolute; left: 0; top: 0; white-space: nowrap; font-weight: 600; color: var(--ps-map-ink);
      text-shadow: 0 0 3px var(--ps-map-bg), 0 0 3px var(--ps-map-bg), 0 0 3px var(--ps-map-bg); will-change: transform; }
    svg.overlay { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
    svg.overlay path { fill: color-mix(in srgb, var(--ps-focus) 12%, transparent); stroke: var(--ps-focus); stroke-width: 1.5; stroke-dasharray: 4 3; }
  `];

  override disconnectedCallback(): void {
    this.pointsLoad?.abort();
    this.canvas.detach();
    this.loadedFor = '';
    super.disconnectedCallback();
  }

  override updated(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (stage && !this.canvas.attached) {
      try {
        this.canvas.attach(stage);
        this.restyle();
      } catch (error) {
        this.webglError = error instanceof Error ? error.message : String(error);
      }
    }
    // A new dataset, level or model, or moved in the page (disconnected, then connected): load again.
    const { dataset, modelRef } = this.app.value;
    const key = dataset ? `${dataset.id}\u0000${dataset.level}\u0000${modelRef}` : '';
    if (key !== this.loadedFor) {
      this.loadedFor = key;
      void this.start();
    }
    this.canvas.scheduleDraw();
  }

  private onAppState(next: AppState, previous: AppState): void {
    // Opened while the start-up run was still embedding: look again once the vectors are stored.
    if (next.vectorsRevision !== previous.vectorsRevision && this.vectorsMissing && this.loadedFor) void this.start();
  }

  // ---- data ----

  private async start(): Promise<void> {
    this.task.reset();
    this.pointsLoad?.abort();
    this.layout = null;
    this.hover = null;
    const dataset = this.app.value.dataset;
    if (!dataset) return;
    const stored = await (await datasetStore()).getSetting<StoredMapSettings>(SETTINGS_KEY);
    if (stored) {
      this.settings = { ...DEFAULT_MAP_SETTINGS, ...stored.layout };
      this.colourMode = stored.colour;
      if (this.colourMode === 'relevance') void this.relevance.loadPollutants();
    }
    // Opened from a pollutant's or a section's page (#/map?pollutant=INDEX, ?section=ID): colour by relevance to it.
    if (this.relevance.fromHash(dataset.id, location.hash)) this.colourMode = 'relevance';
    await this.compute(false);
  }

  /** Checks for vectors (embedding them first when asked), then shows PCA at once and UMAP when it is ready. */
  private async compute(fresh: boolean, embedFirst = false): Promise<void> {
    const { dataset, modelRef, preferGpu, hubHost } = this.app.value;
    if (!dataset) return;
    this.runs++;
    await this.task.run(embedFirst ? STEP.embed : STEP.check, async (run) => {
      if (embedFirst) {
        await ensureEmbeddings(dataset, { modelRef, hubHost, preferGpu }, run.signal, run.progress);
        run.step(STEP.check);
      }
      if (await embeddingCount(dataset.id, modelRef) === 0) return this.noVectors();
      this.vectorsMissing = false;
      this.selection.stored = this.link.atStart(await this.shared.load(dataset.id));
      run.step(STEP.layout);
      const show = (layout: MapLayout) => { if (run.current) this.show(layout); };
      try {
        show(await computeMapLayout(dataset.id, modelRef, this.settings, { preferGpu, fresh }, run.signal, run.progress, show));
      } catch (error) {
        if (error instanceof Error && error.name === 'NoEmbeddingsError') return this.noVectors();
        throw error;
      }
      return 'layout';
    });
  }

  private noVectors(): MapOutcome {
    this.vectorsMissing = true;
    return 'empty';
  }

  private show(layout: MapLayout): void {
    const previous = this.layout;
    this.layout = layout;
    this.canvas.setPoints({ coordinates: layout.coordinates, count: layout.ids.length, topics: layout.topics }, previous?.hash === layout.hash);
    this.selection.reset(layout.ids.length);
    this.recolour();
    void this.applyStored();
    if (!this.points.has(layout.ids)) void this.loadPoints(layout);
  }

  /** Years, sections and the worker-side text of the layout's rows; then the stored selection again (its codes need them). */
  private async loadPoints(layout: MapLayout): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset) return;
    this.pointsLoad?.abort();
    const controller = new AbortController();
    this.pointsLoad = controller;
    try {
      await this.points.load(dataset.id, dataset.level, layout.ids, controller.signal);
      if (this.layout && this.points.has(this.layout.ids)) await this.applyStored();
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) this.webglError = `The patents could not be read for the map: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // ---- selection ----

  private async applyStored(): Promise<void> {
    const stored = this.selection.stored;
    if (stored && this.layout) await this.selection.apply(stored, this.layout.ids, this.points.key);
    this.restate();
  }

  private async followSelection(selection: Selection): Promise<void> {
    if (!this.layout) return;
    await this.selection.apply(selection, this.layout.ids, this.points.key);
    this.restate();
  }

  /** Back/forward, or a link followed while the map is open (a bare hash change too): its selection and relevance colours. */
  private async followLink(state: ViewState): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset || !this.layout) return;
    const asked = state.pollutant !== this.relevance.pollutant || (state.section ?? null) !== (this.relevance.section?.id ?? null);
    if (asked && this.relevance.fromHash(dataset.id, location.hash)) this.colourMode = 'relevance';
    await this.selection.apply(this.link.selectionOf(dataset.id, state), this.layout.ids, this.points.key);
    this.restate();
  }

  /** With "only the selection" on, only selected points are shown, hovered or picked. */
  private pickable(index: number): boolean {
    return !(this.onlySelection && this.selection.size > 0) || this.selection.mask[index] === 1;
  }

  private async select(indices: number[], add: boolean): Promise<void> {
    const { dataset } = this.app.value;
    if (!this.layout || !dataset) return;
    const saving = this.selection.select(indices, add, dataset.id, this.layout.ids, this.points.key);
    this.restate();
    await saving;
  }

  // ---- styling ----

  /** Colours and states: a new layout or new columns. */
  private restyle(): void {
    this.recolour();
    this.restate();
  }

  /** Colours and the legend (colour mode, code, topics); the renderer keeps the states. */
  private recolour(): void {
    const layout = this.layout;
    if (!layout) return;
    const n = layout.ids.length;
    const columns = this.points.columns ?? { count: n, years: new Float32Array(n).fill(Number.NaN), sections: new Uint8Array(n).fill(NO_SECTION) };
    const topicLabels = new Map(layout.topics.map((t) => [t.cluster, t.label]));
    const { colours, legend } = pointColours(this.colourMode, columns, layout.clusters, {
      code: this.code, codeMatches: this.points.codeHits, topicLabels, relevance: this.colourMode === 'relevance' ? this.relevance.forLayout(layout.ids) : null,
    });
    this.canvas.setColours(colours);
    this.legend = legend;
  }

  /** States (search, selection, "only the selection"): one byte per point to the renderer. */
  private restate(): void {
    const layout = this.layout;
    if (!layout) return;
    this.canvas.setStates(pointStates(layout.ids.length, {
      selected: this.selection.mask, selectionSize: this.selection.size, matches: this.points.searchHits, onlySelection: this.onlySelection,
    }));
    this.requestUpdate();
  }

  // ---- controls ----

  private onControl(change: MapControlChange): void {
    switch (change.kind) {
      case 'colour': this.colourMode = change.mode; void this.saveSettings(); this.recolour(); if (change.mode === 'relevance') void this.relevance.loadPollutants(); break;
      case 'pollutant': if (this.app.value.dataset) void this.relevance.choose(this.app.value.dataset.id, change.index); this.link.pollutant(change.index); break;
      case 'code': this.code = change.code; void this.points.highlightCode(change.code); break;
      case 'query': this.query = change.query; void this.points.search(change.query); break;
      case 'drag': this.dragMode = change.mode; break;
      case 'only-selection': this.onlySelection = change.on; this.restate(); break;
      case 'settings': void this.changeSettings(change.change); break;
      case 'recompute': void this.compute(true); break;
      case 'png': void this.exportPng(); break;
      case 'csv': void this.exportCsv(); break;
      case 'clear': void this.select([], false); break;
      case 'select-matches': void this.select(this.points.hitIndices(), false); break;
    }
  }

  private async changeSettings(change: Partial<MapLayoutSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    await this.saveSettings();
    await this.compute(false);
  }

  private async saveSettings(): Promise<void> {
    await (await datasetStore()).setSetting<StoredMapSettings>(SETTINGS_KEY, { layout: this.settings, colour: this.colourMode });
  }

  // ---- export ----

  private async exportPng(): Promise<void> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('#map-canvas');
    if (!canvas || !this.layout) return;
    this.canvas.drawNow();
    await exportMapPng(canvas, this.canvas.viewport, this.layout, [...this.renderRoot.querySelectorAll<HTMLElement>('.topic')]);
  }

  private async exportCsv(): Promise<void> {
    const key = this.points.key;
    if (this.layout && key) await exportSelectionCsv(this.layout, key, this.selection.mask);
  }

  // ---- rendering ----

  override render() {
    if (!this.app.value.dataset) {
      return html`<ps-notice kind="info" next="Import patent files, or reload the page to get the demo corpus back.">No dataset.
        <a slot="action" href="#/import">Import patents</a></ps-notice>`;
    }
    const layout = this.layout;
    const busy = this.task.running;
    return html`
      <ps-map-controls .settings=${this.settings} .colourMode=${this.colourMode} .code=${this.code} .query=${this.query}
        .dragMode=${this.dragMode} .onlySelection=${this.onlySelection} .busy=${busy} .hasLayout=${layout !== null}
        .selectionSize=${this.selection.size} .matchCount=${this.points.matchCount} .codeSuggestions=${this.points.columns?.codeSuggestions ?? []}
        .pollutants=${this.relevance.pollutants} .pollutant=${this.relevance.pollutant}
        @map-control=${(e: CustomEvent<MapControlChange>) => this.onControl(e.detail)}></ps-map-controls>
      ${this.renderState()}${mapAddToChat(this.selection, this.layout)}
      <ps-map-selection-list .pointsKey=${this.points.key} .mask=${this.selection.mask} .size=${this.selection.size}></ps-map-selection-list>
      ${this.colourMode === 'relevance' && this.relevance.note ? html`<ps-notice kind="info" id="map-relevance-note" next="">${this.relevance.note}</ps-notice>` : nothing}
      ${this.webglError ? html`<ps-notice kind="error" next="Try a browser with WebGL2 switched on, or reload the page.">${this.webglError}</ps-notice>` : nothing}
      <div class="stage ${layout ? '' : 'hidden'}">
        <ps-legend id="map-legend" label="Colours: ${this.colourMode}" .items=${this.legend} ?hidden=${this.legend.length === 0}></ps-legend>
        <canvas id="map-canvas" tabindex="0" role="img" class=${this.dragMode}
          aria-label="Patent map: drag to pan, wheel or pinch to zoom, shift-drag to select a box, alt-drag to draw a lasso; arrow keys pan, plus and minus zoom, 0 fits, Escape clears the selection"
          @pointerdown=${this.gestures.onPointerDown} @pointermove=${this.gestures.onPointerMove} @pointerup=${this.gestures.onPointerUp}
          @pointercancel=${this.gestures.onPointerUp} @pointerleave=${this.gestures.onPointerLeave} @keydown=${this.gestures.onKeyDown}></canvas>
        <div class="labels" aria-hidden="true">${(layout?.topics ?? []).map((t) => html`<div class="topic" data-cluster=${t.cluster} title=${`${t.size} patents`}>${t.label}</div>`)}</div>
        <svg class="overlay" aria-hidden="true"><path d=""></path></svg>
        ${renderMapHoverCard(this.hover, this.layout, this.canvas.viewport, this.points)}
      </div>
      <p class="muted help">Drag to pan · wheel or pinch to zoom · shift-drag: box · alt-drag: lasso · ctrl adds · click a point to select it ·
        keys: arrows, + / −, 0 fits, Esc clears.</p>
    `;
  }

  private renderState() {
    return renderMapState({
      task: this.task, layout: this.layout, selection: this.selection.info, matchCount: this.points.matchCount, drawMs: this.canvas.lastDrawMs,
      runs: this.runs, vectorsMissing: this.vectorsMissing, umap: this.settings.method === 'umap',
      datasetName: this.app.value.dataset?.name ?? '', patentCount: this.app.value.dataset?.patentCount ?? 0, modelRef: this.app.value.modelRef,
      singlePatent: this.selection.size === 1 && this.layout ? this.layout.ids[this.selection.mask.indexOf(1)] : undefined,
    }, { embed: () => void this.compute(false, true), compute: () => void this.compute(false) });
  }

}

customElements.define('ps-map-view', PsMapView);
declare global {
  interface HTMLElementTagNameMap { 'ps-map-view': PsMapView }
}
