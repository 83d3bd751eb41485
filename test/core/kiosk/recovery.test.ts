import { describe, expect, it } from 'vitest';
import { isHarmlessError, MAX_RECOVERY_DELAY_MS, recordReload, recoveryDelay, RECOVERY_WINDOW_MS } from '../../../src/core/kiosk/recovery';

const NOW = 50_000_000;

describe('kiosk recovery', () => {
  it('reloads at once after a first failure, then waits longer each time, up to the cap', () => {
    expect(recoveryDelay([], NOW)).toBe(0);
    const delays: number[] = [];
    let reloads: number[] = [];
    for (let i = 0; i < 12; i++) {
      const now = NOW + i * 1000;
      delays.push(recoveryDelay(reloads, now));
      reloads = recordReload(reloads, now);
    }
    expect(delays[0]).toBe(0);
    for (let i = 2; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(delays[2]).toBeGreaterThan(delays[1]);
    expect(delays.at(-1)).toBe(MAX_RECOVERY_DELAY_MS);
  });

  it('forgets reloads older than the window', () => {
    const old = [NOW - RECOVERY_WINDOW_MS - 1, NOW - RECOVERY_WINDOW_MS];
    expect(recoveryDelay(old, NOW)).toBe(0);
    expect(recordReload(old, NOW)).toEqual([NOW]);
  });

  it('treats ResizeObserver notices and foreign script errors as harmless, the app’s errors not', () => {
    expect(isHarmlessError('ResizeObserver loop completed with undelivered notifications.')).toBe(true);
    expect(isHarmlessError('Script error.')).toBe(true);
    expect(isHarmlessError('Uncaught Error: boom')).toBe(false);
  });
});
