import { LitElement, css, html } from 'lit';
import { KIOSK_SLIDES, type KioskSlide } from '../../core/kiosk/settings';
import { baseStyles } from '../theme/styles';
import '../ps-dashboard-view';
import '../ps-space-view';
import './ps-kiosk-forecast';

const SLIDE_TITLES: Record<KioskSlide, string> = {
  space: 'Technology space: how codes move over the years',
  forecast: 'Forecast: technology pairs likely to be combined next',
  pollutants: 'Pollution dashboard: pollutants ranked by the patents that abate them',
};

/**
 * The attract loop's screen: the app's own views on the active dataset, one slide at a time (the
 * technology space turning with its time slider playing, the forecast's top pairs, the dashboard's
 * pollutant ranking), under a "Touch to explore" caption. Every slide stays mounted while the loop
 * runs, stacked, so each keeps what it computed and its canvas keeps its size; only the current
 * one is visible. It covers the visitor's view, which stays as it was underneath.
 */
export class PsKioskAttract extends LitElement {
  static override properties = { slide: { attribute: false } };
  declare slide: KioskSlide;

  constructor() {
    super();
    this.slide = KIOSK_SLIDES[0];
  }

  static override styles = [baseStyles, css`
    :host { position: fixed; inset: 0; z-index: 100; display: flex; flex-direction: column; background: var(--ps-bg); cursor: pointer; }
    h2 { margin: var(--ps-space-4) var(--ps-space-6) var(--ps-space-2); font-size: var(--ps-text-xl); }
    .stage { position: relative; flex: 1 1 auto; min-height: 0; margin: 0 var(--ps-space-6); }
    .slide { position: absolute; inset: 0; display: flex; flex-direction: column; overflow: hidden; visibility: hidden; }
    .slide[data-current] { visibility: visible; }
    .slide > * { flex: 1 1 auto; min-height: 0; }
    .slide > ps-kiosk-forecast, .slide > ps-dashboard-view { overflow: auto; }
    /* The loop is to be looked at: a touch anywhere ends it, so nothing inside takes the pointer. */
    .slide > * { pointer-events: none; }
    .caption { flex: none; text-align: center; font-size: var(--ps-text-xl); font-weight: 600; padding: var(--ps-space-4);
      color: var(--ps-accent-text); background: var(--ps-accent); }
    @media (prefers-reduced-motion: no-preference) {
      .caption { animation: pulse 2.4s ease-in-out infinite; }
      @keyframes pulse { 50% { opacity: 0.75; } }
    }
  `];

  override render() {
    return html`
      <h2 id="kiosk-slide-title" aria-live="polite">${SLIDE_TITLES[this.slide]}</h2>
      <div class="stage">
        <div class="slide" data-slide="space" ?data-current=${this.slide === 'space'}>
          <ps-space-view ?attract=${this.slide === 'space'}></ps-space-view></div>
        <div class="slide" data-slide="forecast" ?data-current=${this.slide === 'forecast'}><ps-kiosk-forecast></ps-kiosk-forecast></div>
        <div class="slide" data-slide="pollutants" ?data-current=${this.slide === 'pollutants'}><ps-dashboard-view></ps-dashboard-view></div>
      </div>
      <p class="caption" id="kiosk-caption">Touch to explore</p>
    `;
  }
}

customElements.define('ps-kiosk-attract', PsKioskAttract);
declare global {
  interface HTMLElementTagNameMap { 'ps-kiosk-attract': PsKioskAttract }
}
