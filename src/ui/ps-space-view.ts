import { LitElement, css, html, type PropertyValues } from 'lit';
import {
  loadSelection, saveSelection, selectionEvents, SELECTION_EVENT, type Selection,
} from '../clients/selection-client';
import { computeSpaceLayout, patentIdsOfCodes } from '../clients/space-client';
import { datasetStore } from '../clients/store-client';
import { isAbortError } from '../core/abort';
import { frameAt, presenceAt, type Trajectory } from '../core/layout/trajectories';
import type { Progress } from '../core/progress';
import { DEFAULT_SPACE_SETTINGS, type SpaceLayout, type SpaceResult, type SpaceSettings } from '../core/layout/space';
import { ensureEmbeddings } from '../clients/pipeline';
import type { DatasetRecord } from '../store/records';
import { downloadText } from './download';
import type { SpaceScene } from './space-scene';
import './ps-progress';

const SETTINGS_KEY = 'spaceSettings';
/** Windows per second while playing. */
const PLAY_RATE = 1.5;
/** Trails of every code up to this many codes; above, of the selection and the largest codes only. */
const TRAILS_ALL_MAX = 300;

/** Same colours and names as space-scene.ts, kept here so the legend renders before three.js loads. */
const LEGEND: Record<string, [string, string]> = {
  A: ['#d62728', 'Human necessities'], B: ['#ff7f0e', 'Performing operations; transporting'], C: ['#b59a00', 'Chemistry; metallurgy'],
  D: ['#2ca02c', 'Textiles; paper'], E: ['#17becf', 'Fixed constructions'], F: ['#1f5fd6', 'Mechanical engineering; lighting; heating; weapons'],
  G: ['#9467bd', 'Physics'], H: ['#e377c2', 'Electricity'], Y: ['#8c564b', 'New technologies (CPC Y)'],
};

type SpaceState =
  | { kind: 'idle' }
  | { kind: 'running'; step: 'embed' | 'layout'; progress: Progress | null }
  | { kind: 'no-embeddings'; modelId: string; patents: number }
  | { kind: 'done'; result: SpaceResult }
  | { kind: 'error'; message: string };

