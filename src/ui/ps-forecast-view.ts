import { LitElement, css, html, type PropertyValues } from 'lit';
import { datasetYears, patentsOfCodes, runForecastJob } from '../clients/forecast-client';
import { datasetStore } from '../clients/store-client';
import { isAbortError } from '../core/abort';
import { parseCodeTitles, type CodeTitleError } from '../core/code-titles';
import { BASELINES, type BaselineName } from '../core/forecast/baselines';
import type { MethodReport, PredictedPair } from '../core/forecast/forecast';
import type { LabelRule } from '../core/forecast/null-model';
import { scaledDefaultWindows, validateWindows, type ForecastWindows } from '../core/forecast/windows';
import type { Progress } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { CodePatent, ForecastMethod, ForecastOutcome } from '../engines/forecast-engine';
import { prepareForecast, type ForecastPreparation } from '../clients/pipeline';
import type { DatasetRecord } from '../store/records';
import { downloadCsv, downloadText } from './download';
import { formatAuc } from './ps-roc-plot';
import './ps-progress';
import './ps-roc-plot';

const TITLES_SETTING_KEY = 'forecastCodeTitles';
const TOP_N = 50;
const SHOWN_ERRORS = 5;
const SHOWN_PATENTS = 100;

interface StoredCodeTitles {
  name: string;
  titles: Record<string, string>;
  errors: CodeTitleError[];
}

/** The six year inputs as typed ('' = open start, only for the learning window). */
interface WindowInputs {
  learnFrom: string; learnTo: string; embedFrom: string; embedTo: string; scoreFrom: string; scoreTo: string;
}

type ForecastState =
  | { kind: 'idle'; message: string }
  | { kind: 'running'; step: 'embed' | 'forecast'; progress: Progress | null }
  | { kind: 'done'; outcome: ForecastOutcome; preparation: ForecastPreparation | null; settings: RunSettings }
  /** Settings that cannot give a forecast (e.g. an empty window): not a failure. */
  | { kind: 'empty'; message: string }
  | { kind: 'error'; message: string };

interface RunSettings {
  level: CodeLevel;
  windows: ForecastWindows;
  labels: LabelRule;
  datasetId: string;
  datasetName: string;
}

type Drill =
  | { kind: 'loading'; pair: PredictedPair }
  | { kind: 'done'; pair: PredictedPair; patents: Record<string, CodePatent[]> }
  | { kind: 'error'; pair: PredictedPair; message: string };

const METHOD_LABELS: Record<ForecastMethod, string> = {
  'mean-of-patents': 'Mean of patents',
  techtoken: 'TechToken code tokens (when the model has them)',
};

/**
 * Technology forecasting: do codes close in embedding space get combined on later patents more
 * often than chance? Three year windows (learn, embed, score), code vectors from the embedding
 * window, candidate pairs never combined before, labels from the scoring window, and the ROC/AUC
 * of every method against graph baselines, with the top predicted pairs and their patents.
 */
export class PsForecastView extends LitElement {
  static override properties = {
    activeDataset: { attribute: false }, preferGpu: { attribute: false }, modelRef: { attribute: false }, hubHost: { attribute: false },
    windowInputs: { state: true }, yearsNote: { state: true }, level: { state: true }, labelMode: { state: true },
    thresholdKind: { state: true }, thresholdValue: { state: true }, methods: { state: true }, baselines: { state: true },
    encoderOnWasm: { state: true }, state: { state: true }, selectedMethod: { state: true }, drill: { state: true },
    codeTitles: { state: true },
  };
  declare activeDataset: DatasetRecord | null;
  declare preferGpu: boolean;
  declare modelRef: string;
  declare hubHost: string | undefined;
  declare windowInputs: WindowInputs;
  declare yearsNote: string;
  declare level: CodeLevel;
  declare labelMode: LabelRule['mode'];
  declare thresholdKind: 'none' | 'z' | 'p';
  declare thresholdValue: string;
  declare methods: Set<ForecastMethod>;
  declare baselines: Set<BaselineName>;
  /** Embed on WASM even when WebGPU is on (the cosines still follow the WebGPU setting). */
  declare encoderOnWasm: boolean;
  declare state: ForecastState;
  declare selectedMethod: string;
  declare drill: Drill | null;
  declare codeTitles: StoredCodeTitles | null;
  private controller: AbortController | null = null;
  private yearsFor = '';

