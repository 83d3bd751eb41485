/**
 * The patent map's drawing surface: the WebGL renderer (map-renderer.ts), the view transform,
 * the point grid (hover, box and lasso), draws batched into one animation frame, and the topic
 * labels placed over the canvas. On a software rasteriser, frames during a pan or zoom draw a
 * budget of INTERACTIVE_POINTS (the renderer's uniform sample plus highlighted and selected
 * points), and the full frame follows once the gesture rests. No data loading and no selection
 * logic: the view and the gestures drive it.
 */
import type { MapTopic } from '../../clients/engine-types';
import { PointGrid, fitView, panBy, toLayout, toScreen, zoomAt, type MapViewport } from '../map-geometry';
import { MapRenderer } from '../map-renderer';
import { currentScheme, watchScheme } from '../theme/media';
import { MAP_CANVASES } from '../theme/palette';

/** How far from a point the pointer may be to hover it (CSS pixels). */
const HOVER_RADIUS_PX = 8;
/** Zoom limits relative to the fitted view. */
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 500;
/** Points a frame submits while the view moves on a software renderer (~0.2 µs each there). */
export const INTERACTIVE_POINTS = 100_000;
/** Quiet time after the last pan or zoom before the full frame is drawn. */
const SETTLE_MS = 160;

export interface MapPoints {
  coordinates: Float32Array;
  count: number;
  topics: readonly MapTopic[];
}

export class MapCanvas {
  viewport: MapViewport = { cx: 0, cy: 0, scale: 1, width: 1, height: 1 };
  /** CPU time of the last draw call's submission (data-draw-ms). */
  lastDrawMs = 0;
  private fitScale = 1;
  private renderer: MapRenderer | null = null;
  private grid: PointGrid | null = null;
  private points: MapPoints | null = null;
  private frame = 0;
  /** Set while the view moves (software renderers only): frames use the point budget. */
  private moving = false;
  private settle: ReturnType<typeof setTimeout> | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private unwatchScheme: (() => void) | null = null;
  /** The canvas whose listeners are attached (once, even across reconnects). */
  private wired: HTMLCanvasElement | null = null;

  constructor(
    private readonly canvas: () => HTMLCanvasElement | null,
    private readonly labels: () => HTMLElement[],
    private readonly onWheel: (event: WheelEvent) => void,
  ) {}

  get attached(): boolean {
    return this.resizeObserver !== null;
  }

  /**
   * Sets up the renderer on the canvas once it exists; throws the renderer's message when the
   * browser has no WebGL2 (the view shows it).
   */
  attach(stage: HTMLElement): void {
    const canvas = this.canvas();
    if (!canvas || this.resizeObserver) return;
    this.resizeObserver = new ResizeObserver(() => this.onResize(stage));
    this.resizeObserver.observe(stage);
    if (this.wired !== canvas) {
      this.wired = canvas;
      canvas.addEventListener('webglcontextlost', (event) => event.preventDefault());
      canvas.addEventListener('webglcontextrestored', () => { this.renderer?.init(); this.scheduleDraw(); });
      // Not through the template: a wheel listener must be non-passive to stop the page scrolling.
      canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    }
    this.renderer = new MapRenderer(canvas);
    // The canvas follows the page's scheme (system or the user's choice), as the CSS around it does.
    this.renderer.setTheme(MAP_CANVASES[currentScheme()]);
    this.unwatchScheme = watchScheme((scheme) => { this.renderer?.setTheme(MAP_CANVASES[scheme]); this.scheduleDraw(); });
    if (this.points) this.renderer.setPositions(this.points.coordinates);
  }

