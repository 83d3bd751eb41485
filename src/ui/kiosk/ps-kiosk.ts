import { LitElement, css, html, nothing } from 'lit';
import { installKioskRecovery } from '../../clients/kiosk-recovery';
import { resetKioskData } from '../../clients/kiosk-reset';
import { prepareKioskDemoJob } from '../../clients/kiosk-demo-job';
import { attractOnNextLoad, takeAttractOnLoad } from '../../clients/kiosk-session';
import { KioskWakeLock } from '../../clients/kiosk-wake-lock';
import { KioskMachine, type KioskEffect, type KioskMode } from '../../core/kiosk/machine';
import { DEFAULT_KIOSK_SETTINGS, KIOSK_SLIDES, type KioskSettings } from '../../core/kiosk/settings';
import { blockDownloads, DOWNLOAD_BLOCKED_EVENT } from '../download';
import { errorMessage } from '../shared/task-controller';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { baseStyles } from '../theme/styles';
import './ps-kiosk-attract';

/** How often the idle timers are looked at. */
const TICK_MS = 500;
/** The click that follows the touch which ended the loop is swallowed for this long: it was meant to wake the kiosk, not to press what lay under the loop. */
const SWALLOW_CLICK_MS = 1000;
const NOTE_MS = 4000;

/**
 * Kiosk mode's controller, mounted by the app shell under `?kiosk`: runs the idle / attract / reset
 * machine (core/kiosk/machine.ts) on the page clock, shows the attract loop over the app, asks for
 * full screen on a visitor's gesture (browsers allow it only then) and for a screen wake lock,
 * blocks file dialogs and downloads, resets a visitor's data when the kiosk has been left alone,
 * and reloads into the loop on an uncaught error or a lost GPU device.
 */
export class PsKiosk extends LitElement {
  static override properties = {
    settings: { attribute: false }, mode: { state: true }, slide: { state: true }, note: { state: true }, wakeLockHeld: { state: true }, demoJob: { state: true },
  };
  declare settings: KioskSettings;
  declare mode: KioskMode;
  declare slide: number;
  /** A short line over the app (a blocked download, a restart on its way), '' for none. */
  declare note: string;
  declare wakeLockHeld: boolean;
  /** The demo's matching job, which the kiosk runs by itself for the pollutant slide: '' until it starts. */
  declare demoJob: string;

  private machine: KioskMachine | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly wakeLock = new KioskWakeLock((held) => { this.wakeLockHeld = held; });
  private uninstallRecovery: (() => void) | null = null;
  private swallowClickUntil = 0;
  /** A visitor touched the kiosk since this page started: the reset then also returns to the home view. */
  private touched = false;
  private resetting = false;
  /** Once the start-up analysis is done (vectors stored), the demo's job is prepared, once a page. */
  private readonly app = new AppStateConsumer(this, (next) => { if (next.dataset && next.vectorsRevision > 0) this.prepareDemoJob(); });
  private demoJobAbort: AbortController | null = null;

  constructor() {
    super();
    this.settings = DEFAULT_KIOSK_SETTINGS;
    this.mode = 'visitor';
    this.slide = 0;
    this.note = '';
    this.wakeLockHeld = false;
    this.demoJob = '';
  }

