/**
 * The technology space's attract mode (a kiosk's loop): the camera turns slowly around the codes
 * and the time slider plays over the year windows, starting again from the first window when it
 * reaches the last. Under prefers-reduced-motion the camera stays still and the slider steps
 * window by window (SpacePlayback's own reduced-motion mode).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SpaceScene } from '../space-scene';
import { prefersReducedMotion } from '../theme/media';
import type { SpacePlayback } from './space-playback';

/** Radians per second: one turn in about 40 s, slow enough to read labels as they pass. */
export const ATTRACT_TURN_RATE = (2 * Math.PI) / 40;

export interface SpaceAttractHooks {
  scene: () => SpaceScene | null;
  /** How many year windows the layout has (0 before a layout). */
  windows: () => number;
  playback: SpacePlayback;
}

export class SpaceAttract implements ReactiveController {
  private handle = 0;
  private on = false;
  private previous = 0;

  constructor(host: ReactiveControllerHost, private readonly hooks: SpaceAttractHooks) {
    host.addController(this);
  }

  get active(): boolean {
    return this.on;
  }

  set(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    if (!on) {
      cancelAnimationFrame(this.handle);
      this.hooks.playback.stop();
      return;
    }
    this.previous = performance.now();
    this.handle = requestAnimationFrame(this.step);
  }

  private readonly step = (now: number) => {
    if (!this.on) return;
    // A long gap (a hidden tab, a clock that jumped) turns by one frame's worth, not a lurch.
    const seconds = Math.min(0.1, Math.max(0, (now - this.previous) / 1000));
    this.previous = now;
    const scene = this.hooks.scene();
    if (scene && !prefersReducedMotion()) scene.orbit(ATTRACT_TURN_RATE * seconds, 0);
    const last = this.hooks.windows() - 1;
    // Playback stops at the last window; from there play() starts again at the first.
    if (last >= 1 && !this.hooks.playback.playing) this.hooks.playback.play(last);
    this.handle = requestAnimationFrame(this.step);
  };

  hostDisconnected(): void {
    this.set(false);
  }
}
