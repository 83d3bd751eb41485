import { describe, expect, it } from 'vitest';
import { DEFAULT_KIOSK_SETTINGS, parseKioskSettings } from '../../../src/core/kiosk/settings';

describe('parseKioskSettings', () => {
  it('is off without ?kiosk and when it says off', () => {
    expect(parseKioskSettings('')).toBeNull();
    expect(parseKioskSettings('?gpu=off&idle=30')).toBeNull();
    for (const off of ['0', 'false', 'OFF', 'no']) expect(parseKioskSettings(`?kiosk=${off}`)).toBeNull();
  });

  it('is on with a bare ?kiosk, with the defaults', () => {
    expect(parseKioskSettings('?kiosk')).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(parseKioskSettings('?gpu=off&kiosk=1')).toEqual(DEFAULT_KIOSK_SETTINGS);
  });

  it('reads idle and slide in seconds and reset in minutes', () => {
    expect(parseKioskSettings('?kiosk&idle=30&reset=2.5&slide=6')).toEqual({ idleMs: 30_000, resetMs: 150_000, slideMs: 6_000 });
  });

  it('falls back to the default for a value that is not a number or out of range', () => {
    const parsed = parseKioskSettings('?kiosk&idle=abc&reset=-1&slide=0');
    expect(parsed).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(parseKioskSettings('?kiosk&idle=')?.idleMs).toBe(DEFAULT_KIOSK_SETTINGS.idleMs);
    expect(parseKioskSettings('?kiosk&reset=100000')?.resetMs).toBe(DEFAULT_KIOSK_SETTINGS.resetMs);
  });
});
