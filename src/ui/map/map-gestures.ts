/**
 * Pointer, wheel and keyboard input on the patent map: pan, wheel and pinch zoom, hover, click
 * to pick, shift-drag box and alt-drag lasso (drawn as an SVG path over the canvas), and the
 * keys (arrows pan, + / − zoom, 0 fits, Ctrl/⌘+A selects every visible point, Escape clears). Turns gestures into calls on MapCanvas
 * and into selection requests for the view.
 */
import type { MapCanvas } from './map-canvas';

export type DragMode = 'pan' | 'box' | 'lasso';

const KEY_PAN_PX = 60;
const KEY_ZOOM = 1.25;
/** Movement (CSS px) below which a press is a click. */
const CLICK_SLOP_PX = 3;
/** Lasso vertices closer than this (CSS px) are merged. */
const LASSO_STEP_PX = 2;

type Gesture =
  | { kind: DragMode; startX: number; startY: number; lastX: number; lastY: number; path: Array<[number, number]>; moved: boolean }
  | { kind: 'pinch'; distance: number; midX: number; midY: number };

export interface GestureTarget {
  canvas: MapCanvas;
  /** Whether a layout is on screen (before it, gestures select nothing). */
  hasPoints(): boolean;
  dragMode(): DragMode;
  /** Whether a point may be hovered or picked (hidden points may not). */
  visible(index: number): boolean;
  hover(hit: { index: number; x: number; y: number } | null): void;
  select(indices: number[], add: boolean): void;
  /** Selects every point that may be picked. */
  selectAll(): void;
  clear(): void;
  overlay(path: string): void;
}

export class MapGestures {
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private gesture: Gesture | null = null;

  constructor(private readonly target: GestureTarget) {}

  get active(): boolean {
    return this.gesture !== null;
  }

  readonly onPointerDown = (event: PointerEvent): void => {
    const canvas = event.currentTarget as HTMLCanvasElement;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = screenPoint(event);
    this.pointers.set(event.pointerId, { x, y });
    this.target.hover(null);
    if (this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      this.gesture = { kind: 'pinch', distance: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
      this.target.overlay('');
      return;
    }
    const kind: DragMode = event.shiftKey ? 'box' : event.altKey ? 'lasso' : this.target.dragMode();
    this.gesture = { kind, startX: x, startY: y, lastX: x, lastY: y, path: [[x, y]], moved: false };
  };

  readonly onPointerMove = (event: PointerEvent): void => {
    const [x, y] = screenPoint(event);
    const gesture = this.gesture;
    const canvas = this.target.canvas;
    if (!gesture) {
      const index = canvas.nearest(x, y, (i) => this.target.visible(i));
      this.target.hover(index >= 0 ? { index, x, y } : null);
      return;
    }
    if (this.pointers.has(event.pointerId)) this.pointers.set(event.pointerId, { x, y });
    if (gesture.kind === 'pinch') {
      const [a, b] = [...this.pointers.values()];
      if (!a || !b) return;
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const midX = (a.x + b.x) / 2, midY = (a.y + b.y) / 2;
      canvas.pan(midX - gesture.midX, midY - gesture.midY);
      canvas.zoom(distance / Math.max(1, gesture.distance), midX, midY);
      this.gesture = { kind: 'pinch', distance, midX, midY };
      return;
    }
    if (Math.hypot(x - gesture.startX, y - gesture.startY) > CLICK_SLOP_PX) gesture.moved = true;
    if (gesture.kind === 'pan') {
      canvas.pan(x - gesture.lastX, y - gesture.lastY);
    } else if (gesture.kind === 'box') {
      const [x0, y0] = [Math.min(x, gesture.startX), Math.min(y, gesture.startY)];
      const [x1, y1] = [Math.max(x, gesture.startX), Math.max(y, gesture.startY)];
      this.target.overlay(`M${x0},${y0}H${x1}V${y1}H${x0}Z`);
    } else {
      const [px, py] = gesture.path[gesture.path.length - 1];
      if (Math.hypot(x - px, y - py) > LASSO_STEP_PX) gesture.path.push([x, y]);
      this.target.overlay(`M${gesture.path.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join('L')}Z`);
    }
    gesture.lastX = x;
    gesture.lastY = y;
  };

  readonly onPointerUp = (event: PointerEvent): void => {
    const gesture = this.gesture;
    this.pointers.delete(event.pointerId);
    if (!gesture) return;
    if (gesture.kind === 'pinch') {
      if (this.pointers.size === 0) this.gesture = null;
      return;
    }
    this.gesture = null;
    this.target.overlay('');
    if (!this.target.hasPoints() || event.type === 'pointercancel') return;
    const add = event.ctrlKey || event.metaKey;
    const canvas = this.target.canvas;
    const visible = (indices: number[]) => indices.filter((i) => this.target.visible(i));
    if (gesture.kind === 'box' && gesture.moved) {
      this.target.select(visible(canvas.inBox(gesture.startX, gesture.startY, gesture.lastX, gesture.lastY)), add);
    } else if (gesture.kind === 'lasso' && gesture.moved && gesture.path.length >= 3) {
      this.target.select(visible(canvas.inPolygon(gesture.path)), add);
    } else if (!gesture.moved) {
      // A click on a point selects that patent (ctrl/cmd adds it).
      const index = canvas.nearest(gesture.startX, gesture.startY, (i) => this.target.visible(i));
      if (index >= 0) this.target.select([index], add);
    }
  };

  readonly onPointerLeave = (): void => {
    if (!this.gesture) this.target.hover(null);
  };

  readonly onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    const [x, y] = screenPoint(event);
    const unit = event.deltaMode === 1 ? 0.05 : event.deltaMode === 2 ? 1 : 0.0015;
    // Trackpad pinch arrives as a ctrl+wheel with small deltas: zoom faster for it.
    this.target.canvas.zoom(Math.exp(-event.deltaY * unit * (event.ctrlKey ? 4 : 1)), x, y);
    this.target.hover(null);
  };

  readonly onKeyDown = (event: KeyboardEvent): void => {
    const canvas = this.target.canvas;
    const { width, height } = canvas.viewport;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      if (this.target.hasPoints()) this.target.selectAll();
      event.preventDefault();
      return;
    }
    switch (event.key) {
      case 'ArrowLeft': canvas.pan(KEY_PAN_PX, 0); break;
      case 'ArrowRight': canvas.pan(-KEY_PAN_PX, 0); break;
      case 'ArrowUp': canvas.pan(0, KEY_PAN_PX); break;
      case 'ArrowDown': canvas.pan(0, -KEY_PAN_PX); break;
      case '+': case '=': canvas.zoom(KEY_ZOOM, width / 2, height / 2); break;
      case '-': case '_': canvas.zoom(1 / KEY_ZOOM, width / 2, height / 2); break;
      case '0': canvas.fit(); break;
      case 'Escape': this.target.clear(); break;
      default: return;
    }
    this.target.hover(null);
    event.preventDefault();
  };
}

function screenPoint(event: PointerEvent | WheelEvent): [number, number] {
  const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
  return [event.clientX - rect.left, event.clientY - rect.top];
}
