import { describe, expect, it } from 'vitest';
import { KioskMachine } from '../../../src/core/kiosk/machine';

const SETTINGS = { idleMs: 60_000, resetMs: 300_000, slideMs: 8_000 };
const T0 = 1_000_000;

describe('KioskMachine', () => {
  it('starts the attract loop only after idleMs without a touch', () => {
    const m = new KioskMachine(SETTINGS, 3, T0);
    expect(m.mode).toBe('visitor');
    expect(m.tick(T0 + SETTINGS.idleMs - 1)).toEqual([]);
    expect(m.tick(T0 + SETTINGS.idleMs)).toEqual([{ kind: 'attract-start', slide: 0 }]);
    expect(m.mode).toBe('attract');
  });

  it('a touch restarts the idle time', () => {
    const m = new KioskMachine(SETTINGS, 3, T0);
    m.interact(T0 + 50_000);
    expect(m.tick(T0 + SETTINGS.idleMs)).toEqual([]);
    expect(m.tick(T0 + 50_000 + SETTINGS.idleMs)).toEqual([{ kind: 'attract-start', slide: 0 }]);
  });

  it('cycles the slides every slideMs and wraps around', () => {
    const m = new KioskMachine(SETTINGS, 3, T0, true);
    const seen: number[] = [m.slide];
    let now = T0;
    for (let i = 0; i < 4; i++) {
      expect(m.tick(now + SETTINGS.slideMs - 1).filter((e) => e.kind === 'slide')).toEqual([]);
      now += SETTINGS.slideMs;
      m.tick(now);
      seen.push(m.slide);
    }
    expect(seen).toEqual([0, 1, 2, 0, 1]);
  });

  it('moves at most one slide when the clock jumps', () => {
    const m = new KioskMachine(SETTINGS, 3, T0, true);
    expect(m.tick(T0 + 10 * SETTINGS.slideMs)).toContainEqual({ kind: 'slide', slide: 1 });
    expect(m.slide).toBe(1);
  });

  it('a touch in the loop stops it, and it starts again at the first slide after idleMs', () => {
    const m = new KioskMachine(SETTINGS, 3, T0, true);
    m.tick(T0 + SETTINGS.slideMs);
    expect(m.slide).toBe(1);
    expect(m.interact(T0 + 9_000)).toEqual([{ kind: 'attract-stop' }]);
    expect(m.mode).toBe('visitor');
    expect(m.interact(T0 + 9_500)).toEqual([]);
    expect(m.tick(T0 + 9_500 + SETTINGS.idleMs)).toEqual([{ kind: 'attract-start', slide: 0 }]);
  });

  it('asks for one reset per quiet spell, and again only after a touch', () => {
    const m = new KioskMachine(SETTINGS, 3, T0);
    const resets = (now: number) => m.tick(now).filter((e) => e.kind === 'reset').length;
    expect(resets(T0 + SETTINGS.resetMs - 1)).toBe(0);
    expect(resets(T0 + SETTINGS.resetMs)).toBe(1);
    expect(resets(T0 + 3 * SETTINGS.resetMs)).toBe(0);
    const touched = T0 + 4 * SETTINGS.resetMs;
    m.interact(touched);
    expect(resets(touched + SETTINGS.resetMs - 1)).toBe(0);
    expect(resets(touched + SETTINGS.resetMs)).toBe(1);
  });

  it('rejects a loop with no slide', () => {
    expect(() => new KioskMachine(SETTINGS, 0, T0)).toThrow(/at least one slide/);
  });
});
