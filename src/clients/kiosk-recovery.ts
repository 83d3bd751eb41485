/**
 * A kiosk's recovery: an uncaught error, an unhandled promise rejection or a lost GPU device
 * reloads the page straight into the attract loop, since nobody is there to press "Reload".
 * Reloads that keep failing back off (core/kiosk/recovery.ts), and harmless window errors are
 * ignored.
 */
import { isHarmlessError, recordReload, recoveryDelay } from '../core/kiosk/recovery';
import { onDeviceLost } from '../gpu/device-lost-signal';
import { attractOnNextLoad, recoveryReloads, saveRecoveryReloads } from './kiosk-session';

export interface RecoveryOptions {
  /** Told why, before the reload (the overlay shows it for the moment left). */
  onRecover: (why: string) => void;
  /** Reloads the page; replaceable in tests. */
  reload?: () => void;
}

/** Installs the handlers; returns the uninstall. */
export function installKioskRecovery(options: RecoveryOptions): () => void {
  const reload = options.reload ?? (() => location.reload());
  let pending = false;
  const recover = (why: string) => {
    if (pending) return;
    pending = true;
    const now = Date.now();
    const previous = recoveryReloads();
    const delay = recoveryDelay(previous, now);
    saveRecoveryReloads(recordReload(previous, now));
    attractOnNextLoad();
    options.onRecover(why);
    setTimeout(reload, delay);
  };
  const onError = (event: ErrorEvent) => {
    const message = event.error instanceof Error ? event.error.message : event.message;
    if (!isHarmlessError(event.message)) recover(`An error: ${message}`);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason: unknown = event.reason;
    // A cancelled task's abort is a normal outcome that some paths leave unhandled, not a failure.
    if (reason instanceof DOMException && reason.name === 'AbortError') return;
    recover(`An error: ${reason instanceof Error ? reason.message : String(reason)}`);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  const stopDeviceLost = onDeviceLost((notice) => recover(`The GPU device was lost (${notice.reason}).`));
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    stopDeviceLost();
  };
}