  constructor() {
    super();
    this.activeDataset = null;
    this.preferGpu = true;
    this.modelRef = '';
    this.hubHost = undefined;
    this.windowInputs = { learnFrom: '', learnTo: '', embedFrom: '', embedTo: '', scoreFrom: '', scoreTo: '' };
    this.yearsNote = '';
    this.level = 'subclass';
    this.labelMode = 'above-null';
    this.thresholdKind = 'none';
    this.thresholdValue = '';
    this.methods = new Set<ForecastMethod>(['mean-of-patents', 'techtoken']);
    this.baselines = new Set<BaselineName>(BASELINES);
    this.encoderOnWasm = false;
    this.state = { kind: 'idle', message: '' };
    this.selectedMethod = '';
    this.drill = null;
    this.codeTitles = null;
  }

  static override styles = css`
    :host { display: block; }
    fieldset { border: 1px solid #ccc; margin: 0.5rem 0; padding: 0.4rem 0.75rem; }
    legend { font-weight: 600; }
    .row { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin: 0.3rem 0; }
    input[type='number'] { width: 5.5rem; }
    table { border-collapse: collapse; margin-top: 0.5rem; }
    th, td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    tr.pair { cursor: pointer; }
    tr.pair:focus, tr.pair:hover { background: #eef4fb; outline: none; }
    tr.pair[aria-selected='true'] { background: #dbe9f8; }
    tr.true td.came { color: #1a7f37; font-weight: 600; }
    .muted { color: #666; font-size: 0.9rem; }
    .notice { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.4rem 0.75rem; border-radius: 4px; margin: 0.5rem 0; }
    .empty { background: #f3f3f3; border: 1px solid #bbb; padding: 0.5rem 0.75rem; border-radius: 4px; }
    .codes { display: flex; gap: 1.5rem; flex-wrap: wrap; }
    .codes > div { flex: 1; min-width: 18rem; }
    dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 0.75rem; margin: 0.5rem 0; }
    dt { color: #555; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadTitles();
  }

  override disconnectedCallback(): void {
    this.controller?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('activeDataset') && this.activeDataset && this.activeDataset.id !== this.yearsFor) {
      this.yearsFor = this.activeDataset.id;
      this.level = this.activeDataset.level;
      this.state = { kind: 'idle', message: '' };
      this.drill = null;
      void this.loadYears(this.activeDataset.id);
    }
  }

  private async loadYears(datasetId: string): Promise<void> {
    try {
      const years = await datasetYears(datasetId);
      if (this.activeDataset?.id !== datasetId) return;
      if (years.firstYear === null || years.lastYear === null) {
        this.yearsNote = 'No patent of this dataset has a year.';
        return;
      }
      this.yearsNote = `${years.patents} patents, ${years.firstYear}–${years.lastYear}.`;
      const w = scaledDefaultWindows(years.firstYear, years.lastYear);
      this.windowInputs = {
        learnFrom: Number.isFinite(w.learn.from) ? String(w.learn.from) : '', learnTo: String(w.learn.to),
        embedFrom: String(w.embed.from), embedTo: String(w.embed.to),
        scoreFrom: String(w.score.from), scoreTo: String(w.score.to),
      };
    } catch (error) {
      this.yearsNote = error instanceof Error ? error.message : String(error);
    }
  }

  private async loadTitles(): Promise<void> {
    try {
      this.codeTitles = (await (await datasetStore()).getSetting<StoredCodeTitles>(TITLES_SETTING_KEY)) ?? null;
    } catch {
      this.codeTitles = null;
    }
  }

  private async onTitlesFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const parsed = parseCodeTitles(await file.text());
    this.codeTitles = { name: file.name, titles: parsed.titles, errors: parsed.errors };
    await (await datasetStore()).setSetting(TITLES_SETTING_KEY, this.codeTitles);
    input.value = '';
  }

  private async clearTitles(): Promise<void> {
    this.codeTitles = null;
    await (await datasetStore()).deleteSetting(TITLES_SETTING_KEY);
  }

  private codeTitle(code: string): string {
    return this.codeTitles?.titles[code] ?? '';
  }

  /** The windows as typed, or why they are not a forecast. */
  private windowsFromInputs(): ForecastWindows {
    const year = (value: string, name: string): number => {
      const n = Number(value);
      if (value.trim() === '' || !Number.isInteger(n)) throw new Error(`Enter a year for ${name}.`);
      return n;
    };
    const i = this.windowInputs;
    const windows: ForecastWindows = {
      learn: { from: i.learnFrom.trim() === '' ? Number.NEGATIVE_INFINITY : year(i.learnFrom, 'the start of the learning window'), to: year(i.learnTo, 'the end of the learning window') },
      embed: { from: year(i.embedFrom, 'the start of the embedding window'), to: year(i.embedTo, 'the end of the embedding window') },
      score: { from: year(i.scoreFrom, 'the start of the scoring window'), to: year(i.scoreTo, 'the end of the scoring window') },
    };
    validateWindows(windows);
    return windows;
  }

  private labelRule(): LabelRule {
    if (this.labelMode === 'at-least-once') return { mode: 'at-least-once' };
    const value = Number(this.thresholdValue);
    if (this.thresholdKind === 'none' || this.thresholdValue.trim() === '') return { mode: 'above-null' };
    if (!Number.isFinite(value)) throw new Error(`The ${this.thresholdKind} threshold must be a number.`);
    if (this.thresholdKind === 'p' && !(value > 0 && value <= 1)) throw new Error('The p threshold must lie in (0, 1].');
    return this.thresholdKind === 'z' ? { mode: 'above-null', minZ: value } : { mode: 'above-null', maxP: value };
  }

  private async run(): Promise<void> {
    const dataset = this.activeDataset;
    if (!dataset) return;
    let windows: ForecastWindows;
    let labels: LabelRule;
    try {
      windows = this.windowsFromInputs();
      labels = this.labelRule();
    } catch (error) {
      this.state = { kind: 'empty', message: error instanceof Error ? error.message : String(error) };
      return;
    }
    const methods = [...this.methods];
    const baselines = BASELINES.filter((b) => this.baselines.has(b));
    if (methods.length === 0 && baselines.length === 0) {
      this.state = { kind: 'empty', message: 'Choose at least one method.' };
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const onProgress = (progress: Progress) => {
      if (this.controller === controller && this.state.kind === 'running') this.state = { ...this.state, progress };
    };
    this.drill = null;
    const level = this.level;
    try {
      let preparation: ForecastPreparation | null = null;
      if (methods.length > 0) {
        this.state = { kind: 'running', step: 'embed', progress: null };
        preparation = await prepareForecast(dataset, {
          modelRef: this.modelRef, hubHost: this.hubHost, level, embedWindow: windows.embed,
          techToken: this.methods.has('techtoken'), encoderOnGpu: this.preferGpu && !this.encoderOnWasm,
        }, controller.signal, onProgress);
      }
      if (this.controller !== controller) return;
      this.state = { kind: 'running', step: 'forecast', progress: null };
      const outcome = await runForecastJob(dataset.id, {
        modelId: preparation?.encoder.modelId ?? this.modelRef, level, windows, labels, methods, baselines,
        topN: TOP_N, preferGpu: this.preferGpu,
      }, controller.signal, onProgress);
      if (this.controller !== controller) return;
      const best = [...outcome.report.methods].filter((m) => m.kind === 'embedding').sort((a, b) => b.auc - a.auc)[0] ?? outcome.report.methods[0];
      this.selectedMethod = best?.method ?? '';
      this.state = { kind: 'done', outcome, preparation, settings: { level, windows, labels, datasetId: dataset.id, datasetName: dataset.name } };
    } catch (error) {
      if (this.controller !== controller) return;
      if (isAbortError(error)) this.state = { kind: 'idle', message: 'Cancelled; press “Run forecast” to start again.' };
      else if (error instanceof Error && error.name === 'ForecastInputError') this.state = { kind: 'empty', message: error.message };
      else this.state = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async showPair(pair: PredictedPair, settings: RunSettings): Promise<void> {
    this.drill = { kind: 'loading', pair };
    try {
      const patents = await patentsOfCodes(settings.datasetId, settings.level, [...pair.codes]);
      if (this.drill?.pair === pair) this.drill = { kind: 'done', pair, patents };
    } catch (error) {
      if (this.drill?.pair === pair) this.drill = { kind: 'error', pair, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private setWindow(key: keyof WindowInputs, value: string): void {
    this.windowInputs = { ...this.windowInputs, [key]: value };
  }

  private toggle<T>(set: Set<T>, value: T, on: boolean): Set<T> {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  }

  override render() {
    if (!this.activeDataset) return html`<p class="empty" id="forecast-status" data-state="empty">No dataset: import patent files first.</p>`;
    const running = this.state.kind === 'running';
    const year = (key: keyof WindowInputs, label: string, placeholder = '') => html`
      <input id=${`fc-${key.replace(/[A-Z]/, (c) => `-${c.toLowerCase()}`)}`} type="number" step="1" aria-label=${label} placeholder=${placeholder}
        .value=${this.windowInputs[key]} @input=${(e: Event) => this.setWindow(key, (e.target as HTMLInputElement).value)}>`;
    return html`
      <p class="muted">Which pairs of technology codes, never combined on one patent so far, will be combined in the scoring window?
        Codes close in embedding space are predicted first; every method's ranking is scored by ROC AUC against what happened.
        ${this.yearsNote}</p>
      <fieldset><legend>Windows (years, inclusive)</legend>
        <div class="row">
          <span>Learn ${year('learnFrom', 'Learning window from (empty: from the first year)', 'start')} – ${year('learnTo', 'Learning window to')}</span>
          <span>Embed ${year('embedFrom', 'Embedding window from')} – ${year('embedTo', 'Embedding window to')}</span>
          <span>Score ${year('scoreFrom', 'Scoring window from')} – ${year('scoreTo', 'Scoring window to')}</span>
        </div>
      </fieldset>
      <fieldset><legend>Codes and labels</legend>
        <div class="row">
          <label>Level <select id="fc-level" @change=${(e: Event) => (this.level = (e.target as HTMLSelectElement).value as CodeLevel)}>
            ${(['subclass', 'main_group', 'subgroup'] as const).map((l) => html`<option value=${l} ?selected=${l === this.level}>${l.replace('_', ' ')}</option>`)}
          </select></label>
          <label>A pair came true when it is <select id="fc-label" @change=${(e: Event) => (this.labelMode = (e.target as HTMLSelectElement).value as LabelRule['mode'])}>
            <option value="above-null" ?selected=${this.labelMode === 'above-null'}>combined more often than chance (null model)</option>
            <option value="at-least-once" ?selected=${this.labelMode === 'at-least-once'}>combined at least once</option>
          </select></label>
          ${this.labelMode === 'above-null' ? html`
            <label>and <select id="fc-threshold-kind" @change=${(e: Event) => (this.thresholdKind = (e.target as HTMLSelectElement).value as 'none' | 'z' | 'p')}>
              <option value="none" ?selected=${this.thresholdKind === 'none'}>no threshold</option>
              <option value="z" ?selected=${this.thresholdKind === 'z'}>z ≥</option>
              <option value="p" ?selected=${this.thresholdKind === 'p'}>p ≤</option>
            </select></label>
            ${this.thresholdKind === 'none' ? '' : html`<input id="fc-threshold" type="number" step="any" aria-label="${this.thresholdKind} threshold"
              .value=${this.thresholdValue} @input=${(e: Event) => (this.thresholdValue = (e.target as HTMLInputElement).value)}>`}` : ''}
        </div>
      </fieldset>
      <fieldset><legend>Methods</legend>
        <div class="row">
          ${(Object.keys(METHOD_LABELS) as ForecastMethod[]).map((m) => html`<label><input type="checkbox" class="fc-method" value=${m}
            .checked=${this.methods.has(m)} @change=${(e: Event) => (this.methods = this.toggle(this.methods, m, (e.target as HTMLInputElement).checked))}> ${METHOD_LABELS[m]}</label>`)}
          <span class="muted">model ${this.modelRef}</span>
        </div>
        <div class="row">Baselines:
          ${BASELINES.map((b) => html`<label><input type="checkbox" class="fc-baseline" value=${b}
            .checked=${this.baselines.has(b)} @change=${(e: Event) => (this.baselines = this.toggle(this.baselines, b, (e.target as HTMLInputElement).checked))}> ${b}</label>`)}
        </div>
        <div class="row">
          <label><input type="checkbox" id="fc-encoder-wasm" .checked=${this.encoderOnWasm}
            @change=${(e: Event) => (this.encoderOnWasm = (e.target as HTMLInputElement).checked)}> Embed patents on WASM</label>
          <span class="muted">Cosines on ${this.preferGpu ? 'WebGPU when available' : 'the CPU (WebGPU is off)'}${this.preferGpu && !this.encoderOnWasm ? ', embeddings on WebGPU when available' : ', embeddings on WASM'}.</span>
        </div>
      </fieldset>
      <fieldset><legend>Code titles (optional)</legend>
        <div class="row">
          <label>TSV file, one <code>code⇥title</code> per line <input id="fc-titles" type="file" accept=".tsv,.txt,text/tab-separated-values,text/plain"
            @change=${(e: Event) => void this.onTitlesFile(e)}></label>
          ${this.codeTitles ? html`<span id="fc-titles-status" data-count=${Object.keys(this.codeTitles.titles).length}>
            ${Object.keys(this.codeTitles.titles).length} titles from ${this.codeTitles.name}</span>
            <button id="fc-titles-clear" @click=${() => void this.clearTitles()}>Forget titles</button>` : ''}
        </div>
        ${this.codeTitles && this.codeTitles.errors.length > 0 ? html`<div class="notice" role="status" id="fc-titles-errors">
          ${this.codeTitles.errors.length} rows skipped:
          ${this.codeTitles.errors.slice(0, SHOWN_ERRORS).map((e) => html`<div>line ${e.line}: ${e.message}</div>`)}
          ${this.codeTitles.errors.length > SHOWN_ERRORS ? html`<div>…</div>` : ''}</div>` : ''}
      </fieldset>
      <div class="row"><button id="fc-run" ?disabled=${running} @click=${() => void this.run()}>Run forecast</button></div>
      ${this.renderState()}
    `;
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return html`<p class="muted" id="forecast-status" data-state="idle">${state.message || `Press “Run forecast” to forecast new code combinations in “${this.activeDataset?.name}”.`}</p>`;
      case 'running':
        return html`<p id="forecast-status" data-state="running">${state.step === 'embed' ? 'Making sure the patent and code vectors are stored…' : 'Scoring candidate pairs…'}</p>
          <ps-progress .progress=${state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'empty':
        return html`<p class="empty" id="forecast-status" data-state="empty" role="status">${state.message}</p>`;
      case 'error':
        return html`<p role="alert" id="forecast-status" data-state="error">${state.message}</p>`;
      case 'done':
        return this.renderResult(state);
    }
  }

  private renderResult(state: Extract<ForecastState, { kind: 'done' }>) {
    const { report, backend, skipped, timingsMs } = state.outcome;
    const c = report.counts;
    const backendText = backend.kind === 'webgpu'
      ? `WebGPU on ${backend.adapterName}${backend.isFallbackAdapter ? ' (fallback adapter)' : ''}`
      : 'CPU';
    const prep = state.preparation;
    const method = report.methods.find((m) => m.method === this.selectedMethod) ?? report.methods[0];
    const notices = [
      ...(backend.fallbackReason ? [`Cosines ran on the CPU: ${backend.fallbackReason}. Results are the same, only slower.`] : []),
      ...(prep?.encoder.fallbackReasons ?? []).map((r) => `Embeddings fell back to ${prep?.encoder.device.toUpperCase()}: ${r}`),
      ...skipped.map((s) => `${s.method} skipped: ${s.reason}.`),
    ];
    return html`
      <p id="forecast-status" data-state="done" data-backend=${backend.kind} data-candidates=${c.candidates} data-positives=${report.balance.positives}>
        ${report.methods.length} methods · ${c.candidates} candidate pairs · cosines on ${backendText}
        ${prep ? html` · embeddings ${prep.encoder.modelId} on ${prep.encoder.device.toUpperCase()} (${prep.embeddingsReused ? 'stored' : 'computed'}) ${Math.round(prep.embedMs)} ms` : ''}
        · code vectors ${Math.round(timingsMs.vectors)} ms · forecast ${Math.round(timingsMs.forecast)} ms
        <button id="fc-csv" @click=${() => this.export('csv', state)}>CSV</button>
        <button id="fc-json" @click=${() => this.export('json', state)}>JSON</button>
      </p>
      ${notices.length > 0 ? html`<div class="notice" role="status" id="fc-notices">${notices.map((n) => html`<div>${n}</div>`)}</div>` : ''}
      <dl id="fc-counts" aria-label="Counts and class balance">
        <dt>Windows</dt><dd>learn ${report.windows.learn} · embed ${report.windows.embed} · score ${report.windows.score} (${report.level.replace('_', ' ')})</dd>
        <dt>Patents with a code</dt><dd>learn ${c.patents.learn} · embed ${c.patents.embed} · score ${c.patents.score}</dd>
        <dt>Codes</dt><dd>${c.codes} in the data, ${c.embedCodes} in the embedding window</dd>
        <dt>Pairs</dt><dd>${c.knownPairs} already combined by ${state.settings.windows.embed.to}, ${c.candidates} candidates</dd>
        <dt>Class balance</dt><dd id="fc-balance">${report.balance.positives} came true, ${report.balance.negatives} did not
          (${(100 * report.balance.positiveShare).toFixed(2)} % positive; labels: ${labelText(report.labels)})</dd>
      </dl>
      <ps-roc-plot .series=${report.methods} .selected=${method?.method ?? ''}
        @method-select=${(e: CustomEvent<string>) => { this.selectedMethod = e.detail; this.drill = null; }}></ps-roc-plot>
      ${method ? this.renderPairs(method, state.settings) : ''}
      ${this.renderDrill()}
    `;
  }

  private renderPairs(method: MethodReport, settings: RunSettings) {
    const selected = this.drill?.pair;
    return html`
      <h3>Top predicted new pairs by
        <select id="fc-method" aria-label="Method of the table" @change=${(e: Event) => { this.selectedMethod = (e.target as HTMLSelectElement).value; this.drill = null; }}>
          ${this.stateMethods().map((m) => html`<option value=${m} ?selected=${m === method.method}>${m}</option>`)}
        </select></h3>
      <p class="muted">${formatAuc(method)} · ${method.precisionAtK.map((p) => `P@${p.k} ${p.precision.toFixed(3)}`).join(' · ')}${method.missingPairs ? ` · ${method.missingPairs} candidates without a vector (scored 0)` : ''}.
        Click a pair, or press Enter on it, for its patents.</p>
      <table id="fc-pairs" aria-label="Top predicted new pairs by ${method.method}">
        <thead><tr><th>Rank</th><th>Code</th><th>Code</th><th>Score</th><th>Came true?</th></tr></thead>
        <tbody>${method.top.map((p) => html`
          <tr class="pair ${p.cameTrue ? 'true' : ''}" tabindex="0" data-rank=${p.rank} aria-selected=${selected === p ? 'true' : 'false'}
            @click=${() => void this.showPair(p, settings)}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') void this.showPair(p, settings); }}>
            <td class="num">${p.rank}</td>
            ${p.codes.map((code) => html`<td><b>${code}</b>${this.codeTitle(code) ? html`<br><span class="muted">${this.codeTitle(code)}</span>` : ''}</td>`)}
            <td class="num">${p.score.toFixed(4)}</td>
            <td class="came">${p.cameTrue ? `yes (${p.observed}×)` : p.observed > 0 ? `${p.observed}×, not above chance` : 'no'}</td>
          </tr>`)}</tbody>
      </table>`;
  }

  private stateMethods(): string[] {
    return this.state.kind === 'done' ? this.state.outcome.report.methods.map((m) => m.method) : [];
  }

  private renderDrill() {
    const drill = this.drill;
    if (!drill) return '';
    const [a, b] = drill.pair.codes;
    if (drill.kind === 'loading') return html`<section id="fc-pair-patents" data-state="loading"><p class="muted">Reading the patents of ${a} and ${b}…</p></section>`;
    if (drill.kind === 'error') return html`<section id="fc-pair-patents" data-state="error"><p role="alert">${drill.message}</p></section>`;
    const ids = new Set(drill.patents[a]?.map((p) => p.id));
    const both = (drill.patents[b] ?? []).filter((p) => ids.has(p.id));
    return html`
      <section id="fc-pair-patents" data-state="done" aria-label="Patents of ${a} and ${b}">
        <h3>Patents of ${a} and ${b}</h3>
        ${both.length > 0 ? html`<p>Combined on ${both.length} patents: ${both.map((p) => `${p.id} (${p.year})`).join(', ')}</p>` : html`<p class="muted">No patent carries both codes.</p>`}
        <div class="codes">
          ${drill.pair.codes.map((code) => {
            const patents = drill.patents[code] ?? [];
            return html`<div data-code=${code}>
              <h4>${code}${this.codeTitle(code) ? ` — ${this.codeTitle(code)}` : ''} (${patents.length}${patents.length >= 500 ? '+' : ''} patents)</h4>
              <table aria-label="Patents with ${code}">
                <thead><tr><th>Patent</th><th>Title</th><th>Year</th></tr></thead>
                <tbody>${patents.slice(0, SHOWN_PATENTS).map((p) => html`<tr><td>${p.id}</td><td>${p.title}</td><td class="num">${p.year}</td></tr>`)}</tbody>
              </table>
              ${patents.length > SHOWN_PATENTS ? html`<p class="muted">The first ${SHOWN_PATENTS} by year.</p>` : ''}
            </div>`;
          })}
        </div>
      </section>`;
  }

  private export(format: 'csv' | 'json', state: Extract<ForecastState, { kind: 'done' }>): void {
    const { report, backend, modelId, skipped } = state.outcome;
    const name = `forecast-${report.level}-${report.windows.embed}-${report.windows.score}`;
    if (format === 'json') {
      const json = JSON.stringify({ dataset: state.settings.datasetName, model: modelId, backend, skipped, codeTitles: this.codeTitles?.name ?? null, report }, jsonNumbers, 1);
      downloadText(`${name}.json`, json, 'application/json');
      return;
    }
    const header = ['method', 'auc', 'ci_low', 'ci_high', 'rank', 'code_1', 'title_1', 'code_2', 'title_2', 'score', 'came_true', 'observed'];
    downloadCsv(`${name}.csv`, header, report.methods.flatMap((m) => m.top.map((p) => [
      m.method, m.auc.toFixed(6), m.ci.low.toFixed(6), m.ci.high.toFixed(6), p.rank, p.codes[0], this.codeTitle(p.codes[0]),
      p.codes[1], this.codeTitle(p.codes[1]), p.score.toFixed(6), p.cameTrue ? 'yes' : 'no', p.observed,
    ])));
  }
}

/** JSON has no ±Infinity or NaN: the open learning window is written as null, like a NaN AUC. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function labelText(rule: LabelRule): string {
  if (rule.mode === 'at-least-once') return 'combined at least once';
  const extra = [rule.minZ !== undefined ? `z ≥ ${rule.minZ}` : '', rule.maxP !== undefined ? `p ≤ ${rule.maxP}` : ''].filter(Boolean);
  return `above the null model${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

customElements.define('ps-forecast-view', PsForecastView);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-view': PsForecastView }
}
