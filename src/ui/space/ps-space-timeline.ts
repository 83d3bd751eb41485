import { LitElement, css, html } from 'lit';
import type { YearWindow } from '../../core/layout/sliding-windows';
import { baseStyles, controlStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';

/**
 * The time bar under the space: play / pause, the slider over the year windows, the window's
 * label, back to all years, and trails.
 * @fires space-control - play, time or trails
 */
export class PsSpaceTimeline extends LitElement {
  static override properties = { windows: { attribute: false }, time: { attribute: false }, playing: { attribute: false }, trails: { attribute: false } };
  declare windows: readonly YearWindow[];
  /** Slider time in windows, or null for the all-years layout. */
  declare time: number | null;
  declare playing: boolean;
  declare trails: boolean;

  constructor() {
    super();
    this.windows = [];
    this.time = null;
    this.playing = false;
    this.trails = false;
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: block; }
    #time-slider { width: min(22rem, 50vw); }
    output { min-width: 6rem; display: inline-block; }
  `];

  override render() {
    const frames = this.windows.length;
    const label = this.time === null ? 'All years' : this.windows[Math.round(this.time)]?.label ?? '';
    return html`<div class="row" role="toolbar" aria-label="Time">
      <button id="play" ?disabled=${frames < 2} @click=${() => fireSpaceControl(this, { kind: 'play' })} aria-pressed=${String(this.playing)}>${this.playing ? 'Pause' : 'Play'}</button>
      <label>Time <input id="time-slider" type="range" min="0" max=${Math.max(0, frames - 1)} step="0.01"
        .value=${String(this.time ?? Math.max(0, frames - 1))} aria-valuetext=${label}
        @input=${(e: Event) => fireSpaceControl(this, { kind: 'time', time: Number((e.target as HTMLInputElement).value) })}></label>
      <output id="time-label">${label}</output>
      <button id="all-years" ?disabled=${this.time === null} @click=${() => fireSpaceControl(this, { kind: 'time', time: null })}>All years</button>
      <label><input id="trails" type="checkbox" .checked=${this.trails}
        @change=${(e: Event) => fireSpaceControl(this, { kind: 'trails', on: (e.target as HTMLInputElement).checked })}> Trails</label>
    </div>`;
  }
}

customElements.define('ps-space-timeline', PsSpaceTimeline);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-timeline': PsSpaceTimeline }
}
