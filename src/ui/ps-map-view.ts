import { LitElement, css, html, type PropertyValues, nothing } from 'lit';
import { computeMapLayout, embeddingCount } from '../clients/map-client';
import { SELECTION_EVENT, loadSelection, saveSelection, selectionEvents, type Selection } from '../clients/selection-client';
import { datasetStore } from '../clients/store-client';
import { isAbortError } from '../core/abort';
import { codeAt } from '../core/codes';
import type { Progress } from '../core/progress';
import type { Patent } from '../core/types';
import { DEFAULT_MAP_SETTINGS, type MapLayout, type MapLayoutSettings } from '../engines/map-layout-engine';
import { ensureEmbeddings } from '../clients/pipeline';
import type { DatasetRecord } from '../store/records';
import { downloadText } from './download';
import { PointGrid, fitView, panBy, pointsInBox, pointsInPolygon, toLayout, toScreen, zoomAt, type MapViewport } from './map-geometry';
import { MapRenderer } from './map-renderer';
import {
  pointColours, pointStates, searchMatches, type ColourMode, type LegendEntry, type MapPoint,
} from './map-style';
import './ps-progress';

const SETTINGS_KEY = 'mapSettings';
const HOVER_RADIUS_PX = 8;
const KEY_PAN_PX = 60;
const KEY_ZOOM = 1.25;
const MAX_CODE_SUGGESTIONS = 300;

type MapPhase =
  | { kind: 'no-dataset' }
  | { kind: 'checking' }
  | { kind: 'empty' }
  | { kind: 'embedding'; progress: Progress | null }
  | { kind: 'running'; progress: Progress | null }
  | { kind: 'ready'; note: string }
  | { kind: 'error'; message: string };

type DragMode = 'pan' | 'box' | 'lasso';

type Gesture =
  | { kind: 'pan' | 'box' | 'lasso'; startX: number; startY: number; lastX: number; lastY: number; path: Array<[number, number]>; moved: boolean }
  | { kind: 'pinch'; distance: number; midX: number; midY: number };

interface StoredMapSettings {
  layout: MapLayoutSettings;
  colour: ColourMode;
}

/**
 * The 2D patent map: each patent a point, placed by UMAP of its stored vector (PCA first, at
 * once), drawn by WebGL2 in one call. Pan, zoom, hover card, box and lasso selection shared with
 * the technology space through the persisted selection; colour by year, section, topic or code;
 * search; topic labels; PNG and CSV export.
 * @fires nothing: the selection travels through src/clients/selection-client.ts.
 */
export class PsMapView extends LitElement {
  static override properties = {
    activeDataset: { attribute: false }, preferGpu: { attribute: false }, modelRef: { attribute: false }, hubHost: { attribute: false },
    vectorsRevision: { attribute: false },
    phase: { state: true }, layout: { state: true }, settings: { state: true }, colourMode: { state: true }, code: { state: true },
    query: { state: true }, dragMode: { state: true }, onlySelection: { state: true }, hover: { state: true },
    selectionInfo: { state: true }, legend: { state: true }, matchCount: { state: true }, webglError: { state: true },
  };
  declare activeDataset: DatasetRecord | null;
  /** Rises whenever the app has stored new patent vectors (e.g. the start-up run finished). */
  declare vectorsRevision: number;
  declare preferGpu: boolean;
  declare modelRef: string;
  declare hubHost: string | undefined;
  declare phase: MapPhase;
  /** The layout on screen (PCA while UMAP runs). */
  declare layout: MapLayout | null;
  declare settings: MapLayoutSettings;
  declare colourMode: ColourMode;
  declare code: string;
  declare query: string;
  declare dragMode: DragMode;
  declare onlySelection: boolean;
  declare hover: { index: number; x: number; y: number } | null;
  declare selectionInfo: { size: number; source: Selection['source']; codes: number };
  declare legend: LegendEntry[];
  declare matchCount: number | null;
  declare webglError: string;

  private controller: AbortController | null = null;
  private renderer: MapRenderer | null = null;
  private viewport: MapViewport = { cx: 0, cy: 0, scale: 1, width: 1, height: 1 };
  private fitScale = 1;
  private grid: PointGrid | null = null;
  private points: MapPoint[] = [];
  private patentsById = new Map<string, Patent>();
  private patentsOf = '';
  private codeSuggestions: string[] = [];
  private selected = new Uint8Array(0);
  private selectionSize = 0;
  private searchHits: Uint8Array | null = null;
  private storedSelection: Selection | null = null;
  private loadedFor = '';
  private frame = 0;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private gesture: Gesture | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private lastDrawMs = 0;
  /** Layout requests so far (data-run), so a test can wait for the next one. */
  private runs = 0;
  /** The canvas whose listeners are attached (once, even across reconnects). */
  private wired: HTMLCanvasElement | null = null;

