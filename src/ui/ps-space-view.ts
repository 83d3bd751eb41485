import { LitElement, html, nothing } from 'lit';
import type { AppState } from '../clients/app-state';
import { ensureEmbeddings } from '../clients/pipeline';
import type { Selection } from '../clients/selection-client';
import { computeSpaceLayout, patentIdsOfCodes } from '../clients/space-client';
import { datasetStore } from '../clients/store-client';
import type { Trajectory } from '../core/layout/trajectories';
import { sliderTime, sliderYear } from '../core/url/slider-year';
import type { Camera, ViewState } from '../core/url/view-state';
import { DEFAULT_SPACE_SETTINGS, type SpaceLayout, type SpaceOutcome, type SpaceResult, type SpaceSettings } from '../core/layout/space';
import { AppStateConsumer } from './shared/app-state-consumer';
import { SharedSelection } from './shared/shared-selection';
import { TaskController } from './shared/task-controller';
import { ViewStateController } from './shared/view-state-controller';
import type { SpaceScene } from './space-scene';
import type { SpaceControl } from './space/space-control';
import { exportSpaceCsv, exportSpacePng } from './space/space-export';
import { framePositions, neighboursOf, positionsHash, trailPaths, trajectoriesOf } from './space/space-frames';
import { SpaceAttract } from './space/space-attract';
import { SpacePlayback } from './space/space-playback';
import { renderSpaceStatus, SPACE_STEP } from './space/space-status';
import { watchScheme } from './theme/media';
import { baseStyles } from './theme/styles';
import { spaceViewStyles } from './space/space-view-styles';
import './shared/ps-notice';
import './space/ps-space-controls';
import './space/ps-space-inspector';
import './space/ps-space-timeline';
import './space/ps-space-toolbar';

const SETTINGS_KEY = 'spaceSettings';

/**
 * The 3D technology space: one point per code (size = patents, colour = IPC section), nearest
 * codes with lines and a table, a time slider that moves codes along their smoothed paths over
 * year windows, PCA or UMAP, PNG and CSV export. Shares its selection with the patent map.
 */
export class PsSpaceView extends LitElement {
  static override properties = {
    settings: { state: true }, time: { state: true }, trails: { state: true }, selected: { state: true }, focusCode: { state: true },
    mapCodes: { state: true }, hovered: { state: true }, sceneError: { state: true }, positionsKey: { state: true },
    attract: { type: Boolean },
  };
  /** A kiosk's attract loop: the camera turns and the time slider plays (space/space-attract.ts). */
  declare attract: boolean;
  declare settings: SpaceSettings;
  /** Slider time in windows (0 … windows − 1), or null for the all-years layout. */
  declare time: number | null;
  declare trails: boolean;
  /** Codes selected here; `focusCode` (the last one) shows its nearest codes. */
  declare selected: string[];
  declare focusCode: string | null;
  /** Codes of the patent map's selection. */
  declare mapCodes: string[];
  declare hovered: string | null;
  declare sceneError: string;
  /** Hash of the positions on screen (data-positions-hash). */
  declare positionsKey: string;

  private readonly app = new AppStateConsumer(this, (next, previous) => this.onAppState(next, previous));
  private readonly task = new TaskController<SpaceOutcome>(this);
  private readonly shared = new SharedSelection(this, 'space', (selection) => this.followSelection(selection));
  private readonly playback = new SpacePlayback(this, () => this.time, (time) => this.setTime(time));
  private readonly attractLoop = new SpaceAttract(this, { scene: () => this.scene, windows: () => this.layout?.windows.length ?? 0, playback: this.playback });
  /** Codes, slider year and camera in the address (src/core/url/view-state.ts). */
  private readonly url = new ViewStateController(this, 'space', (state) => void this.restore(state, true));
  /** The address's camera, for the scene once it is built. */
  private pendingCamera: Camera | null = null;
  private scene: SpaceScene | null = null;
  private sceneCanvas: HTMLCanvasElement | null = null;
  private sceneFor: SpaceResult | null = null;
  /** The layout the scene holds (data-instances counts its codes only then); until then its points are another layout's. */
  private drawnFor: SpaceResult | null = null;
  private trajectories: Trajectory[] = [];
  private settingsLoaded = false;
  private loadedFor = '';
  private unwatchScheme: (() => void) | null = null;

  constructor() {
    super();
    this.settings = { ...DEFAULT_SPACE_SETTINGS };
    this.time = null;
    this.trails = false;
    this.selected = [];
    this.focusCode = null;
    this.mapCodes = [];
    this.hovered = null;
    this.sceneError = '';
    this.positionsKey = '';
    this.attract = false;
  }

