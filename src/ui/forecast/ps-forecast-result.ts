import { LitElement, css, html, nothing } from 'lit';
import type { ForecastPreparation } from '../../clients/pipeline';
import type { PredictedPair } from '../../core/forecast/forecast';
import { backtestWindows } from '../../core/forecast/hybrid';
import { trainingLeak, type ForecastWindows } from '../../core/forecast/windows';
import type { CodeLevel } from '../../core/types';
import type { ForecastOutcome } from '../../clients/engine-types';
import { baseStyles, controlStyles, panelStyles } from '../theme/styles';
import { exportForecastCsv, exportForecastJson } from './forecast-export';
import { labelText } from './forecast-inputs';
import { fittedYears } from './hybrid-text';
import '../ps-roc-plot';
import '../shared/ps-notice';
import './ps-forecast-comparison';
import './ps-forecast-pairs';
import './ps-pair-features';
import './ps-pair-patents';

/** A finished forecast and what it was run with. */
export interface ForecastRun {
  kind: 'report';
  outcome: ForecastOutcome;
  preparation: ForecastPreparation | null;
  level: CodeLevel;
  windows: ForecastWindows;
  datasetId: string;
  datasetName: string;
}

/**
 * A forecast's result: backends and timings, fallbacks, counts and class balance, the ROC curves
 * by kind, the paired differences against the best baseline and the hybrid's model, the top pairs
 * of the chosen method and the chosen pair's features and patents; CSV and JSON export.
 * @fires method-select - detail: method name (from the legend or the table's heading)
 * @fires pair-select - detail: PredictedPair
 */
export class PsForecastResult extends LitElement {
  static override properties = {
    run: { attribute: false }, method: { attribute: false }, pair: { attribute: false }, titles: { attribute: false }, titlesName: { attribute: false },
  };
  declare run: ForecastRun | null;
  declare method: string;
  declare pair: PredictedPair | null;
  declare titles: Record<string, string>;
  declare titlesName: string | null;

  constructor() {
    super();
    this.run = null;
    this.method = '';
    this.pair = null;
    this.titles = {};
    this.titlesName = null;
  }

  static override styles = [baseStyles, controlStyles, panelStyles, css`
    :host { display: block; }
    #forecast-status { font-size: var(--ps-text-sm); }
    #forecast-status button { margin-left: var(--ps-space-2); }
  `];

  override render() {
    const run = this.run;
    if (!run) return nothing;
    const { report, backend, skipped, timingsMs } = run.outcome;
    const c = report.counts;
    const backendText = backend.kind === 'webgpu' ? `WebGPU on ${backend.adapterName}${backend.isFallbackAdapter ? ' (fallback adapter)' : ''}` : 'CPU';
    const prep = run.preparation;
    const method = report.methods.find((m) => m.method === this.method) ?? report.methods[0];
    const notices = [
      ...(backend.fallbackReason ? [`Cosines ran on the CPU: ${backend.fallbackReason}. Results are the same, only slower.`] : []),
      ...(prep?.encoder.fallbackReasons ?? []).map((r) => `Embeddings fell back to ${prep?.encoder.device.toUpperCase()}: ${r}`),
      // The hybrid's skip has its own notice with the comparison.
      ...skipped.filter((s) => s.method !== 'hybrid').map((s) => `${s.method} skipped: ${s.reason}.`),
    ];
    // Only a model that never saw the scoring years gives an honest AUC (core/forecast/windows.ts);
    // one that saw the backtest's scoring years makes its own cosine look better in the hybrid's fit.
    const untilYear = prep?.encoder.manifest?.training?.until_year;
    const leak = prep ? trainingLeak(untilYear, run.windows, prep.encoder.modelId) : null;
    const fitLeak = prep && report.hybrid && !leak ? trainingLeak(untilYear, backtestWindows(run.windows), prep.encoder.modelId) : null;
    const hybridNote = report.hybrid ? fittedYears(report.hybrid) : '';
    const series = report.methods.map((m) => (m.kind === 'hybrid' ? { ...m, note: hybridNote } : m));
    const hybridMethod = report.methods.find((m) => m.kind === 'hybrid') ?? null;
    const exported = { outcome: run.outcome, datasetName: run.datasetName, titles: this.titles, titlesName: this.titlesName };
    return html`
      <p id="forecast-status" data-state="done" data-backend=${backend.kind} data-candidates=${c.candidates} data-positives=${report.balance.positives}>
        ${report.methods.length} methods · ${c.candidates} candidate pairs · cosines on ${backendText}
        ${prep ? html` · embeddings ${prep.encoder.modelId} on ${prep.encoder.device.toUpperCase()} (${prep.embeddingsReused ? 'stored' : 'computed'}) ${Math.round(prep.embedMs)} ms` : ''}
        · code vectors ${Math.round(timingsMs.vectors)} ms · forecast ${Math.round(timingsMs.forecast)} ms
        <button id="fc-csv" @click=${() => exportForecastCsv(exported)}>CSV</button>
        <button id="fc-json" @click=${() => exportForecastJson(exported)}>JSON</button>
      </p>
      ${leak ? html`<ps-notice kind="warning" id="fc-training-leak">${leak}</ps-notice>` : nothing}
      ${fitLeak ? html`<ps-notice kind="warning" id="fc-fit-leak">The hybrid's fit: ${fitLeak}</ps-notice>` : nothing}
      ${notices.length > 0 ? html`<ps-notice kind="warning" id="fc-notices">${notices.map((n) => html`<div>${n}</div>`)}</ps-notice>` : nothing}
      <dl id="fc-counts" aria-label="Counts and class balance">
        <dt>Windows</dt><dd>learn ${report.windows.learn} · embed ${report.windows.embed} · score ${report.windows.score} (${report.level.replace('_', ' ')})</dd>
        <dt>Patents with a code</dt><dd>learn ${c.patents.learn} · embed ${c.patents.embed} · score ${c.patents.score}</dd>
        <dt>Codes</dt><dd>${c.codes} in the data, ${c.embedCodes} in the embedding window</dd>
        <dt>Pairs</dt><dd>${c.knownPairs} already combined by ${run.windows.embed.to}, ${c.candidates} candidates</dd>
        <dt>Class balance</dt><dd id="fc-balance">${report.balance.positives} came true, ${report.balance.negatives} did not
          (${(100 * report.balance.positiveShare).toFixed(2)} % positive; labels: ${labelText(report.labels)})</dd>
      </dl>
      <ps-roc-plot .series=${series} .selected=${method?.method ?? ''}></ps-roc-plot>
      <ps-forecast-comparison .report=${report} .leftOut=${run.outcome.hybridLeftOut}></ps-forecast-comparison>
      <ps-forecast-pairs .method=${method ?? null} .methods=${report.methods.map((m) => m.method)} .selected=${this.pair} .titles=${this.titles}
        .note=${method?.kind === 'hybrid' ? hybridNote : ''}></ps-forecast-pairs>
      <ps-pair-features .pair=${this.pair} .hybrid=${report.hybrid ?? null} .hybridMethod=${hybridMethod}></ps-pair-features>
      <ps-pair-patents .pair=${this.pair} .datasetId=${run.datasetId} .level=${run.level} .titles=${this.titles}></ps-pair-patents>
    `;
  }
}

customElements.define('ps-forecast-result', PsForecastResult);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-result': PsForecastResult }
}
