import { LitElement, css, html, svg } from 'lit';
import type { AucInterval } from '../core/forecast/metrics';
import type { RocCurve } from '../core/forecast/ranking';
import { cssColour, seriesColour } from './theme/palette';
import { baseStyles } from './theme/styles';

export interface RocSeries {
  method: string;
  kind: 'embedding' | 'baseline';
  auc: number;
  ci: AucInterval;
  roc: RocCurve;
}

const SIZE = 320;
const PAD = 36;

export function formatAuc(series: Pick<RocSeries, 'auc' | 'ci'>): string {
  if (!Number.isFinite(series.auc)) return 'AUC n/a';
  const level = Math.round(series.ci.level * 100);
  return `AUC ${series.auc.toFixed(3)} (${level} % CI ${series.ci.low.toFixed(3)}–${series.ci.high.toFixed(3)})`;
}

/**
 * ROC curves of several methods on one SVG, with a legend of AUCs and bootstrap intervals. Each
 * curve and legend entry is focusable; choosing an entry (click, Enter or Space) selects it.
 * @fires method-select - detail: the method name
 */
export class PsRocPlot extends LitElement {
  static override properties = { series: { attribute: false }, selected: { attribute: false } };
  declare series: RocSeries[];
  declare selected: string;

  constructor() {
    super();
    this.series = [];
    this.selected = '';
  }

  static override styles = [baseStyles, css`
    :host { display: flex; gap: var(--ps-space-4); flex-wrap: wrap; align-items: flex-start; margin: var(--ps-space-3) 0; }
    svg { width: 20rem; height: 20rem; background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: var(--ps-radius); }
    .axis { stroke: var(--ps-text-muted); stroke-width: 1; }
    .grid { stroke: var(--ps-border); stroke-width: 1; }
    .chance { stroke: var(--ps-border-strong); stroke-dasharray: 4 4; }
    polyline { fill: none; stroke-width: 1.5; }
    g.curve:focus { outline: none; }
    g.curve:focus polyline, g.curve.selected polyline { stroke-width: 3.5; }
    text { font: 11px var(--ps-font); fill: var(--ps-text-muted); }
    ul { list-style: none; padding: 0; margin: 0; font-size: var(--ps-text-sm); }
    li button { display: flex; gap: var(--ps-space-2); align-items: center; border: 1px solid transparent; background: none; color: var(--ps-text);
      padding: 2px var(--ps-space-1); cursor: pointer; font: inherit; text-align: left; border-radius: 4px; }
    li button:hover { background: var(--ps-surface2); }
    li button[aria-pressed='true'] { border-color: var(--ps-accent); background: var(--ps-accent-soft); font-weight: 600; }
    .swatch { display: inline-block; width: 1.2rem; height: 0.25rem; }
    .baseline { color: var(--ps-text-muted); }
  `];

  private select(method: string): void {
    this.dispatchEvent(new CustomEvent('method-select', { detail: method, bubbles: true, composed: true }));
  }

  private onKey(event: KeyboardEvent, method: string): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select(method);
    }
  }

  override render() {
    const x = (fpr: number) => PAD + fpr * (SIZE - 2 * PAD);
    const y = (tpr: number) => SIZE - PAD - tpr * (SIZE - 2 * PAD);
    const ticks = [0, 0.25, 0.5, 0.75, 1];
    const colour = (i: number) => cssColour(seriesColour(i));
    return html`
      <svg viewBox="0 0 ${SIZE} ${SIZE}" role="group" aria-label="ROC curves: true-positive rate against false-positive rate of ${this.series.length} methods">
        ${ticks.map((t) => svg`
          <line class="grid" x1=${x(t)} y1=${y(0)} x2=${x(t)} y2=${y(1)}></line>
          <line class="grid" x1=${x(0)} y1=${y(t)} x2=${x(1)} y2=${y(t)}></line>
          <text x=${x(t)} y=${y(0) + 14} text-anchor="middle">${t}</text>
          <text x=${x(0) - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`)}
        <line class="axis" x1=${x(0)} y1=${y(0)} x2=${x(1)} y2=${y(0)}></line>
        <line class="axis" x1=${x(0)} y1=${y(0)} x2=${x(0)} y2=${y(1)}></line>
        <line class="chance" x1=${x(0)} y1=${y(0)} x2=${x(1)} y2=${y(1)}></line>
        <text x=${x(0.5)} y=${SIZE - 4} text-anchor="middle">false-positive rate</text>
        <text x="10" y=${y(0.5)} text-anchor="middle" transform="rotate(-90 10 ${y(0.5)})">true-positive rate</text>
        ${this.series.map((s, i) => svg`
          <g class="curve ${s.method === this.selected ? 'selected' : ''}" tabindex="0" role="img" data-method=${s.method}
            aria-label="${s.method}: ${formatAuc(s)}" stroke=${colour(i)}
            @click=${() => this.select(s.method)} @keydown=${(e: KeyboardEvent) => this.onKey(e, s.method)}>
            <title>${s.method}: ${formatAuc(s)}</title>
            <polyline stroke-dasharray=${s.kind === 'baseline' ? '5 3' : ''}
              points=${s.roc.fpr.map((f, k) => `${x(f).toFixed(1)},${y(s.roc.tpr[k]).toFixed(1)}`).join(' ')}></polyline>
          </g>`)}
      </svg>
      <ul aria-label="Methods, their AUC and 95 % interval">
        ${this.series.map((s, i) => html`<li>
          <button class=${s.kind} aria-pressed=${s.method === this.selected ? 'true' : 'false'} data-method=${s.method} data-auc=${String(s.auc)}
            @click=${() => this.select(s.method)}>
            <span class="swatch" style="background:${colour(i)}"></span>
            <span>${s.method}${s.kind === 'baseline' ? ' (baseline)' : ''}: ${formatAuc(s)}</span>
          </button></li>`)}
      </ul>
    `;
  }
}

customElements.define('ps-roc-plot', PsRocPlot);
declare global {
  interface HTMLElementTagNameMap { 'ps-roc-plot': PsRocPlot }
}
