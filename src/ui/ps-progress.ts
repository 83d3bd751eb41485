import { LitElement, css, html } from 'lit';
import type { Progress } from '../core/progress';
import { baseStyles, controlStyles } from './theme/styles';

const STAGE_LABELS: Record<Progress['stage'], string> = {
  load: 'Loading', parse: 'Reading patents', embed: 'Embedding patents', aggregate: 'Building code vectors',
  similarity: 'Comparing codes', match: 'Asking the Yes/No model', forecast: 'Forecasting', layout: 'Laying out',
};

/**
 * Progress of one long task, with count, rate, ETA and a Cancel button. Before the first report
 * arrives it shows `label` and an indeterminate bar, so a running task is never a blank space.
 * @fires cancel - the user asked to stop the running task
 */
export class PsProgress extends LitElement {
  static override properties = { progress: { attribute: false }, label: {} };
  declare progress: Progress | null;
  /** What is running, while no progress has been reported yet. */
  declare label: string;

  constructor() {
    super();
    this.progress = null;
    this.label = 'Starting';
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: flex; gap: var(--ps-space-3); align-items: center; flex-wrap: wrap; margin: var(--ps-space-2) 0; font-size: var(--ps-text-sm); }
    label { min-width: 9rem; }
    progress { flex: 1; min-width: 8rem; height: 0.75rem; accent-color: var(--ps-accent); }
    .eta { font-variant-numeric: tabular-nums; color: var(--ps-text-muted); min-width: 12rem; }
  `];

  override render() {
    const p = this.progress;
    const cancel = html`<button @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>Cancel</button>`;
    if (!p) {
      return html`<label for="bar">${this.label}…</label><progress id="bar" aria-valuetext="${this.label}, starting"></progress>${cancel}`;
    }
    // A report with no known size yet (a model answered from the cache reports 0 of 0 bytes):
    // the stage and an indeterminate bar, not "0.0 MB / 0.0 MB".
    if (p.total <= 0) {
      return html`<label for="bar">${STAGE_LABELS[p.stage]}</label><progress id="bar" aria-valuetext="${STAGE_LABELS[p.stage]}"></progress>${cancel}`;
    }
    const eta = p.etaSeconds !== undefined && p.done < p.total ? ` · about ${formatSeconds(p.etaSeconds)} left` : '';
    const rows = p.rows !== undefined ? ` · ${p.rows.toLocaleString('en')} rows` : '';
    const rate = p.rate !== undefined && p.unit === 'bytes' ? ` · ${(p.rate / 1e6).toFixed(1)} MB/s` : '';
    return html`
      <label for="bar">${STAGE_LABELS[p.stage]}</label>
      <progress id="bar" max=${p.total} .value=${p.done} aria-valuetext="${p.done} of ${p.total} ${p.unit}"></progress>
      <span class="eta">${formatCount(p.done, p.unit)} / ${formatCount(p.total, p.unit)}${rows}${rate}${eta}</span>
      ${cancel}
    `;
  }
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? '<1 s' : seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

function formatCount(value: number, unit: Progress['unit']): string {
  return unit === 'bytes' ? `${(value / 1e6).toFixed(1)} MB` : `${value} ${unit}`;
}

customElements.define('ps-progress', PsProgress);
declare global {
  interface HTMLElementTagNameMap { 'ps-progress': PsProgress }
}