  private readonly onSelection = (event: Event) => {
    const selection = (event as CustomEvent<Selection>).detail;
    if (selection.datasetId !== this.activeDataset?.id || selection.source === 'map') return;
    this.storedSelection = selection;
    this.applySelection(selection);
  };

  constructor() {
    super();
    this.activeDataset = null;
    this.vectorsRevision = 0;
    this.preferGpu = true;
    this.modelRef = '';
    this.hubHost = undefined;
    this.phase = { kind: 'no-dataset' };
    this.layout = null;
    this.settings = { ...DEFAULT_MAP_SETTINGS };
    this.colourMode = 'topic';
    this.code = '';
    this.query = '';
    this.dragMode = 'pan';
    this.onlySelection = false;
    this.hover = null;
    this.selectionInfo = { size: 0, source: 'none', codes: 0 };
    this.legend = [];
    this.matchCount = null;
    this.webglError = '';
  }

  static override styles = css`
    :host { display: block; }
    .row { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin: 0.4rem 0; }
    .row input[type='number'] { width: 4.5rem; }
    .muted { color: #666; font-size: 0.9rem; }
    .stage { position: relative; height: min(70vh, 40rem); min-height: 18rem; border: 1px solid #ccc; border-radius: 4px; overflow: hidden; background: #fff; touch-action: none; }
    .stage.hidden { display: none; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; cursor: grab; outline: none; }
    canvas:focus-visible { box-shadow: inset 0 0 0 3px #3b82f6; }
    canvas.box, canvas.lasso { cursor: crosshair; }
    .labels { position: absolute; inset: 0; pointer-events: none; overflow: hidden; }
    .topic { position: absolute; left: 0; top: 0; white-space: nowrap; font-weight: 600; color: #222;
      text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; will-change: transform; }
    svg.overlay { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
    svg.overlay path { fill: rgba(59, 130, 246, 0.12); stroke: #3b82f6; stroke-width: 1.5; stroke-dasharray: 4 3; }
    .card { position: absolute; max-width: 22rem; background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 0.35rem 0.5rem;
      box-shadow: 0 2px 8px rgba(0, 0, 0, 0.15); font-size: 0.85rem; pointer-events: none; }
    .card .meta { color: #555; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; font-size: 0.8rem; margin: 0.3rem 0; max-height: 4.5rem; overflow: auto; }
    .legend span::before { content: ''; display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--c); margin-right: 0.25rem; vertical-align: -0.05rem; }
    .notice { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.5rem 0.75rem; border-radius: 4px; margin: 0.5rem 0; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    selectionEvents.addEventListener(SELECTION_EVENT, this.onSelection);
    // Moved in the page (disconnected, then connected again): set the canvas up and load again.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    selectionEvents.removeEventListener(SELECTION_EVENT, this.onSelection);
    this.controller?.abort();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.renderer?.destroy();
    this.renderer = null;
    this.loadedFor = '';
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Opened while the start-up run was still embedding: look again once the vectors are stored.
    if (changed.has('vectorsRevision') && this.phase.kind === 'empty') void this.start();
  }

  override updated(): void {
    this.attachCanvas();
    const key = this.activeDataset ? `${this.activeDataset.id}\u0000${this.modelRef}` : '';
    if (key !== this.loadedFor) {
      this.loadedFor = key;
      void this.start();
    }
    this.scheduleDraw();
  }

  /** The canvas exists once there is a dataset (not on a first render without one): set it up once. */
  private attachCanvas(): void {
    const canvas = this.canvas;
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!canvas || !stage || this.resizeObserver) return;
    try {
      this.renderer = new MapRenderer(canvas);
      if (this.layout) {
        this.renderer.setPositions(this.layout.coordinates);
        this.restyle();
      }
    } catch (error) {
      this.webglError = error instanceof Error ? error.message : String(error);
    }
    if (this.wired !== canvas) {
      this.wired = canvas;
      canvas.addEventListener('webglcontextlost', (event) => event.preventDefault());
      canvas.addEventListener('webglcontextrestored', () => { this.renderer?.init(); this.scheduleDraw(); });
      // Not through the template: a wheel listener must be non-passive to stop the page scrolling.
      canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    }
    this.resizeObserver = new ResizeObserver(() => this.onResize());
    this.resizeObserver.observe(stage);
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector<HTMLCanvasElement>('canvas');
  }

  // ---- data ----

  private async start(): Promise<void> {
    this.controller?.abort();
    this.layout = null;
    this.hover = null;
    const dataset = this.activeDataset;
    if (!dataset) {
      this.phase = { kind: 'no-dataset' };
      return;
    }
    const stored = await (await datasetStore()).getSetting<StoredMapSettings>(SETTINGS_KEY);
    if (stored) {
      this.settings = { ...DEFAULT_MAP_SETTINGS, ...stored.layout };
      this.colourMode = stored.colour;
    }
    await this.compute(false);
  }

  /** Checks for vectors, then shows PCA at once and UMAP when it is ready. */
  private async compute(fresh: boolean): Promise<void> {
    const dataset = this.activeDataset;
    if (!dataset) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const current = () => this.controller === controller;
    this.runs++;
    this.phase = { kind: 'checking' };
    try {
      const count = await embeddingCount(dataset.id, this.modelRef);
      if (!current()) return;
      if (count === 0) {
        this.phase = { kind: 'empty' };
        return;
      }
      await this.loadPatents(dataset);
      this.storedSelection = await loadSelection(dataset.id);
      if (!current()) return;
      this.phase = { kind: 'running', progress: null };
      const layout = await computeMapLayout(
        dataset.id, this.modelRef, this.settings, { preferGpu: this.preferGpu, fresh }, controller.signal,
        (progress) => { if (current() && this.phase.kind === 'running') this.phase = { kind: 'running', progress }; },
        (preview) => { if (current()) this.show(preview); },
      );
      if (!current()) return;
      this.show(layout);
      this.phase = { kind: 'ready', note: '' };
    } catch (error) {
      if (!current()) return;
      if (isAbortError(error)) {
        this.phase = { kind: 'ready', note: this.layout ? `UMAP cancelled: showing ${this.layout.method.toUpperCase()}.` : 'Cancelled.' };
      } else if (error instanceof Error && error.name === 'NoEmbeddingsError') {
        this.phase = { kind: 'empty' };
      } else {
        this.phase = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    }
  }

  private async embedNow(): Promise<void> {
    const dataset = this.activeDataset;
    if (!dataset) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.phase = { kind: 'embedding', progress: null };
    try {
      await ensureEmbeddings(dataset, { modelRef: this.modelRef, hubHost: this.hubHost, preferGpu: this.preferGpu }, controller.signal,
        (progress) => { if (this.controller === controller) this.phase = { kind: 'embedding', progress }; });
      if (this.controller === controller) await this.compute(false);
    } catch (error) {
      if (this.controller !== controller) return;
      this.phase = isAbortError(error) ? { kind: 'empty' } : { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async loadPatents(dataset: DatasetRecord): Promise<void> {
    if (this.patentsOf === dataset.id) return;
    const patents = await (await datasetStore()).getPatents(dataset.id);
    this.patentsById = new Map(patents.map((p) => [p.id, p]));
    this.patentsOf = dataset.id;
    const counts = new Map<string, number>();
    for (const p of patents) {
      for (const code of new Set(p.codes.map((c) => codeAt(dataset.level, c)).filter((c): c is string => c !== null))) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    this.codeSuggestions = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CODE_SUGGESTIONS).map(([c]) => c);
  }

  private show(layout: MapLayout): void {
    const previous = this.layout;
    this.layout = layout;
    const n = layout.ids.length;
    this.points = layout.ids.map((id) => {
      const p = this.patentsById.get(id);
      const codes = p?.codes ?? [];
      return {
        id, title: p?.title ?? id, year: p?.year ?? Number.NaN, codes,
        haystack: `${id} ${p?.title ?? ''} ${p?.abstract ?? ''} ${codes.join(' ')}`.toLowerCase(),
      };
    });
    this.grid = new PointGrid(layout.coordinates, n);
    this.selected = new Uint8Array(n);
    this.selectionSize = 0;
    this.searchHits = searchMatches(this.points, this.query);
    this.renderer?.setPositions(layout.coordinates);
    if (!previous || previous.hash !== layout.hash) this.fit();
    if (this.storedSelection) this.applySelection(this.storedSelection);
    else this.restyle();
  }

  // ---- selection ----

  /** Shows a stored or incoming selection: its patents, or the patents of its codes. */
  private applySelection(selection: Selection): void {
    const layout = this.layout;
    const dataset = this.activeDataset;
    if (!layout || !dataset) return;
    this.selected = new Uint8Array(layout.ids.length);
    if (selection.patentIds.length > 0) {
      const wanted = new Set(selection.patentIds);
      layout.ids.forEach((id, i) => { if (wanted.has(id)) this.selected[i] = 1; });
    } else if (selection.codes.length > 0) {
      const codes = new Set(selection.codes);
      this.points.forEach((p, i) => { if (p.codes.some((c) => { const at = codeAt(dataset.level, c); return at !== null && codes.has(at); })) this.selected[i] = 1; });
    }
    this.selectionSize = this.selected.reduce((s, v) => s + v, 0);
    this.selectionInfo = { size: this.selectionSize, source: this.selectionSize > 0 ? selection.source : 'none', codes: selection.codes.length };
    this.restyle();
  }

  /** A selection made on the map: shown and saved for the technology space and the next visit. */
  private async selectIndices(indices: number[], add: boolean): Promise<void> {
    const layout = this.layout;
    const dataset = this.activeDataset;
    if (!layout || !dataset) return;
    const selected = add ? this.selected.slice() : new Uint8Array(layout.ids.length);
    for (const i of indices) selected[i] = 1;
    const patentIds: string[] = [];
    const codes = new Set<string>();
    selected.forEach((flag, i) => {
      if (!flag) return;
      patentIds.push(layout.ids[i]);
      for (const c of this.points[i].codes) { const at = codeAt(dataset.level, c); if (at) codes.add(at); }
    });
    const selection: Selection = patentIds.length > 0
      ? { datasetId: dataset.id, source: 'map', patentIds, codes: [...codes].sort() }
      : { datasetId: dataset.id, source: 'none', patentIds: [], codes: [] };
    this.storedSelection = selection;
    this.applySelection(selection);
    await saveSelection(selection);
  }

  private clearSelection(): Promise<void> {
    return this.selectIndices([], false);
  }

  // ---- styling and drawing ----

  private restyle(): void {
    const layout = this.layout;
    if (!layout) return;
    const topicLabels = new Map(layout.topics.map((t) => [t.cluster, t.label]));
    const { colours, legend } = pointColours(this.colourMode, this.points, layout.clusters, { code: this.code, topicLabels });
    const states = pointStates(layout.ids.length, { selected: this.selected, selectionSize: this.selectionSize, matches: this.searchHits, onlySelection: this.onlySelection });
    this.renderer?.setStyle(colours, states);
    this.legend = legend;
    this.matchCount = this.searchHits ? this.searchHits.reduce((s, v) => s + v, 0) : null;
    this.scheduleDraw();
  }

  private fit(): void {
    const layout = this.layout;
    if (!layout) return;
    const { width, height } = this.viewport;
    this.viewport = fitView(layout.coordinates, layout.ids.length, width, height);
    this.fitScale = this.viewport.scale;
  }

  private onResize(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!stage) return;
    const width = stage.clientWidth, height = stage.clientHeight;
    if (width === 0 || height === 0) return;
    const wasEmpty = this.viewport.width <= 1;
    this.viewport = { ...this.viewport, width, height };
    if (wasEmpty) this.fit();
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  private pointSize(): number {
    const n = this.layout?.ids.length ?? 1;
    const base = Math.min(6, Math.max(2.5, 7.5 - 1.2 * Math.log10(Math.max(10, n))));
    return base * Math.min(3, Math.max(1, Math.sqrt(this.viewport.scale / this.fitScale)));
  }

  private drawNow(): void {
    const canvas = this.canvas;
    if (!this.renderer || !this.layout || !canvas || this.viewport.width <= 1) return;
    const stats = this.renderer.draw(this.viewport, Math.min(2, window.devicePixelRatio || 1), this.pointSize());
    this.lastDrawMs = stats.submitMs;
    canvas.dataset.drawn = String(stats.points);
    canvas.dataset.drawMs = stats.submitMs.toFixed(2);
    this.placeLabels();
  }

  /** Positions the topic labels; the larger topic wins where two labels would overlap. */
  private placeLabels(): void {
    const layout = this.layout;
    if (!layout) return;
    const zoom = Math.min(2.2, Math.max(0.8, Math.sqrt(this.viewport.scale / this.fitScale)));
    const byCluster = new Map(layout.topics.map((t) => [t.cluster, t]));
    const elements = [...this.renderRoot.querySelectorAll<HTMLElement>('.topic')]
      .map((element) => ({ element, topic: byCluster.get(Number(element.dataset.cluster)) }))
      .sort((a, b) => (b.topic?.size ?? 0) - (a.topic?.size ?? 0));
    const placed: Array<[number, number, number, number]> = [];
    for (const { element, topic } of elements) {
      if (!topic) continue;
      const [sx, sy] = toScreen(this.viewport, topic.x, topic.y);
      const fontSize = (11 + Math.min(4, Math.log2(1 + topic.size / 50))) * zoom;
      // Text width estimated from its length: measuring would force a layout per label per frame.
      const halfWidth = topic.label.length * fontSize * 0.28;
      const halfHeight = fontSize * 0.65;
      const box: [number, number, number, number] = [sx - halfWidth, sy - halfHeight, sx + halfWidth, sy + halfHeight];
      const onScreen = box[2] > 0 && box[3] > 0 && box[0] < this.viewport.width && box[1] < this.viewport.height;
      const free = placed.every(([x0, y0, x1, y1]) => box[2] < x0 || box[0] > x1 || box[3] < y0 || box[1] > y1);
      element.style.display = onScreen && free ? '' : 'none';
      if (!onScreen || !free) continue;
      placed.push(box);
      element.style.fontSize = `${fontSize.toFixed(1)}px`;
      element.style.transform = `translate(${sx.toFixed(1)}px, ${sy.toFixed(1)}px) translate(-50%, -50%)`;
    }
  }

  // ---- interaction ----

  private screenPoint(event: PointerEvent | WheelEvent): [number, number] {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  private onPointerDown(event: PointerEvent): void {
    const canvas = event.currentTarget as HTMLCanvasElement;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = this.screenPoint(event);
    this.pointers.set(event.pointerId, { x, y });
    this.hover = null;
    if (this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      this.gesture = { kind: 'pinch', distance: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
      this.setOverlayPath('');
      return;
    }
    const kind: DragMode = event.shiftKey ? 'box' : event.altKey ? 'lasso' : this.dragMode;
    this.gesture = { kind, startX: x, startY: y, lastX: x, lastY: y, path: [[x, y]], moved: false };
  }

  private onPointerMove(event: PointerEvent): void {
    const [x, y] = this.screenPoint(event);
    const gesture = this.gesture;
    if (!gesture) {
      this.pick(x, y);
      return;
    }
    if (this.pointers.has(event.pointerId)) this.pointers.set(event.pointerId, { x, y });
    if (gesture.kind === 'pinch') {
      const [a, b] = [...this.pointers.values()];
      if (!a || !b) return;
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const midX = (a.x + b.x) / 2, midY = (a.y + b.y) / 2;
      this.viewport = panBy(this.viewport, midX - gesture.midX, midY - gesture.midY);
      this.zoom(distance / Math.max(1, gesture.distance), midX, midY);
      this.gesture = { kind: 'pinch', distance, midX, midY };
      return;
    }
    if (Math.hypot(x - gesture.startX, y - gesture.startY) > 3) gesture.moved = true;
    if (gesture.kind === 'pan') {
      this.viewport = panBy(this.viewport, x - gesture.lastX, y - gesture.lastY);
      this.scheduleDraw();
    } else if (gesture.kind === 'box') {
      const [x0, y0] = [Math.min(x, gesture.startX), Math.min(y, gesture.startY)];
      const [x1, y1] = [Math.max(x, gesture.startX), Math.max(y, gesture.startY)];
      this.setOverlayPath(`M${x0},${y0}H${x1}V${y1}H${x0}Z`);
    } else {
      const [px, py] = gesture.path[gesture.path.length - 1];
      if (Math.hypot(x - px, y - py) > 2) gesture.path.push([x, y]);
      this.setOverlayPath(`M${gesture.path.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join('L')}Z`);
    }
    gesture.lastX = x;
    gesture.lastY = y;
  }

  private onPointerUp(event: PointerEvent): void {
    const gesture = this.gesture;
    this.pointers.delete(event.pointerId);
    if (!gesture) return;
    if (gesture.kind === 'pinch') {
      if (this.pointers.size === 0) this.gesture = null;
      return;
    }
    this.gesture = null;
    this.setOverlayPath('');
    const layout = this.layout;
    if (!layout || event.type === 'pointercancel') return;
    const n = layout.ids.length;
    const add = event.ctrlKey || event.metaKey;
    if (gesture.kind === 'box' && gesture.moved) {
      const [ax, ay] = toLayout(this.viewport, gesture.startX, gesture.startY);
      const [bx, by] = toLayout(this.viewport, gesture.lastX, gesture.lastY);
      void this.selectIndices(this.visible(pointsInBox(layout.coordinates, n, ax, ay, bx, by)), add);
    } else if (gesture.kind === 'lasso' && gesture.moved && gesture.path.length >= 3) {
      const polygon = gesture.path.map(([sx, sy]) => toLayout(this.viewport, sx, sy));
      void this.selectIndices(this.visible(pointsInPolygon(layout.coordinates, n, polygon)), add);
    } else if (!gesture.moved) {
      // A click on a point selects that patent (ctrl/cmd adds it).
      const index = this.nearestVisible(gesture.startX, gesture.startY);
      if (index >= 0) void this.selectIndices([index], add);
    }
  }

  /** Hidden points (outside the selection, with "only the selection") cannot be picked. */
  private visible(indices: number[]): number[] {
    return this.onlySelection && this.selectionSize > 0 ? indices.filter((i) => this.selected[i]) : indices;
  }

  private nearestVisible(sx: number, sy: number): number {
    if (!this.grid) return -1;
    const [x, y] = toLayout(this.viewport, sx, sy);
    const hideOthers = this.onlySelection && this.selectionSize > 0;
    return this.grid.nearest(x, y, HOVER_RADIUS_PX / this.viewport.scale, (i) => !hideOthers || this.selected[i] === 1);
  }

  private pick(sx: number, sy: number): void {
    const index = this.nearestVisible(sx, sy);
    this.hover = index >= 0 ? { index, x: sx, y: sy } : null;
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const [x, y] = this.screenPoint(event);
    const unit = event.deltaMode === 1 ? 0.05 : event.deltaMode === 2 ? 1 : 0.0015;
    // Trackpad pinch arrives as a ctrl+wheel with small deltas: zoom faster for it.
    this.zoom(Math.exp(-event.deltaY * unit * (event.ctrlKey ? 4 : 1)), x, y);
  }

  private zoom(factor: number, sx: number, sy: number): void {
    this.viewport = zoomAt(this.viewport, factor, sx, sy, { min: this.fitScale * 0.2, max: this.fitScale * 500 });
    this.hover = null;
    this.scheduleDraw();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { width, height } = this.viewport;
    switch (event.key) {
      case 'ArrowLeft': this.viewport = panBy(this.viewport, KEY_PAN_PX, 0); break;
      case 'ArrowRight': this.viewport = panBy(this.viewport, -KEY_PAN_PX, 0); break;
      case 'ArrowUp': this.viewport = panBy(this.viewport, 0, KEY_PAN_PX); break;
      case 'ArrowDown': this.viewport = panBy(this.viewport, 0, -KEY_PAN_PX); break;
      case '+': case '=': this.zoom(KEY_ZOOM, width / 2, height / 2); break;
      case '-': case '_': this.zoom(1 / KEY_ZOOM, width / 2, height / 2); break;
      case '0': this.fit(); break;
      case 'Escape': void this.clearSelection(); break;
      default: return;
    }
    event.preventDefault();
    this.scheduleDraw();
  }

  private setOverlayPath(d: string): void {
    this.renderRoot.querySelector('svg.overlay path')?.setAttribute('d', d);
  }

  // ---- settings ----

  private async changeSettings(change: Partial<MapLayoutSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    await this.saveSettings();
    await this.compute(false);
  }

  private async saveSettings(): Promise<void> {
    await (await datasetStore()).setSetting<StoredMapSettings>(SETTINGS_KEY, { layout: this.settings, colour: this.colourMode });
  }

  private setColourMode(mode: ColourMode): void {
    this.colourMode = mode;
    void this.saveSettings();
    this.restyle();
  }

  private setQuery(query: string): void {
    this.query = query;
    this.searchHits = searchMatches(this.points, query);
    this.restyle();
  }

  // ---- export ----

  private async exportPng(): Promise<void> {
    const canvas = this.canvas;
    const layout = this.layout;
    if (!canvas || !layout) return;
    this.drawNow();
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const context = out.getContext('2d');
    if (!context) return;
    context.drawImage(canvas, 0, 0);
    // Topic labels are HTML over the canvas: paint them into the image as they appear.
    const ratio = canvas.width / Math.max(1, this.viewport.width);
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    for (const element of this.renderRoot.querySelectorAll<HTMLElement>('.topic')) {
      const topic = layout.topics.find((t) => t.cluster === Number(element.dataset.cluster));
      if (!topic || element.style.display === 'none') continue;
      const [sx, sy] = toScreen(this.viewport, topic.x, topic.y);
      context.font = `600 ${Number.parseFloat(element.style.fontSize || '12') * ratio}px system-ui, sans-serif`;
      context.lineWidth = 3 * ratio;
      context.strokeStyle = '#fff';
      context.strokeText(topic.label, sx * ratio, sy * ratio);
      context.fillStyle = '#222';
      context.fillText(topic.label, sx * ratio, sy * ratio);
    }
    const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `patent-map-${layout.method}-seed${layout.settings.seed}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private exportCsv(): void {
    const layout = this.layout;
    if (!layout) return;
    const topicOf = new Map(layout.topics.map((t) => [t.cluster, t.label]));
    const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const lines = ['patent,title,year,codes,topic,x,y'];
    this.selected.forEach((flag, i) => {
      if (!flag) return;
      const p = this.points[i];
      lines.push([quote(p.id), quote(p.title), Number.isFinite(p.year) ? p.year : '', quote(p.codes.join('; ')), quote(topicOf.get(layout.clusters[i]) ?? ''),
        layout.coordinates[i * 2].toFixed(5), layout.coordinates[i * 2 + 1].toFixed(5)].join(','));
    });
    downloadText(`patent-map-selection-${this.selectionSize}.csv`, `${lines.join('\n')}\n`, 'text/csv');
  }