  detach(): void {
    this.unwatchScheme?.();
    this.unwatchScheme = null;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.settle) clearTimeout(this.settle);
    this.settle = null;
    this.moving = false;
    this.renderer?.destroy();
    this.renderer = null;
  }

  /** New positions; the view is fitted again unless `keepView` (the same layout refreshed). */
  setPoints(points: MapPoints, keepView: boolean): void {
    this.points = points;
    this.grid = new PointGrid(points.coordinates, points.count);
    this.renderer?.setPositions(points.coordinates);
    if (!keepView) this.fit();
    this.scheduleDraw();
  }

  /** Colours per point (a colour mode, code or topic change). */
  setColours(colours: Uint8Array): void {
    this.renderer?.setColours(colours);
    this.scheduleDraw();
  }

  /** States per point (search, selection): one byte per point is uploaded. */
  setStates(states: Uint8Array): void {
    this.renderer?.setStates(states);
    this.scheduleDraw();
  }

  /** Points inside the box spanned by two screen corners (through the grid: costs about its outline). */
  inBox(sx0: number, sy0: number, sx1: number, sy1: number): number[] {
    if (!this.grid) return [];
    const [x0, y0] = toLayout(this.viewport, sx0, sy0);
    const [x1, y1] = toLayout(this.viewport, sx1, sy1);
    return this.grid.inBox(x0, y0, x1, y1);
  }

  /** Points inside a lasso given in screen coordinates. */
  inPolygon(screen: ReadonlyArray<readonly [number, number]>): number[] {
    return this.grid ? this.grid.inPolygon(screen.map(([sx, sy]) => toLayout(this.viewport, sx, sy))) : [];
  }

  fit(): void {
    if (!this.points) return;
    const { width, height } = this.viewport;
    this.viewport = fitView(this.points.coordinates, this.points.count, width, height);
    this.fitScale = this.viewport.scale;
    this.scheduleDraw();
  }

  zoom(factor: number, sx: number, sy: number): void {
    this.viewport = zoomAt(this.viewport, factor, sx, sy, { min: this.fitScale * MIN_ZOOM, max: this.fitScale * MAX_ZOOM });
    this.moved();
  }

  pan(dx: number, dy: number): void {
    this.viewport = panBy(this.viewport, dx, dy);
    this.moved();
  }

  /** A pan or zoom: a budget frame now on a software renderer, the full one when the view rests. */
  private moved(): void {
    if (this.renderer?.software) {
      this.moving = true;
      if (this.settle) clearTimeout(this.settle);
      this.settle = setTimeout(() => {
        this.settle = null;
        this.moving = false;
        this.scheduleDraw();
      }, SETTLE_MS);
    }
    this.scheduleDraw();
  }

  /** The nearest point under the pointer that `accept` allows, or -1. */
  nearest(sx: number, sy: number, accept: (index: number) => boolean): number {
    if (!this.grid) return -1;
    const [x, y] = toLayout(this.viewport, sx, sy);
    return this.grid.nearest(x, y, HOVER_RADIUS_PX / this.viewport.scale, accept);
  }

  scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  drawNow(): void {
    const canvas = this.canvas();
    if (!this.renderer || !this.points || !canvas || this.viewport.width <= 1) return;
    const stats = this.renderer.draw(this.viewport, Math.min(2, window.devicePixelRatio || 1), this.pointSize(),
      this.moving ? { maxPoints: INTERACTIVE_POINTS } : {});
    this.lastDrawMs = stats.submitMs;
    canvas.dataset.drawn = String(stats.points);
    canvas.dataset.drawMs = stats.submitMs.toFixed(2);
    this.placeLabels();
  }

  private pointSize(): number {
    const n = this.points?.count ?? 1;
    const base = Math.min(6, Math.max(2.5, 7.5 - 1.2 * Math.log10(Math.max(10, n))));
    return base * Math.min(3, Math.max(1, Math.sqrt(this.viewport.scale / this.fitScale)));
  }

  private onResize(stage: HTMLElement): void {
    const width = stage.clientWidth, height = stage.clientHeight;
    if (width === 0 || height === 0) return;
    const wasEmpty = this.viewport.width <= 1;
    this.viewport = { ...this.viewport, width, height };
    if (wasEmpty) this.fit();
    this.scheduleDraw();
  }

  /** Positions the topic labels; the larger topic wins where two labels would overlap. */
  private placeLabels(): void {
    const topics = this.points?.topics;
    if (!topics) return;
    const zoom = Math.min(2.2, Math.max(0.8, Math.sqrt(this.viewport.scale / this.fitScale)));
    const byCluster = new Map(topics.map((t) => [t.cluster, t]));
    const elements = this.labels()
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
}