  static override styles = [baseStyles, spaceViewStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    this.unwatchScheme = watchScheme((scheme) => this.scene?.setScheme(scheme));
  }

  override disconnectedCallback(): void {
    this.unwatchScheme?.();
    this.scene?.dispose();
    this.scene = null;
    this.sceneFor = null;
    this.drawnFor = null;
    this.loadedFor = '';
    super.disconnectedCallback();
  }

  protected override updated(): void {
    const { dataset, modelRef } = this.app.value;
    const key = dataset && modelRef ? `${dataset.id}\u0000${dataset.level}\u0000${modelRef}` : '';
    if (key && key !== this.loadedFor) {
      this.loadedFor = key;
      void this.start();
    }
    const result = this.result;
    if (result && this.sceneFor !== result) void this.buildScene(result);
    this.attractLoop.set(this.attract);
  }

  private onAppState(next: AppState, previous: AppState): void {
    // Opened while the start-up run was still embedding: look again once the vectors are stored.
    const outcome = this.task.value;
    if (next.vectorsRevision !== previous.vectorsRevision && outcome?.kind === 'no-embeddings') void this.start();
  }

  private get result(): SpaceResult | null {
    const outcome = this.task.value;
    return outcome?.kind === 'layout' ? outcome : null;
  }

  private get layout(): SpaceLayout | null {
    return this.result?.layout ?? null;
  }

  // ---- data ----

  private async start(): Promise<void> {
    this.pendingCamera = this.url.state.camera;
    if (!this.settingsLoaded) {
      const stored = await (await datasetStore()).getSetting<SpaceSettings>(SETTINGS_KEY);
      this.settings = { ...DEFAULT_SPACE_SETTINGS, ...stored };
      this.settingsLoaded = true;
    }
    await this.run(true, false);
    // Opened from a link, a chat chip or citation (#/space?code=H01M): its codes, year and camera.
    await this.restore(this.url.state, false);
  }

  /**
   * Shows the address's codes, slider year and camera. Back/forward (`fromHistory`) shows exactly
   * the entry's; on opening, an address without codes keeps the selection shared with the map.
   */
  private async restore(state: ViewState, fromHistory: boolean): Promise<void> {
    const layout = this.layout;
    // An entry of another level: the shell changes it, and the new layout reads the address again.
    if (!layout || (state.level && state.level !== layout.level)) return;
    const codes = state.codes.filter((c) => layout.codes.includes(c));
    if (codes.join('\n') !== this.selected.join('\n')) {
      if (codes.length > 0) await this.showCodes(codes, state.camera === null);
      else if (fromHistory && state.codes.length === 0) await this.clearSelection();
    }
    if (!fromHistory && codes.length === 0 && this.selected.length > 0) this.url.replace({ codes: this.selected });
    const year = sliderYear(layout.windows, this.time);
    if (year === null ? state.year !== null : state.year === null || Math.abs(year - state.year) > 0.005) {
      this.playback.stop();
      this.setTime(sliderTime(layout.windows, state.year));
    }
    this.pendingCamera = state.camera;
    if (this.scene && state.camera) this.scene.setCameraView(state.camera);
    // A frame drawn before the camera came (the default view) must not overwrite it in the address.
    if (state.camera) this.url.replace({ camera: state.camera });
  }

  /** Lays the space out (from the cache when allowed); with `embedFirst`, embeds the patents first as Explore does. */
  private async run(useCache: boolean, embedFirst: boolean): Promise<void> {
    const { dataset, modelRef, preferGpu, hubHost } = this.app.value;
    if (!dataset) return;
    this.playback.stop();
    await this.task.run(embedFirst ? SPACE_STEP.embed : SPACE_STEP.layout, async (run) => {
      if (embedFirst) {
        await ensureEmbeddings(dataset, { modelRef, hubHost, preferGpu }, run.signal, run.progress);
        run.step(SPACE_STEP.layout);
      }
      const outcome = await computeSpaceLayout(dataset.id, modelRef, dataset.level, this.settings, { preferGpu, useCache }, run.signal, run.progress);
      if (outcome.kind === 'layout' && run.current) {
        await this.restoreSelection(dataset.id, outcome);
        this.time = null;
        this.trajectories = trajectoriesOf(outcome.layout);
        this.positionsKey = positionsHash(outcome.layout.positions);
      }
      return outcome;
    });
  }