/** FNV-1a over the bytes of a Float32Array, as 8 hex digits: a cheap fingerprint of the positions. */
export function positionsHash(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function trajectoriesOf(layout: SpaceLayout): Trajectory[] {
  const frames = layout.windows.length;
  return layout.codes.map((code, i) => ({
    code, components: 3, frames,
    positions: layout.trajectories.subarray(i * frames * 3, (i + 1) * frames * 3),
    observed: layout.observed.subarray(i * frames, (i + 1) * frames),
  }));
}

/**
 * The 3D technology space: one point per code (size = patents, colour = IPC section), nearest
 * codes with lines and a table, a time slider that moves codes along their smoothed paths over
 * year windows, PCA or UMAP, PNG and CSV export. Shares its selection with the patent map.
 */
export class PsSpaceView extends LitElement {
  static override properties = {
    activeDataset: { attribute: false }, preferGpu: { attribute: false }, modelRef: { attribute: false }, hubHost: { attribute: false },
    vectorsRevision: { attribute: false },
    state: { state: true }, settings: { state: true }, time: { state: true }, playing: { state: true }, trails: { state: true },
    selected: { state: true }, focusCode: { state: true }, mapCodes: { state: true }, hovered: { state: true }, sceneError: { state: true },
    positionsKey: { state: true },
  };
  declare activeDataset: DatasetRecord | null;
  /** Rises whenever the app has stored new patent vectors (e.g. the start-up run finished). */
  declare vectorsRevision: number;
  declare preferGpu: boolean;
  declare modelRef: string;
  declare hubHost: string | undefined;
  declare state: SpaceState;
  declare settings: SpaceSettings;
  /** Slider time in windows (0 … windows − 1), or null for the all-years layout. */
  declare time: number | null;
  declare playing: boolean;
  declare trails: boolean;
  /** Codes selected here; `focus` (the last one) shows its nearest codes. */
  declare selected: string[];
  declare focusCode: string | null;
  /** Codes of the patent map's selection. */
  declare mapCodes: string[];
  declare hovered: string | null;
  declare sceneError: string;
  /** Hash of the positions on screen (data-positions-hash). */
  declare positionsKey: string;
  private controller: AbortController | null = null;
  private scene: SpaceScene | null = null;
  private sceneCanvas: HTMLCanvasElement | null = null;
  private sceneFor: SpaceResult | null = null;
  private trajectories: Trajectory[] = [];
  private playHandle = 0;
  private settingsLoaded = false;
  private readonly onSelection = (event: Event) => void this.followSelection((event as CustomEvent<Selection>).detail);

  constructor() {
    super();
    this.activeDataset = null;
    this.vectorsRevision = 0;
    this.preferGpu = true;
    this.modelRef = '';
    this.hubHost = undefined;
    this.state = { kind: 'idle' };
    this.settings = { ...DEFAULT_SPACE_SETTINGS };
    this.time = null;
    this.playing = false;
    this.trails = false;
    this.selected = [];
    this.focusCode = null;
    this.mapCodes = [];
    this.hovered = null;
    this.sceneError = '';
    this.positionsKey = '';
  }

  static override styles = css`
    :host { display: block; }
    .row { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
    .stage { position: relative; height: 34rem; border: 1px solid #ddd; border-radius: 4px; overflow: hidden; }
    canvas { width: 100%; height: 100%; display: block; outline: none; touch-action: none; }
    canvas:focus-visible { box-shadow: inset 0 0 0 3px #1f5fd6; }
    .labels { position: absolute; inset: 0; pointer-events: none; overflow: hidden; }
    .labels .label { position: absolute; left: 0; top: 0; font: 12px system-ui, sans-serif; color: #222; background: rgba(255,255,255,0.75);
      padding: 0 3px; border-radius: 3px; white-space: nowrap; }
    .labels .label[data-kind='focus'] { font-weight: bold; background: #fff; border: 1px solid #222; }
    .labels .label[data-kind='hover'] { background: #fffbe0; }
    .legend { display: flex; gap: 0.75rem; flex-wrap: wrap; font-size: 0.85rem; }
    .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; vertical-align: middle; margin-right: 0.25rem; }
    table { border-collapse: collapse; margin-top: 0.5rem; }
    th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    tbody tr { cursor: pointer; }
    tbody tr:focus { outline: 2px solid #1f5fd6; }
    .muted { color: #666; font-size: 0.9rem; }
    .empty { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.75rem; border-radius: 4px; }
    input[type='number'] { width: 4.5rem; }
    #time-slider { width: 22rem; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    selectionEvents.addEventListener(SELECTION_EVENT, this.onSelection);
  }

  override disconnectedCallback(): void {
    selectionEvents.removeEventListener(SELECTION_EVENT, this.onSelection);
    this.controller?.abort();
    this.stopPlaying();
    this.scene?.dispose();
    this.scene = null;
    this.sceneFor = null;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('activeDataset') || changed.has('modelRef')) && this.activeDataset && this.modelRef) {
      const previous = changed.get('activeDataset') as DatasetRecord | null | undefined;
      const same = previous && previous.id === this.activeDataset.id && previous.level === this.activeDataset.level && !changed.has('modelRef');
      if (!same) void this.start();
    } else if (changed.has('vectorsRevision') && this.state.kind === 'no-embeddings') {
      // Opened while the start-up run was still embedding: look again once the vectors are stored.
      void this.start();
    }
  }

  protected override updated(): void {
    if (this.state.kind === 'done' && this.sceneFor !== this.state.result) void this.buildScene(this.state.result);
  }

  private async start(): Promise<void> {
    if (!this.settingsLoaded) {
      const stored = await (await datasetStore()).getSetting<SpaceSettings>(SETTINGS_KEY);
      this.settings = { ...DEFAULT_SPACE_SETTINGS, ...stored };
      this.settingsLoaded = true;
    }
    await this.run(true);
  }

  private async run(useCache: boolean): Promise<void> {
    const dataset = this.activeDataset;
    if (!dataset) return;
    this.controller?.abort();
    this.stopPlaying();
    const controller = new AbortController();
    this.controller = controller;
    const onProgress = (progress: Progress) => {
      if (this.controller === controller && this.state.kind === 'running') this.state = { ...this.state, progress };
    };
    this.state = { kind: 'running', step: 'layout', progress: null };
    try {
      const outcome = await computeSpaceLayout(dataset.id, this.modelRef, dataset.level, this.settings,
        { preferGpu: this.preferGpu, useCache }, controller.signal, onProgress);
      if (this.controller !== controller) return;
      if (outcome.kind === 'no-embeddings') {
        this.state = outcome;
        return;
      }
      await this.restoreSelection(outcome);
      this.time = null;
      this.trajectories = trajectoriesOf(outcome.layout);
      this.positionsKey = positionsHash(outcome.layout.positions);
      this.state = { kind: 'done', result: outcome };
    } catch (error) {
      this.fail(controller, error);
    }
  }

  /** The empty state's button: embeds the dataset with the app's model (as Explore does), then lays out. */
  private async embedThenRun(): Promise<void> {
    const dataset = this.activeDataset;
    if (!dataset) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.state = { kind: 'running', step: 'embed', progress: null };
    try {
      await ensureEmbeddings(dataset, { modelRef: this.modelRef, hubHost: this.hubHost, preferGpu: this.preferGpu }, controller.signal,
        (progress) => { if (this.controller === controller && this.state.kind === 'running') this.state = { ...this.state, progress }; });
      if (this.controller === controller) await this.run(true);
    } catch (error) {
      this.fail(controller, error);
    }
  }

  private fail(controller: AbortController, error: unknown): void {
    if (this.controller !== controller) return;
    this.state = isAbortError(error)
      ? { kind: 'idle' }
      : { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }

  private async restoreSelection(result: SpaceResult): Promise<void> {
    const selection = await loadSelection(this.activeDataset?.id ?? '');
    const known = new Set(result.layout.codes);
    this.mapCodes = selection.source === 'map' ? selection.codes.filter((c) => known.has(c)) : [];
    this.selected = selection.source === 'space' ? selection.codes.filter((c) => known.has(c)) : [];
    this.focusCode = this.selected.at(-1) ?? null;
  }

  private followSelection(selection: Selection): void {
    if (!this.activeDataset || selection.datasetId !== this.activeDataset.id || selection.source === 'space') return;
    this.mapCodes = selection.source === 'map' ? selection.codes : [];
    if (selection.source === 'none') {
      this.selected = [];
      this.focusCode = null;
    }
    this.applyHighlight();
  }

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
      }
      const layout = result.layout;
      this.trajectories = trajectoriesOf(layout);
      this.scene.setPoints({ codes: layout.codes, sections: layout.sections, counts: layout.counts, positions: layout.positions });
      this.applyTime();
      this.applyHighlight();
      this.sceneError = '';
    } catch (error) {
      this.sceneError = `The 3D view could not start (WebGL): ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private get layout(): SpaceLayout | null {
    return this.state.kind === 'done' ? this.state.result.layout : null;
  }

  private neighboursOf(code: string): { code: string; similarity: number; count: number; section: string }[] {
    const layout = this.layout;
    if (!layout) return [];
    const row = layout.codes.indexOf(code);
    if (row < 0) return [];
    const { k, indices, scores } = layout.neighbours;
    const out = [];
    for (let j = 0; j < k; j++) {
      const index = indices[row * k + j];
      if (index < 0) continue;
      out.push({ code: layout.codes[index], similarity: scores[row * k + j], count: layout.counts[index], section: layout.sections[index] });
    }
    return out;
  }

  /** Positions at the slider time (or the all-years layout), pushed to the scene and hashed. */
  private applyTime(): void {
    const layout = this.layout;
    if (!layout) return;
    let positions = layout.positions;
    let sizes: Float32Array | undefined;
    if (this.time !== null && this.trajectories.length > 0 && layout.windows.length > 0) {
      const t = this.time;
      positions = frameAt(this.trajectories, t);
      sizes = Float32Array.from(this.trajectories, (trajectory) => 0.45 + 0.55 * presenceAt(trajectory, t));
    } else {
      sizes = new Float32Array(layout.codes.length).fill(1);
    }
    this.positionsKey = positionsHash(positions);
    this.scene?.setPositions(positions, sizes);
    this.applyTrails();
  }

  private applyTrails(): void {
    const layout = this.layout;
    if (!this.scene || !layout) return;
    if (!this.trails || this.time === null) {
      this.scene.setTrails(null);
      return;
    }
    const t = this.time;
    const rows = new Set<number>();
    if (layout.codes.length <= TRAILS_ALL_MAX) layout.codes.forEach((_, i) => rows.add(i));
    else {
      for (const code of [...this.selected, ...(this.focusCode ? this.neighboursOf(this.focusCode).map((n) => n.code) : [])]) rows.add(layout.codes.indexOf(code));
      [...layout.counts.keys()].sort((a, b) => layout.counts[b] - layout.counts[a]).slice(0, 50).forEach((i) => rows.add(i));
    }
    const paths: Float32Array[] = [];
    for (const i of rows) {
      if (i < 0) continue;
      const trajectory = this.trajectories[i];
      const whole = Math.floor(t);
      const path = new Float32Array((whole + 2) * 3);
      path.set(trajectory.positions.subarray(0, (whole + 1) * 3));
      const end = frameAt([trajectory], t);
      path.set(end, (whole + 1) * 3);
      paths.push(path);
    }
    this.scene.setTrails(paths);
  }

  private applyHighlight(): void {
    const layout = this.layout;
    if (!this.scene || !layout) return;
    const index = new Map(layout.codes.map((c, i) => [c, i]));
    const of = (codes: readonly string[]) => codes.map((c) => index.get(c)).filter((i): i is number => i !== undefined);
    this.scene.setHighlight({
      selected: of(this.selected),
      focus: this.focusCode === null ? null : index.get(this.focusCode) ?? null,
      neighbours: this.focusCode === null ? [] : of(this.neighboursOf(this.focusCode).map((n) => n.code)),
      marked: new Set(of(this.mapCodes)),
    });
    if (this.trails) this.applyTrails();
  }

  /** Selects a code (or adds it, with Shift), flies to it, lists its nearest codes and shares the selection. */
  async selectCode(code: string, additive = false): Promise<void> {
    const layout = this.layout;
    const dataset = this.activeDataset;
    if (!layout || !dataset || !layout.codes.includes(code)) return;
    this.selected = additive ? [...this.selected.filter((c) => c !== code), code] : [code];
    this.focusCode = code;
    this.applyHighlight();
    const row = layout.codes.indexOf(code);
    this.scene?.flyTo(row);
    const codes = this.selected;
    const patentIds = await patentIdsOfCodes(dataset.id, layout.level, codes);
    await saveSelection({ datasetId: dataset.id, codes, patentIds, source: 'space' });
  }

  private async clearSelection(): Promise<void> {
    this.selected = [];
    this.focusCode = null;
    this.applyHighlight();
    if (this.activeDataset) await saveSelection({ datasetId: this.activeDataset.id, codes: [], patentIds: [], source: 'space' });
  }

  private async changeSettings(change: Partial<SpaceSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    await (await datasetStore()).setSetting(SETTINGS_KEY, this.settings);
    await this.run(true);
  }

  private setTime(value: number | null): void {
    this.time = value;
    this.applyTime();
  }

  private togglePlay(): void {
    if (this.playing) return this.stopPlaying();
    const layout = this.layout;
    if (!layout || layout.windows.length < 2) return;
    const last = layout.windows.length - 1;
    if (this.time === null || this.time >= last) this.setTime(0);
    this.playing = true;
    let previous = performance.now();
    const step = (now: number) => {
      if (!this.playing) return;
      const next = Math.min(last, (this.time ?? 0) + ((now - previous) / 1000) * PLAY_RATE);
      previous = now;
      this.setTime(next);
      if (next >= last) this.stopPlaying();
      else this.playHandle = requestAnimationFrame(step);
    };
    this.playHandle = requestAnimationFrame(step);
  }

  private stopPlaying(): void {
    this.playing = false;
    cancelAnimationFrame(this.playHandle);
  }

  private onSearch(event: KeyboardEvent | Event): void {
    if (event instanceof KeyboardEvent && event.key !== 'Enter') return;
    const input = event.target as HTMLInputElement;
    const layout = this.layout;
    if (!layout) return;
    const typed = input.value.trim().toUpperCase();
    const code = layout.codes.find((c) => c.toUpperCase() === typed);
    if (code) void this.selectCode(code, event instanceof KeyboardEvent && event.shiftKey);
  }

  private async exportPng(): Promise<void> {
    if (!this.scene) return;
    const blob = await this.scene.toPngBlob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `technology-space${this.focusCode ? `-${this.focusCode.replace(/\W+/g, '_')}` : ''}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private exportCsv(): void {
    const layout = this.layout;
    if (!layout) return;
    const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const lines = ['selected_code,selected_patents,rank,neighbour_code,neighbour_section,neighbour_patents,cosine_similarity'];
    for (const code of this.selected) {
      const count = layout.counts[layout.codes.indexOf(code)];
      this.neighboursOf(code).forEach((n, rank) => lines.push([quote(code), count, rank + 1, quote(n.code), n.section, n.count, n.similarity.toFixed(6)].join(',')));
    }
    downloadText('technology-space-selection.csv', `${lines.join('\n')}\n`, 'text/csv');
  }

  override render() {
    if (!this.activeDataset) return html`<p class="empty" id="space-status" data-state="empty">No dataset: import patent files first.</p>`;
    return html`${this.renderControls()}${this.renderState()}`;
  }

  private renderControls() {
    const s = this.settings;
    const busy = this.state.kind === 'running';
    const number = (id: string, label: string, value: number, min: number, max: number, key: keyof SpaceSettings) => html`
      <label>${label} <input id=${id} type="number" min=${min} max=${max} .value=${String(value)} ?disabled=${busy}
        @change=${(e: Event) => void this.changeSettings({ [key]: Number((e.target as HTMLInputElement).value) })}></label>`;
    return html`<div class="row">
      <label>Projection <select id="projection" ?disabled=${busy}
        @change=${(e: Event) => void this.changeSettings({ projection: (e.target as HTMLSelectElement).value === 'pca' ? 'pca' : 'umap' })}>
        <option value="umap" ?selected=${s.projection === 'umap'}>UMAP (3D, seeded)</option>
        <option value="pca" ?selected=${s.projection === 'pca'}>PCA</option>
      </select></label>
      ${number('seed', 'Seed', s.seed, 0, 2 ** 31 - 1, 'seed')}
      ${number('window-size', 'Window (years)', s.windowSize, 1, 100, 'windowSize')}
      ${number('window-step', 'Step', s.windowStep, 1, 100, 'windowStep')}
      ${number('neighbour-k', 'Nearest k', s.k, 1, 50, 'k')}
      <button id="recompute" ?disabled=${busy} @click=${() => void this.run(false)}>Recompute</button>
    </div>`;
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return html`<p class="muted" id="space-status" data-state="idle">Press “Recompute” to lay out the technology space.</p>`;
      case 'running':
        return html`<p class="muted" id="space-status" data-state="running">${state.step === 'embed' ? 'Embedding patents…' : 'Laying out the technology space…'}</p>
          <ps-progress .progress=${state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'no-embeddings':
        return html`<div class="empty" id="space-status" data-state="no-embeddings" role="status">
          <p>The ${state.patents} patents of “${this.activeDataset?.name}” have no embeddings with ${state.modelId} yet.
          Run <a href="#/explore">Explore</a> first, or embed them here (the same step, stored for every view).</p>
          <button id="embed-now" @click=${() => void this.embedThenRun()}>Embed patents now</button></div>`;
      case 'error':
        return html`<p role="alert" id="space-status" data-state="error">${state.message}</p>`;
      case 'done':
        return this.renderSpace(state.result);
    }
  }

  private renderSpace(result: SpaceResult) {
    const layout = result.layout;
    const backend = layout.backend.kind === 'webgpu' ? `WebGPU (${layout.backend.adapterName ?? 'adapter'})` : `CPU${layout.backend.fallbackReason ? ` (${layout.backend.fallbackReason})` : ''}`;
    const frames = layout.windows.length;
    const windowLabel = this.time === null ? 'All years' : layout.windows[Math.round(this.time)]?.label ?? '';
    const sections = new Map<string, number>();
    layout.sections.forEach((s) => sections.set(s, (sections.get(s) ?? 0) + 1));
    const neighbours = this.focusCode ? this.neighboursOf(this.focusCode) : [];
    const meanRms = layout.alignment.filter((a) => a.shared > 0);
    const rms = meanRms.length ? meanRms.reduce((sum, a) => sum + a.rmsAfter, 0) / meanRms.length : 0;
    return html`
      <p class="muted" id="space-status" data-state="done" data-instances=${this.scene?.instanceCount ?? layout.codes.length} data-codes=${layout.codes.length}
        data-selected=${this.focusCode ?? ''} data-positions-hash=${this.positionsKey} data-time=${this.time === null ? 'all' : this.time.toFixed(2)}
        data-frames=${frames} data-backend=${layout.backend.kind} data-projection=${layout.settings.projection} data-from-cache=${String(result.fromCache)}>
        ${layout.codes.length} codes (${layout.level.replace('_', ' ')}) from ${result.patents} patents · ${layout.settings.projection.toUpperCase()} seed ${layout.settings.seed}
        · ${frames} windows of ${layout.settings.windowSize} years every ${layout.settings.windowStep}, Procrustes-aligned (mean RMS to reference ${rms.toFixed(3)})
        · nearest codes on ${backend} · ${result.fromCache ? 'from cache' : `${Math.round(layout.timingsMs.total)} ms`}
        · PCA axes explain ${(layout.explainedVariance.view * 100).toFixed(0)} % (3D) / ${(layout.explainedVariance.frame * 100).toFixed(0)} % (alignment frame)</p>
      ${this.sceneError ? html`<p role="alert" id="scene-error">${this.sceneError}</p>` : ''}
      ${this.mapCodes.length > 0 ? html`<p class="muted" id="map-selection">${this.mapCodes.length} codes of the patents selected in the patent map are highlighted.</p>` : ''}
      <div class="row">
        <label>Find a code <input id="code-search" list="space-codes" placeholder="e.g. ${layout.codes[0] ?? ''}" autocomplete="off"
          @keydown=${(e: KeyboardEvent) => this.onSearch(e)} @change=${(e: Event) => this.onSearch(e)}></label>
        <datalist id="space-codes">${layout.codes.map((c, i) => html`<option value=${c}>${layout.counts[i]} patents</option>`)}</datalist>
        <button id="clear-selection" ?disabled=${this.selected.length === 0} @click=${() => void this.clearSelection()}>Clear selection</button>
        <button id="export-png" @click=${() => void this.exportPng()}>PNG</button>
        <button id="export-csv" ?disabled=${this.selected.length === 0} @click=${() => this.exportCsv()}>CSV (selection + nearest)</button>
      </div>
      <div class="row">
        <button id="play" ?disabled=${frames < 2} @click=${() => this.togglePlay()} aria-pressed=${String(this.playing)}>${this.playing ? 'Pause' : 'Play'}</button>
        <label>Time <input id="time-slider" type="range" min="0" max=${Math.max(0, frames - 1)} step="0.01"
          .value=${String(this.time ?? Math.max(0, frames - 1))} aria-valuetext=${windowLabel}
          @input=${(e: Event) => { this.stopPlaying(); this.setTime(Number((e.target as HTMLInputElement).value)); }}></label>
        <output id="time-label">${windowLabel}</output>
        <button id="all-years" ?disabled=${this.time === null} @click=${() => { this.stopPlaying(); this.setTime(null); }}>All years</button>
        <label><input id="trails" type="checkbox" .checked=${this.trails} @change=${(e: Event) => { this.trails = (e.target as HTMLInputElement).checked; this.applyTrails(); }}> Trails</label>
      </div>
      <div class="stage">
        <canvas id="space-canvas" tabindex="0" aria-label="3D technology space: drag or use the arrow keys to orbit, + and − to zoom, click a code to select it"></canvas>
        <div class="labels" id="space-labels"></div>
      </div>
      <div class="legend" id="legend">${[...sections].sort().map(([s, count]) => html`<span data-section=${s}>
        <span class="swatch" style="background:${LEGEND[s]?.[0] ?? '#7f7f7f'}"></span>${s} ${LEGEND[s]?.[1] ?? 'Other'} (${count})</span>`)}</div>
      <p class="muted">Point size: patents per code (square root). ${this.hovered ? html`Pointer on <strong>${this.hovered}</strong>.` : ''}</p>
      ${this.focusCode ? html`
        <h3>Nearest codes to ${this.focusCode}</h3>
        <table id="neighbours" aria-label="Nearest codes to ${this.focusCode}">
          <thead><tr><th>Rank</th><th>Code</th><th>Section</th><th>Cosine similarity</th><th>Patents</th></tr></thead>
          <tbody>${neighbours.map((n, rank) => html`<tr tabindex="0" data-code=${n.code}
            @click=${(e: MouseEvent) => void this.selectCode(n.code, e.shiftKey)}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') void this.selectCode(n.code, e.shiftKey); }}>
            <td class="num">${rank + 1}</td><td>${n.code}</td><td>${n.section}</td><td class="num">${n.similarity.toFixed(3)}</td><td class="num">${n.count}</td></tr>`)}</tbody>
        </table>` : html`<p class="muted">Click a code or find it by name to see its nearest codes.</p>`}
    `;
  }
}

customElements.define('ps-space-view', PsSpaceView);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-view': PsSpaceView }
}
