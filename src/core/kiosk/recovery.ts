/**
 * When the kiosk's recovery reloads the page: at once after a first failure, then with a doubling
 * wait while failures keep coming (a page that fails on every start must not reload in a tight
 * loop, pinning the CPU and flashing the screen), and some errors are not failures at all.
 */

/** Reloads older than this no longer count towards the wait. */
export const RECOVERY_WINDOW_MS = 10 * 60_000;
export const MAX_RECOVERY_DELAY_MS = 60_000;
const FIRST_REPEAT_DELAY_MS = 2_000;

/** Milliseconds to wait before reloading, given the times (ms) of the recovery reloads before. */
export function recoveryDelay(previousReloads: readonly number[], now: number): number {
  const recent = previousReloads.filter((t) => t <= now && now - t < RECOVERY_WINDOW_MS).length;
  if (recent === 0) return 0;
  return Math.min(MAX_RECOVERY_DELAY_MS, FIRST_REPEAT_DELAY_MS * 2 ** (recent - 1));
}

/** The reload times to keep: those still inside the window, plus this one. */
export function recordReload(previousReloads: readonly number[], now: number): number[] {
  return [...previousReloads.filter((t) => t <= now && now - t < RECOVERY_WINDOW_MS), now];
}

/**
 * Errors the browser reports on window that leave the page working: ResizeObserver's notice that
 * it skipped a frame of notifications, and errors from scripts of other origins, whose text the
 * browser hides ("Script error.") and which are not the app's.
 */
export function isHarmlessError(message: string): boolean {
  return /^ResizeObserver loop/.test(message) || message === 'Script error.';
}
