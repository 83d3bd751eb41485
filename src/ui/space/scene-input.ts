/**
 * Pointer and keyboard input on the technology space's canvas (OrbitControls does drag, wheel
 * and touch): hover, click to pick (Shift, Ctrl or Cmd adds), arrow keys orbit, + / − zoom.
 */

/** A press that moved further than this (CSS px) was a drag, not a click. */
const CLICK_SLOP_PX = 5;
/** Above this many codes, hovering (a ray cast per pointer move) is switched off. */
const HOVER_MAX_POINTS = 20_000;
const ORBIT_STEP = 0.1;
const ORBIT_STEP_SHIFT = 0.3;
const ZOOM_STEP = 0.85;

export interface SceneInputTarget {
  pick(event: PointerEvent): number | null;
  count(): number;
  hover(index: number | null): void;
  click(index: number | null, additive: boolean): void;
  orbit(azimuth: number, polar: number): void;
  zoom(factor: number): void;
}

export class SceneInput {
  private pointerDown: { x: number; y: number } | null = null;
  private hovered: number | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly target: SceneInputTarget) {
    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('keydown', this.onKeyDown);
  }

  get hoveredIndex(): number | null {
    return this.hovered;
  }

  dispose(): void {
    this.canvas.removeEventListener('pointermove', this.onPointerMove);
    this.canvas.removeEventListener('pointerdown', this.onPointerDown);
    this.canvas.removeEventListener('pointerup', this.onPointerUp);
    this.canvas.removeEventListener('pointerleave', this.onPointerLeave);
    this.canvas.removeEventListener('keydown', this.onKeyDown);
  }

  private readonly onPointerMove = (event: PointerEvent) => {
    if (event.buttons !== 0 || this.target.count() > HOVER_MAX_POINTS) return;
    const index = this.target.pick(event);
    if (index === this.hovered) return;
    this.hovered = index;
    this.canvas.style.cursor = index === null ? '' : 'pointer';
    this.target.hover(index);
  };

  private readonly onPointerDown = (event: PointerEvent) => {
    this.pointerDown = { x: event.clientX, y: event.clientY };
  };

  private readonly onPointerUp = (event: PointerEvent) => {
    const down = this.pointerDown;
    this.pointerDown = null;
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > CLICK_SLOP_PX) return;
    this.target.click(this.target.pick(event), event.shiftKey || event.ctrlKey || event.metaKey);
  };

  private readonly onPointerLeave = () => {
    if (this.hovered === null) return;
    this.hovered = null;
    this.target.hover(null);
  };

  private readonly onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? ORBIT_STEP_SHIFT : ORBIT_STEP;
    switch (event.key) {
      case 'ArrowLeft': this.target.orbit(-step, 0); break;
      case 'ArrowRight': this.target.orbit(step, 0); break;
      case 'ArrowUp': this.target.orbit(0, -step); break;
      case 'ArrowDown': this.target.orbit(0, step); break;
      case '+': case '=': this.target.zoom(ZOOM_STEP); break;
      case '-': case '_': this.target.zoom(1 / ZOOM_STEP); break;
      default: return;
    }
    event.preventDefault();
  };
}