  // ---- rendering ----

  override render() {
    if (!this.activeDataset) return html`<p>No dataset: import patent files first.</p>`;
    const layout = this.layout;
    return html`
      ${this.renderControls()}
      ${this.renderPhase()}
      ${this.webglError ? html`<p role="alert" class="notice">${this.webglError}</p>` : nothing}
      <div class="legend" id="map-legend">${this.legend.map((l) => html`<span style="--c:${l.colour}">${l.label}</span>`)}</div>
      <div class="stage ${layout ? '' : 'hidden'}">
        <canvas id="map-canvas" tabindex="0" role="img" class=${this.dragMode}
          aria-label="Patent map: drag to pan, wheel or pinch to zoom, shift-drag to select a box, alt-drag to draw a lasso; arrow keys pan, plus and minus zoom, 0 fits, Escape clears the selection"
          @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove} @pointerup=${this.onPointerUp} @pointercancel=${this.onPointerUp}
          @pointerleave=${() => { if (!this.gesture) this.hover = null; }} @keydown=${this.onKeyDown}></canvas>
        <div class="labels" aria-hidden="true">${(layout?.topics ?? []).map((t) => html`<div class="topic" data-cluster=${t.cluster} title=${`${t.size} patents`}>${t.label}</div>`)}</div>
        <svg class="overlay" aria-hidden="true"><path d=""></path></svg>
        ${this.renderHoverCard()}
      </div>
      <p class="muted">Drag to pan · wheel or pinch to zoom · shift-drag: box · alt-drag: lasso · ctrl adds · click a point to select it ·
        keys: arrows, + / −, 0 fits, Esc clears.</p>
    `;
  }

