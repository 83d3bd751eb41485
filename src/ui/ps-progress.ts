import { LitElement, css, html } from 'lit';
import type { Progress } from '../core/progress';

const STAGE_LABELS: Record<Progress['stage'], string> = {
  load: 'Loading', parse: 'Reading patents', embed: 'Embedding patents', aggregate: 'Building code vectors',
  similarity: 'Comparing codes', match: 'Asking the Yes/No model', forecast: 'Forecasting', layout: 'Laying out',
};

/**
 * Progress bar for one long task, with count, ETA and a Cancel button.
 * @fires cancel - the user asked to stop the running task
 */
export class PsProgress extends LitElement {
  static override properties = { progress: { attribute: false } };
  declare progress: Progress | null;

  constructor() {
    super();
    this.progress = null;
  }

  static override styles = css`
    :host { display: flex; gap: 0.75rem; align-items: center; }
    progress { flex: 1; height: 1rem; }
    .eta { font-variant-numeric: tabular-nums; color: var(--ps-muted, #555); min-width: 18rem; }
  `;

  override render() {
    const p = this.progress;
    if (!p) return html``;
    const eta = p.etaSeconds !== undefined && p.done < p.total ? ` · about ${formatSeconds(p.etaSeconds)} left` : '';
    const rows = p.rows !== undefined ? ` · ${p.rows.toLocaleString('en')} rows` : '';
    const rate = p.rate !== undefined && p.unit === 'bytes' ? ` · ${(p.rate / 1e6).toFixed(1)} MB/s` : '';
    return html`
      <label for="bar">${STAGE_LABELS[p.stage]}</label>
      <progress id="bar" max=${p.total} .value=${p.done} aria-valuetext="${p.done} of ${p.total} ${p.unit}"></progress>
      <span class="eta">${formatCount(p.done, p.unit)} / ${formatCount(p.total, p.unit)}${rows}${rate}${eta}</span>
      <button @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>Cancel</button>
    `;
  }
}

function formatSeconds(seconds: number): string {
  return seconds < 1 ? '<1 s' : seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

function formatCount(value: number, unit: Progress['unit']): string {
  return unit === 'bytes' ? `${(value / 1e6).toFixed(1)} MB` : `${value} ${unit}`;
}

customElements.define('ps-progress', PsProgress);
declare global {
  interface HTMLElementTagNameMap { 'ps-progress': PsProgress }
}