  private async restoreSelection(datasetId: string, result: SpaceResult): Promise<void> {
    const selection = await this.shared.load(datasetId);
    const known = new Set(result.layout.codes);
    this.mapCodes = selection.source === 'map' ? selection.codes.filter((c) => known.has(c)) : [];
    this.selected = selection.source === 'space' ? selection.codes.filter((c) => known.has(c)) : [];
    this.focusCode = this.selected.at(-1) ?? null;
  }

  private followSelection(selection: Selection): void {
    this.mapCodes = selection.source === 'map' ? selection.codes : [];
    if (selection.source === 'none') {
      this.selected = [];
      this.focusCode = null;
    }
    this.applyHighlight();
  }

  // ---- scene ----

  private async buildScene(result: SpaceResult): Promise<void> {
    this.sceneFor = result;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('#space-canvas');
    const labels = this.renderRoot.querySelector<HTMLElement>('#space-labels');
    if (!canvas) return;
    try {
      const { SpaceScene } = await import('./space-scene');
      if (this.sceneFor !== result) return;
      // A recomputation re-renders the stage: a new canvas needs a new renderer.
      if (this.scene && this.sceneCanvas !== canvas) {
        this.scene.dispose();
        this.scene = null;
      }
      if (!this.scene) {
        this.scene = new SpaceScene(canvas, labels);
        this.sceneCanvas = canvas;
        this.scene.onPick = (index, additive) => { if (index !== null) void this.selectCode(this.layout?.codes[index] ?? '', additive); };
        this.scene.onHover = (index) => (this.hovered = index === null ? null : this.layout?.codes[index] ?? null);
        this.scene.onCameraMove = (camera) => this.url.replace({ camera });
      }
      if (this.pendingCamera) this.scene.setCameraView(this.pendingCamera);
      const layout = result.layout;
      this.trajectories = trajectoriesOf(layout);
      this.scene.setPoints({ codes: layout.codes, sections: layout.sections, counts: layout.counts, positions: layout.positions });
      this.drawnFor = result;
      this.applyTime();
      this.applyHighlight();
      // Drawn now, not on the next frame: data-instances (set by the update below) promises a picture.
      this.scene.render();
      this.sceneError = '';
      this.requestUpdate();
    } catch (error) {
      this.sceneError = `The 3D view could not start (WebGL): ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Positions at the slider time (or the all-years layout), pushed to the scene and hashed. */
  private applyTime(): void {
    const layout = this.layout;
    if (!layout) return;
    const { positions, sizes } = framePositions(layout, this.trajectories, this.time);
    this.positionsKey = positionsHash(positions);
    if (this.drawnFor === this.result) this.scene?.setPositions(positions, sizes);
    this.applyTrails();
  }

  private applyTrails(): void {
    const layout = this.layout;
    if (!this.scene || !layout || this.drawnFor !== this.result) return;
    if (!this.trails || this.time === null) {
      this.scene.setTrails(null);
      return;
    }
    const emphasised = [...this.selected, ...(this.focusCode ? neighboursOf(layout, this.focusCode).map((n) => n.code) : [])];
    this.scene.setTrails(trailPaths(layout, this.trajectories, this.time, emphasised));
  }

  private applyHighlight(): void {
    const layout = this.layout;
    if (!this.scene || !layout || this.drawnFor !== this.result) return;
    const index = new Map(layout.codes.map((c, i) => [c, i]));
    const of = (codes: readonly string[]) => codes.map((c) => index.get(c)).filter((i): i is number => i !== undefined);
    this.scene.setHighlight({
      selected: of(this.selected),
      focus: this.focusCode === null ? null : index.get(this.focusCode) ?? null,
      neighbours: this.focusCode === null ? [] : of(neighboursOf(layout, this.focusCode).map((n) => n.code)),
      marked: new Set(of(this.mapCodes)),
    });
    if (this.trails) this.applyTrails();
  }

  private setTime(value: number | null): void {
    this.time = value;
    this.applyTime();
    // A slider drag or playback: the current entry follows, one step for the whole move.
    if (this.layout) this.url.replace({ year: sliderYear(this.layout.windows, value) });
  }

  // ---- selection and controls ----

  /** Selects a code (or adds it, with Shift), flies to it, lists its nearest codes and shares the selection. */
  async selectCode(code: string, additive = false): Promise<void> {
    if (!this.layout?.codes.includes(code)) return;
    await this.showCodes(additive ? [...this.selected.filter((c) => c !== code), code] : [code], true);
  }

  /** Selects `codes` (the last is the focus, flown to with `fly`), makes it a step in the history and shares it. */
  private async showCodes(codes: string[], fly: boolean): Promise<void> {
    const layout = this.layout;
    const dataset = this.app.value.dataset;
    const code = codes.at(-1);
    if (!layout || !dataset || code === undefined) return;
    this.selected = codes;
    this.focusCode = code;
    this.applyHighlight();
    this.url.push({ codes });
    if (fly) this.scene?.flyTo(layout.codes.indexOf(code));
    const patentIds = await patentIdsOfCodes(dataset.id, layout.level, codes);
    await this.shared.save(dataset.id, patentIds, codes);
  }

  private async clearSelection(): Promise<void> {
    this.selected = [];
    this.focusCode = null;
    this.applyHighlight();
    this.url.push({ codes: [] });
    const dataset = this.app.value.dataset;
    if (dataset) await this.shared.save(dataset.id, [], []);
  }

  private onControl(control: SpaceControl): void {
    const layout = this.layout;
    switch (control.kind) {
      case 'settings': void this.changeSettings(control.change); break;
      case 'recompute': void this.run(false, false); break;
      case 'find': {
        const typed = control.text.trim().toUpperCase();
        const code = layout?.codes.find((c) => c.toUpperCase() === typed);
        if (code) void this.selectCode(code, control.additive);
        break;
      }
      case 'select': void this.selectCode(control.code, control.additive); break;
      case 'clear': void this.clearSelection(); break;
      case 'png': if (this.scene) void exportSpacePng(this.scene, this.focusCode); break;
      case 'csv': if (layout) exportSpaceCsv(layout, this.selected); break;
      case 'play': if (layout) this.playback.toggle(layout.windows.length - 1); break;
      // "All years" is a step of its own (and written at once); slider drags replace the entry.
      case 'time': this.playback.stop(); if (control.time === null) this.url.push({ year: null }); this.setTime(control.time); break;
      case 'trails': this.trails = control.on; this.applyTrails(); break;
    }
  }

  private async changeSettings(change: Partial<SpaceSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    await (await datasetStore()).setSetting(SETTINGS_KEY, this.settings);
    await this.run(true, false);
  }

  // ---- rendering ----

  override render() {
    const dataset = this.app.value.dataset;
    if (!dataset) {
      return html`<ps-notice kind="info" id="space-status" data-state="empty" next="Import patent files, or reload the page to get the demo corpus back.">No dataset.
        <a slot="action" href="#/import">Import patents</a></ps-notice>`;
    }
    const status = renderSpaceStatus({
      task: this.task, datasetName: dataset.name, instances: this.drawnFor && this.drawnFor === this.result ? this.scene?.instanceCount ?? 0 : 0, focusCode: this.focusCode,
      positionsKey: this.positionsKey, time: this.time,
    }, { embed: () => void this.run(true, true), recompute: () => void this.run(false, false) });
    const layout = this.layout;
    return html`<div class="frame" @space-control=${(e: CustomEvent<SpaceControl>) => this.onControl(e.detail)}>
      <ps-space-controls .settings=${this.settings} .busy=${this.task.running}></ps-space-controls>
      ${status}
      ${layout ? this.renderSpace(layout) : nothing}
    </div>`;
  }

  private renderSpace(layout: SpaceLayout) {
    return html`
      ${this.sceneError ? html`<ps-notice kind="error" id="scene-error" next="Switch hardware acceleration (WebGL) on in the browser, or use another browser.">${this.sceneError}</ps-notice>` : nothing}
      ${this.mapCodes.length > 0 ? html`<p class="muted" id="map-selection">${this.mapCodes.length} codes of the patents selected in the patent map are highlighted.</p>` : nothing}
      <div class="space">
        <div class="main">
          <ps-space-toolbar .codes=${layout.codes} .counts=${layout.counts} .selected=${this.selected.length}></ps-space-toolbar>
          <div class="stage">
            <canvas id="space-canvas" tabindex="0" aria-label="3D technology space: drag or use the arrow keys to orbit, + and − to zoom, click a code to select it"></canvas>
            <div class="labels" id="space-labels"></div>
          </div>
          <ps-space-timeline .windows=${layout.windows} .time=${this.time} .playing=${this.playback.playing} .trails=${this.trails}></ps-space-timeline>
        </div>
        <ps-space-inspector role="complementary" aria-label="Inspector" .layout=${layout} .focusCode=${this.focusCode} .hovered=${this.hovered}
          .datasetId=${this.app.value.dataset?.id ?? ''} .modelRef=${this.app.value.modelRef}></ps-space-inspector>
      </div>
    `;
  }
}

customElements.define('ps-space-view', PsSpaceView);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-view': PsSpaceView }
}
