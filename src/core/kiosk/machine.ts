/**
 * The kiosk's idle / attract / reset state machine, with the clock injected: every call takes
 * `now` (ms), so the same machine runs on the page's clock and on a test's numbers.
 *
 * - A visitor's touch or key press (`interact`) stops the attract loop and restarts both timers.
 * - `tick` (called often, e.g. every half second) starts the attract loop once nobody has touched
 *   the kiosk for `idleMs`, moves to the next slide every `slideMs`, and asks for a reset once
 *   nobody has touched it for `resetMs`: one reset per quiet spell, the next only after a touch.
 *
 * Slides advance by at most one per tick and count from the tick that showed them, so a clock
 * that jumps (a sleeping machine, a test's fast-forward) shows the next slide, never skips several.
 */
import type { KioskSettings } from './settings';

export type KioskMode = 'visitor' | 'attract';

export type KioskEffect =
  | { kind: 'attract-start'; slide: number }
  | { kind: 'slide'; slide: number }
  | { kind: 'attract-stop' }
  | { kind: 'reset' };

export class KioskMachine {
  private currentMode: KioskMode;
  private currentSlide = 0;
  private slideSince: number;
  private lastActivity: number;
  /** False once the reset of this quiet spell was asked for; a touch arms it again. */
  private resetArmed = true;

  /**
   * `slides`: how many slides the loop has (≥ 1). `startInAttract`: begin in the loop, as a kiosk
   * reloaded by its recovery or its reset does (nobody is there to wait for).
   */
  constructor(private readonly settings: KioskSettings, private readonly slides: number, now: number, startInAttract = false) {
    if (!Number.isInteger(slides) || slides < 1) throw new Error(`A kiosk needs at least one slide (got ${slides}).`);
    this.currentMode = startInAttract ? 'attract' : 'visitor';
    this.slideSince = now;
    this.lastActivity = now;
  }

  get mode(): KioskMode {
    return this.currentMode;
  }

  get slide(): number {
    return this.currentSlide;
  }

  /** A visitor touched the screen or pressed a key. */
  interact(now: number): KioskEffect[] {
    this.lastActivity = now;
    this.resetArmed = true;
    if (this.currentMode !== 'attract') return [];
    this.currentMode = 'visitor';
    return [{ kind: 'attract-stop' }];
  }

  /** Time passed: what, if anything, changes now. */
  tick(now: number): KioskEffect[] {
    const idle = now - this.lastActivity;
    const effects: KioskEffect[] = [];
    if (this.currentMode === 'visitor') {
      if (idle >= this.settings.idleMs) {
        this.currentMode = 'attract';
        this.currentSlide = 0;
        this.slideSince = now;
        effects.push({ kind: 'attract-start', slide: 0 });
      }
    } else if (now - this.slideSince >= this.settings.slideMs) {
      this.currentSlide = (this.currentSlide + 1) % this.slides;
      this.slideSince = now;
      effects.push({ kind: 'slide', slide: this.currentSlide });
    }
    if (this.resetArmed && idle >= this.settings.resetMs) {
      this.resetArmed = false;
      effects.push({ kind: 'reset' });
    }
    return effects;
  }
}