  private renderControls() {
    const s = this.settings;
    const busy = this.phase.kind === 'running' || this.phase.kind === 'checking' || this.phase.kind === 'embedding';
    const number = (e: Event) => Number((e.target as HTMLInputElement).value);
    return html`
      <div class="row">
        <label>Colour by <select id="map-colour" @change=${(e: Event) => this.setColourMode((e.target as HTMLSelectElement).value as ColourMode)}>
          ${(['topic', 'year', 'section', 'code'] as const).map((m) => html`<option value=${m} ?selected=${m === this.colourMode}>${m}</option>`)}
        </select></label>
        ${this.colourMode === 'code' ? html`<label>Code <input id="map-code" list="map-codes" .value=${this.code} placeholder="e.g. H01M"
          @change=${(e: Event) => { this.code = (e.target as HTMLInputElement).value; this.restyle(); }}></label>
          <datalist id="map-codes">${this.codeSuggestions.map((c) => html`<option value=${c}></option>`)}</datalist>` : nothing}
        <label>Search <input id="map-search" type="search" .value=${this.query} placeholder="words in title or abstract"
          @input=${(e: Event) => this.setQuery((e.target as HTMLInputElement).value)}></label>
        ${this.matchCount !== null ? html`<span id="map-matches" data-count=${this.matchCount}>${this.matchCount} match${this.matchCount === 1 ? '' : 'es'}</span>` : nothing}
        <label>Drag <select id="map-drag" @change=${(e: Event) => (this.dragMode = (e.target as HTMLSelectElement).value as DragMode)}>
          ${(['pan', 'box', 'lasso'] as const).map((m) => html`<option value=${m} ?selected=${m === this.dragMode}>${m}</option>`)}
        </select></label>
      </div>
      <div class="row">
        <label>Layout <select id="map-method" ?disabled=${busy} @change=${(e: Event) => void this.changeSettings({ method: (e.target as HTMLSelectElement).value as MapLayoutSettings['method'] })}>
          <option value="umap" ?selected=${s.method === 'umap'}>UMAP</option>
          <option value="pca" ?selected=${s.method === 'pca'}>PCA only</option>
        </select></label>
        <label>Seed <input id="map-seed" type="number" min="0" step="1" .value=${String(s.seed)} ?disabled=${busy}
          @change=${(e: Event) => void this.changeSettings({ seed: Math.max(0, Math.trunc(number(e))) })}></label>
        <label>Neighbours <input id="map-neighbours" type="number" min="2" max="100" step="1" .value=${String(s.neighbours)} ?disabled=${busy || s.method === 'pca'}
          @change=${(e: Event) => void this.changeSettings({ neighbours: Math.min(100, Math.max(2, Math.round(number(e)))) })}></label>
        <label>Min dist <input id="map-min-dist" type="number" min="0" max="0.99" step="0.05" .value=${String(s.minDist)} ?disabled=${busy || s.method === 'pca'}
          @change=${(e: Event) => void this.changeSettings({ minDist: Math.min(0.99, Math.max(0, number(e))) })}></label>
        <button id="map-recompute" ?disabled=${busy} @click=${() => void this.compute(true)} title="Compute again, ignoring the stored layout">Recompute</button>
        <button id="map-png" ?disabled=${!this.layout} @click=${() => void this.exportPng()}>Export PNG</button>
        <button id="map-csv" ?disabled=${this.selectionSize === 0} @click=${() => this.exportCsv()}>Selection CSV</button>
        <button id="map-clear" ?disabled=${this.selectionSize === 0} @click=${() => void this.clearSelection()}>Clear selection</button>
        <label><input id="map-only" type="checkbox" .checked=${this.onlySelection}
          @change=${(e: Event) => { this.onlySelection = (e.target as HTMLInputElement).checked; this.restyle(); }}> Only the selection</label>
      </div>
    `;
  }

