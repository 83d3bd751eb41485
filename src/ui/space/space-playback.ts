/**
 * Play / pause of the technology space's time slider: time advances at PLAY_RATE windows per
 * second, smoothly on each animation frame, or window by window (no in-between motion) when the
 * user prefers reduced motion.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { prefersReducedMotion } from '../theme/media';

/** Windows per second while playing. */
export const PLAY_RATE = 1.5;

export class SpacePlayback implements ReactiveController {
  playing = false;
  private handle = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `setTime` moves the slider; `time` reads where it is (null: all years). */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly time: () => number | null,
    private readonly setTime: (time: number) => void,
  ) {
    host.addController(this);
  }

  /** Starts from the first window (or where the slider is, unless at the end) up to `last`. */
  play(last: number): void {
    if (last < 1) return;
    const start = this.time();
    if (start === null || start >= last) this.setTime(0);
    this.playing = true;
    this.host.requestUpdate();
    if (prefersReducedMotion()) {
      this.timer = setInterval(() => {
        const next = Math.min(last, Math.floor(this.time() ?? 0) + 1);
        this.setTime(next);
        if (next >= last) this.stop();
      }, 1000 / PLAY_RATE);
      return;
    }
    let previous = performance.now();
    const step = (now: number) => {
      if (!this.playing) return;
      const next = Math.min(last, (this.time() ?? 0) + ((now - previous) / 1000) * PLAY_RATE);
      previous = now;
      this.setTime(next);
      if (next >= last) this.stop();
      else this.handle = requestAnimationFrame(step);
    };
    this.handle = requestAnimationFrame(step);
  }

  stop(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.handle);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.host.requestUpdate();
  }

  toggle(last: number): void {
    if (this.playing) this.stop();
    else this.play(last);
  }

  hostDisconnected(): void {
    this.stop();
  }
}