  static override styles = [baseStyles, css`
    :host { display: contents; }
    .note { position: fixed; top: var(--ps-space-4); left: 50%; transform: translateX(-50%); z-index: 110; background: var(--ps-text); color: var(--ps-bg);
      padding: var(--ps-space-3) var(--ps-space-6); border-radius: var(--ps-radius); box-shadow: var(--ps-shadow); font-size: var(--ps-text-lg); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    const machine = new KioskMachine(this.settings, KIOSK_SLIDES.length, Date.now(), takeAttractOnLoad());
    this.machine = machine;
    this.mode = machine.mode;
    this.slide = machine.slide;
    blockDownloads();
    this.wakeLock.start();
    this.uninstallRecovery = installKioskRecovery({ onRecover: (why) => this.showNote(`Restarting the kiosk. ${why}`, 0) });
    // Capture: a view that stops a key or a pointer event must not hide a visitor from the kiosk.
    window.addEventListener('pointerdown', this.onActivity, true);
    window.addEventListener('keydown', this.onActivity, true);
    window.addEventListener('wheel', this.onActivity, { capture: true, passive: true });
    window.addEventListener('pointerup', this.onGesture, true);
    window.addEventListener('keyup', this.onGesture, true);
    window.addEventListener('click', this.onClick, true);
    window.addEventListener(DOWNLOAD_BLOCKED_EVENT, this.onDownloadBlocked);
    this.timer = setInterval(() => this.apply(machine.tick(Date.now())), TICK_MS);
  }

  override disconnectedCallback(): void {
    if (this.timer !== null) clearInterval(this.timer);
    if (this.noteTimer !== null) clearTimeout(this.noteTimer);
    this.timer = null;
    this.demoJobAbort?.abort();
    this.demoJobAbort = null;
    this.wakeLock.stop();
    this.uninstallRecovery?.();
    window.removeEventListener('pointerdown', this.onActivity, true);
    window.removeEventListener('keydown', this.onActivity, true);
    window.removeEventListener('wheel', this.onActivity, true);
    window.removeEventListener('pointerup', this.onGesture, true);
    window.removeEventListener('keyup', this.onGesture, true);
    window.removeEventListener('click', this.onClick, true);
    window.removeEventListener(DOWNLOAD_BLOCKED_EVENT, this.onDownloadBlocked);
    super.disconnectedCallback();
  }

  private readonly onActivity = (event: Event) => {
    const machine = this.machine;
    if (!machine) return;
    this.touched = true;
    const wasAttract = machine.mode === 'attract';
    this.apply(machine.interact(Date.now()));
    if (wasAttract && event.type === 'pointerdown') this.swallowClickUntil = Date.now() + SWALLOW_CLICK_MS;
  };

  /** Full screen and the wake lock need a user activation, which a pointerup or a key gives. */
  private readonly onGesture = () => {
    void this.wakeLock.acquire();
    if (!document.fullscreenElement && document.fullscreenEnabled) {
      // Refused (a browser policy, a headless browser): the kiosk runs in the window.
      document.documentElement.requestFullscreen({ navigationUI: 'hide' }).catch(() => undefined);
    }
  };

  private readonly onClick = (event: MouseEvent) => {
    const target = event.composedPath()[0];
    const fileInput = target instanceof HTMLInputElement && target.type === 'file';
    if (fileInput || Date.now() < this.swallowClickUntil) {
      // A file dialog would leave the kiosk on the OS's file browser; kiosk CSS hides the inputs, this catches a label's click.
      event.preventDefault();
      event.stopPropagation();
      this.swallowClickUntil = 0;
      if (fileInput) this.showNote('Opening files is switched off on this kiosk.');
    }
  };

  private readonly onDownloadBlocked = () => this.showNote('Saving files is switched off on this kiosk.');

  private showNote(text: string, ms = NOTE_MS): void {
    this.note = text;
    if (this.noteTimer !== null) clearTimeout(this.noteTimer);
    this.noteTimer = ms > 0 ? setTimeout(() => { this.note = ''; }, ms) : null;
  }

  private apply(effects: readonly KioskEffect[]): void {
    const machine = this.machine;
    if (!machine) return;
    this.mode = machine.mode;
    this.slide = machine.slide;
    if (effects.some((e) => e.kind === 'reset')) void this.reset();
  }

  private prepareDemoJob(): void {
    const { dataset, modelRef, hubHost, preferGpu } = this.app.value;
    if (!dataset || this.demoJobAbort) return;
    const abort = new AbortController();
    this.demoJobAbort = abort;
    this.demoJob = 'running';
    prepareKioskDemoJob(dataset, { modelRef, hubHost, preferGpu }, abort.signal).then(
      (outcome) => { this.demoJob = outcome; },
      // The pollutant slide then shows the dashboard's empty state; the reason is kept for whoever looks.
      (error: unknown) => { if (!abort.signal.aborted) this.demoJob = `failed: ${errorMessage(error)}`; },
    );
  }

  /**
   * Discards what visitors left and, when anything was there (or a visitor was), reloads on the
   * home view into the loop. A failure is an unhandled rejection: the recovery reloads then.
   */
  private async reset(): Promise<void> {
    if (this.resetting) return;
    this.resetting = true;
    try {
      const outcome = await resetKioskData();
      if (!outcome.changed && !this.touched) return;
      attractOnNextLoad();
      history.replaceState(null, '', `${location.pathname}${location.search}#/explore`);
      location.reload();
    } finally {
      this.resetting = false;
    }
  }

  override render() {
    const slide = KIOSK_SLIDES[this.slide] ?? KIOSK_SLIDES[0];
    return html`
      <span hidden id="kiosk-state" data-mode=${this.mode} data-slide=${this.mode === 'attract' ? slide : ''} data-wake-lock=${this.wakeLockHeld ? 'held' : 'none'}
        data-demo-job=${this.demoJob}></span>
      ${this.mode === 'attract' ? html`<ps-kiosk-attract .slide=${slide}></ps-kiosk-attract>` : nothing}
      ${this.note ? html`<div class="note" role="status" id="kiosk-note">${this.note}</div>` : nothing}
    `;
  }
}

customElements.define('ps-kiosk', PsKiosk);
declare global {
  interface HTMLElementTagNameMap { 'ps-kiosk': PsKiosk }
}