  private renderPhase() {
    const phase = this.phase;
    const layout = this.layout;
    const selection = this.selectionInfo;
    const selectionText = selection.size > 0
      ? html` · <strong id="map-selection" data-source=${selection.source}>${selection.size} selected</strong>${selection.source === 'space' ? ` (from the technology space, ${selection.codes} codes)` : ''}`
      : nothing;
    const describe = (l: MapLayout) => {
      const what = l.method === 'umap'
        ? `UMAP 2D (seed ${l.settings.seed}, ${l.settings.neighbours} neighbours, min dist ${l.settings.minDist})`
        : `PCA 2D (seed ${l.settings.seed})`;
      const knn = l.knn
        ? ` · k-NN ${l.knn.source === 'webgpu' ? `on WebGPU (${l.knn.adapterName ?? 'GPU'})` : `on the CPU (${l.knn.source === 'cpu-exact' ? 'exact' : 'approximate'})`}`
        : '';
      const time = l.cached ? ' · stored layout' : ` · computed in ${(l.timingsMs.total / 1000).toFixed(1)} s`;
      return `${what} of ${l.ids.length} patents${knn} · ${l.topics.length} topics${time}`;
    };
    const status = (state: string, text: unknown) => html`<p id="map-status" data-state=${state} data-layout=${layout?.method ?? ''}
      data-points=${layout?.ids.length ?? 0} data-hash=${layout?.hash ?? ''} data-knn=${layout?.knn?.source ?? ''} data-cached=${String(layout?.cached ?? false)}
      data-topics=${layout?.topics.length ?? 0} data-selected=${this.selectionSize} data-highlighted=${this.matchCount ?? ''} data-draw-ms=${this.lastDrawMs.toFixed(2)} data-run=${this.runs}>${text}</p>`;
    switch (phase.kind) {
      case 'no-dataset':
        return status('no-dataset', 'No dataset.');
      case 'checking':
        return status('checking', 'Reading the stored patent vectors…');
      case 'empty':
        return html`${status('empty', html`“${this.activeDataset?.name}” has no patent vectors of ${this.modelRef} yet, so there is nothing to place on the map.`)}
          <p>The Explore run embeds the patents (it starts when the app opens; wait for it to finish and come back), or embed them here:
          <button id="map-embed" @click=${() => void this.embedNow()}>Embed patents now</button></p>`;
      case 'embedding':
        return html`${status('embedding', 'Embedding the patents…')}
          <ps-progress .progress=${phase.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'running':
        return html`${status(layout ? 'preview' : 'running', layout
          ? html`Showing: ${describe(layout)}. ${this.settings.method === 'umap' ? 'Computing UMAP…' : ''}${selectionText}`
          : 'Computing PCA…')}
          <ps-progress .progress=${phase.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'ready':
        return html`${status('done', layout ? html`Showing: ${describe(layout)}${selectionText}` : 'Nothing to show.')}
          ${phase.note ? html`<p class="notice" id="map-note">${phase.note} <button @click=${() => void this.compute(false)}>Compute UMAP</button></p>` : nothing}
          ${layout?.knn?.fallbackReason && layout.knn.source !== 'webgpu' ? html`<p class="muted" id="map-knn-note">k-NN on the CPU: ${layout.knn.fallbackReason}</p>` : nothing}`;
      case 'error':
        return status('error', html`<span role="alert">${phase.message}</span>`);
    }
  }

  private renderHoverCard() {
    const hover = this.hover;
    if (!hover || !this.layout) return nothing;
    const p = this.points[hover.index];
    if (!p) return nothing;
    const topic = this.layout.topics.find((t) => t.cluster === this.layout?.clusters[hover.index]);
    const left = Math.min(hover.x + 14, Math.max(0, this.viewport.width - 300));
    const top = hover.y + 14 > this.viewport.height - 90 ? Math.max(0, hover.y - 90) : hover.y + 14;
    return html`<div class="card" id="map-card" style="left:${left}px;top:${top}px" data-patent=${p.id}>
      <div><strong>${p.title}</strong></div>
      <div class="meta">${p.id} · ${Number.isFinite(p.year) ? p.year : 'year unknown'}${topic ? ` · ${topic.label}` : ''}</div>
      <div class="meta">${p.codes.slice(0, 8).join(', ')}${p.codes.length > 8 ? ` +${p.codes.length - 8}` : ''}</div>
    </div>`;
  }
}

customElements.define('ps-map-view', PsMapView);
declare global {
  interface HTMLElementTagNameMap { 'ps-map-view': PsMapView }
}
