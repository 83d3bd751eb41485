/**
 * What a kiosk remembers across its own reloads (sessionStorage: this tab only, gone when the
 * browser closes): that the next start goes straight into the attract loop, and when the recovery
 * last reloaded (to back off when failures repeat, core/kiosk/recovery.ts).
 */

const ATTRACT_KEY = 'patent-space:kiosk:attract-on-load';
const RELOADS_KEY = 'patent-space:kiosk:recovery-reloads';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage switched off: the kiosk then starts like a fresh one, waiting for the idle time.
    return null;
  }
}

/** The next page start begins in the attract loop. */
export function attractOnNextLoad(): void {
  storage()?.setItem(ATTRACT_KEY, '1');
}

/** Whether this start should begin in the attract loop; asks once (the flag is cleared). */
export function takeAttractOnLoad(): boolean {
  const s = storage();
  const asked = s?.getItem(ATTRACT_KEY) === '1';
  s?.removeItem(ATTRACT_KEY);
  return asked;
}

export function recoveryReloads(): number[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(RELOADS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
  } catch {
    return [];
  }
}

export function saveRecoveryReloads(times: readonly number[]): void {
  storage()?.setItem(RELOADS_KEY, JSON.stringify(times));
}
