/**
 * Keeps a kiosk's screen on while the page is visible. The browser releases a screen wake lock
 * whenever the page is hidden (another tab, a minimised window, a locked screen), so it is asked
 * for again each time the page becomes visible. Where the API is missing or refused (no user
 * activation yet, a battery saver, an insecure origin), the kiosk runs on and the OS's own
 * screen settings apply.
 */

export class KioskWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private stopped = false;

  /** `onChange` hears each time the lock is taken or let go (the kiosk shows it as data-wake-lock). */
  constructor(private readonly onChange: (held: boolean) => void = () => undefined) {}
  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') void this.acquire();
  };

  start(): void {
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.acquire();
  }

  /** Also asked again after a user gesture: some browsers refuse the first request without one. */
  async acquire(): Promise<void> {
    if (this.stopped || document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    if (this.sentinel && !this.sentinel.released) return;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      if (this.stopped) {
        void sentinel.release();
        return;
      }
      this.sentinel = sentinel;
      sentinel.addEventListener('release', () => this.onChange(false));
      this.onChange(true);
    } catch {
      this.sentinel = null;
    }
  }

  get held(): boolean {
    return this.sentinel !== null && !this.sentinel.released;
  }

  stop(): void {
    this.stopped = true;
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.sentinel?.release();
    this.sentinel = null;
  }
}
