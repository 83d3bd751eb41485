import { LitElement, css, html, svg } from 'lit';
import type { AucInterval } from '../core/forecast/metrics';
import type { RocCurve } from '../core/forecast/ranking';
import { cssColour, seriesColour } from './theme/palette';
import { baseStyles } from './theme/styles';

export interface RocSeries {
  method: string;
  kind: 'embedding' | 'baseline' | 'hybrid';
  auc: number;
  ci: AucInterval;
  roc: RocCurve;
  /** Said after the kind in the legend (the hybrid's "fitted on years A–B"). */
  note?: string;
}

/** How a kind's curve is drawn: baselines dashed, embeddings solid, the hybrid solid and thick. */
const KIND_STROKE: Record<RocSeries['kind'], { dash: string; width: number }> = {
  embedding: { dash: '', width: 1.5 },
  baseline: { dash: '5 3', width: 1.5 },
  hybrid: { dash: '', width: 3 },
};

const SIZE = 320;
const PAD = 36;

export function formatAuc(series: Pick<RocSeries, 'auc' | 'ci'>): string {
  if (!Number.isFinite(series.auc)) return 'AUC n/a';
  const level = Math.round(series.ci.level * 100);
  return `AUC ${series.auc.toFixed(3)} (${level} % CI ${series.ci.low.toFixed(3)}–${series.ci.high.toFixed(3)})`;
}

/** "hybrid (hybrid, fitted on years 1980–2015)", "jaccard (baseline)". */
export function legendName(series: Pick<RocSeries, 'method' | 'kind' | 'note'>): string {
  return `${series.method} (${series.kind}${series.note ? `, ${series.note}` : ''})`;
}

/**
 * ROC curves of several methods on one SVG, with a legend of AUCs and bootstrap intervals. The
 * legend's buttons select a method (the keyboard's one tab stop per method); a click on a curve
 * does the same for the pointer, so the curves are not tab stops of their own.
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
    svg.plot { width: 20rem; height: 20rem; background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: var(--ps-radius); }
    .axis { stroke: var(--ps-text-muted); stroke-width: 1; }
    .grid { stroke: var(--ps-border); stroke-width: 1; }
    .chance { stroke: var(--ps-border-strong); stroke-dasharray: 4 4; }
    polyline { fill: none; }
    g.curve { cursor: pointer; }
    g.curve:hover polyline, g.curve.selected polyline { stroke-width: 3.5; }
    g.curve.hybrid:hover polyline, g.curve.hybrid.selected polyline { stroke-width: 5; }
    text { font: 11px var(--ps-font); fill: var(--ps-text-muted); }
    ul { list-style: none; padding: 0; margin: 0; font-size: var(--ps-text-sm); }
    li button { display: flex; gap: var(--ps-space-2); align-items: center; border: 1px solid transparent; background: none; color: var(--ps-text);
      padding: 2px var(--ps-space-1); cursor: pointer; font: inherit; text-align: left; border-radius: 4px; }
    li button:hover { background: var(--ps-surface2); }
    li button[aria-pressed='true'] { border-color: var(--ps-accent); background: var(--ps-accent-soft); font-weight: 600; }
    .swatch { flex: none; width: 1.2rem; height: 0.5rem; }
    .baseline { color: var(--ps-text-muted); }
    .hybrid { font-weight: 600; }
    .key { font-size: var(--ps-text-sm); margin: var(--ps-space-1) 0 0; }
  `];

  private select(method: string): void {
    this.dispatchEvent(new CustomEvent('method-select', { detail: method, bubbles: true, composed: true }));
  }

  override render() {
    const x = (fpr: number) => PAD + fpr * (SIZE - 2 * PAD);
    const y = (tpr: number) => SIZE - PAD - tpr * (SIZE - 2 * PAD);
    const ticks = [0, 0.25, 0.5, 0.75, 1];
    const colour = (i: number) => cssColour(seriesColour(i));
    return html`
      <svg class="plot" viewBox="0 0 ${SIZE} ${SIZE}" role="group" aria-label="ROC curves: true-positive rate against false-positive rate of ${this.series.length} methods">
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
          <g class="curve ${s.kind} ${s.method === this.selected ? 'selected' : ''}" role="img" data-method=${s.method} data-kind=${s.kind}
            aria-label="${legendName(s)}: ${formatAuc(s)}" stroke=${colour(i)} @click=${() => this.select(s.method)}>
            <title>${legendName(s)}: ${formatAuc(s)}</title>
            <polyline stroke-dasharray=${KIND_STROKE[s.kind].dash} stroke-width=${KIND_STROKE[s.kind].width}
              points=${s.roc.fpr.map((f, k) => `${x(f).toFixed(1)},${y(s.roc.tpr[k]).toFixed(1)}`).join(' ')}></polyline>
          </g>`)}
      </svg>
      <div>
        <ul aria-label="Methods, their kind, AUC and 95 % interval">
          ${this.series.map((s, i) => html`<li>
            <button class=${s.kind} aria-pressed=${s.method === this.selected ? 'true' : 'false'} data-method=${s.method} data-kind=${s.kind}
              data-auc=${String(s.auc)} data-ci-low=${String(s.ci.low)} data-ci-high=${String(s.ci.high)}
              @click=${() => this.select(s.method)}>
              <svg class="swatch" viewBox="0 0 24 10" aria-hidden="true"><line x1="0" y1="5" x2="24" y2="5" stroke=${colour(i)}
                stroke-dasharray=${KIND_STROKE[s.kind].dash} stroke-width=${KIND_STROKE[s.kind].width * 1.5}></line></svg>
              <span>${legendName(s)}: ${formatAuc(s)}</span>
            </button></li>`)}
        </ul>
        <p class="key muted">Solid: embedding · dashed: graph baseline · thick: hybrid.</p>
      </div>
    `;
  }
}

customElements.define('ps-roc-plot', PsRocPlot);
declare global {
  interface HTMLElementTagNameMap { 'ps-roc-plot': PsRocPlot }
}
