import { LitElement, css, html, nothing } from 'lit';
import presetsFile from '../../models/presets.json';
import { checkModel } from '../clients/match-client';
import { listCachedModels, registerFolderModel, removeCachedModel } from '../clients/model-client';
import type { CachedModelSummary } from '../ml/model-store';
import { parseModelRef, type ModelDtype } from '../ml/model-ref';
import type { ModelCheckReport } from '../ml/reference-check';
import { AppStateConsumer } from './shared/app-state-consumer';
import { errorMessage } from './shared/task-controller';
import { viewStyles } from './theme/styles';
import './shared/ps-notice';
import './models/ps-chat-model';
import './models/ps-private-mode';

interface Preset {
  ref: string;
  label: string;
  task: string;
  dtype: string;
  sizeMB: number;
  licence: string;
  purpose: string;
  loadable: boolean;
  /** The dtypes a bundled model ships; each can be checked against its recipe's references. */
  variants?: ModelDtype[];
  /** A bundled model's training data as its manifest states it (test/ml/presets.test.ts keeps them equal). */
  training?: { corpus: string; until_year: number | null };
}

type CheckState = { kind: 'running'; label: string } | { kind: 'done'; report: ModelCheckReport } | { kind: 'error'; label: string; message: string };

const PRESETS = (presetsFile as { presets: Preset[] }).presets;

/** "demo corpus, patents up to 2015": what a forecast's scoring window must lie after. */
function trainingText(preset: Preset): string {
  if (!preset.training) return preset.ref.startsWith('bundled:') ? 'not stated' : 'its publisher’s data (years not stated)';
  const years = preset.training.until_year === null ? 'every year (not for forecasts scored on it)' : `patents up to ${preset.training.until_year}`;
  return `${preset.training.corpus}, ${years}`;
}

/**
 * Choose the embedding model: presets (data in models/presets.json), any hub id or URL, or a
 * folder on this disk; pick the chat engine (ps-chat-model); and see or clear what the browser has cached.
 * @fires model-change - detail: the chosen model reference
 */
export class PsModelsView extends LitElement {
  static override properties = {
    cached: { state: true }, custom: { state: true }, message: { state: true },
    checkDevice: { state: true }, checks: { state: true },
  };
  /** Backend the reference checks run on. */
  declare checkDevice: 'wasm' | 'webgpu';
  declare checks: CheckState[];
  declare cached: CachedModelSummary[];
  declare custom: string;
  declare message: string;

  private readonly app = new AppStateConsumer(this);

  constructor() {
    super();
    this.cached = [];
    this.custom = '';
    this.message = '';
    this.checkDevice = 'wasm';
    this.checks = [];
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    input[type='text'] { min-width: min(24rem, 80vw); }
    td.failed { color: var(--ps-error-text); font-weight: 600; }
  `];

  /** The model the app embeds with now (from the app state). */
  private get current(): string {
    return this.app.value.modelRef;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    this.cached = await listCachedModels();
  }

  override render() {
    return html`
      <p>Current model: <code id="current-model">${this.current}</code></p>
      <ps-private-mode></ps-private-mode>
      <table aria-label="Model presets">
        <thead><tr><th>Model</th><th>For</th><th>Trained on</th><th>Size</th><th>Licence</th><th></th></tr></thead>
        <tbody>${PRESETS.map((p) => html`<tr>
          <td><strong>${p.label}</strong><div class="muted">${p.ref} · ${p.dtype} — ${p.purpose}</div></td>
          <td>${p.task}</td><td data-until-year=${p.training?.until_year ?? 'unknown'}>${trainingText(p)}</td><td class="num">${p.sizeMB} MB</td><td>${p.licence}</td>
          <td>${p.task.endsWith('embedding')
            ? html`<button ?disabled=${!p.loadable || p.ref === this.current} @click=${() => this.choose(p.ref)}>${p.loadable ? 'Use' : 'Not loadable'}</button>`
            : html`<span class="muted">for matching</span>`}</td>
        </tr>`)}</tbody>
      </table>
      <div class="row">
        <label>Hub id or URL <input type="text" id="custom-model" placeholder="hub:owner/name or https://…/model/"
          .value=${this.custom} @input=${(e: Event) => (this.custom = (e.target as HTMLInputElement).value)}></label>
        <button id="load-custom" @click=${() => this.chooseCustom()}>Load</button>
        <label>or a folder on this computer <input type="file" id="folder-input" webkitdirectory
          @change=${(e: Event) => void this.chooseFolder([...((e.target as HTMLInputElement).files ?? [])])}></label>
      </div>
      ${this.message ? html`<ps-notice kind="error" next="Type a hub id such as Xenova/all-MiniLM-L6-v2, a URL ending in /, or choose a folder.">${this.message}</ps-notice>` : nothing}
      <ps-chat-model></ps-chat-model>
      ${this.renderChecks()}
      <h3>Cached in this browser</h3>
      ${this.cached.length === 0 ? html`<p class="muted">Nothing cached yet.</p>` : html`
        <table aria-label="Cached models"><thead><tr><th>Model</th><th>Files</th><th>Size</th><th></th></tr></thead>
          <tbody>${this.cached.map((m) => html`<tr data-key=${m.key}><td>${m.ref}</td><td class="num">${m.files.length}</td>
            <td class="num">${(m.bytes / 1e6).toFixed(1)} MB</td>
            <td><button @click=${() => void this.removeModel(m.key)}>Remove</button></td></tr>`)}</tbody></table>`}
    `;
  }

  private renderChecks() {
    const bundled = PRESETS.filter((p) => p.variants && p.variants.length > 0);
    return html`
      <h3>Check a bundled model on this browser</h3>
      <p class="muted">Runs the fixed inputs its recipe recorded (reference.json) on the chosen backend and compares the outputs:
        cosine for embeddings (fp32 ≥ 0.9999, q8 ≥ 0.99, q4 ≥ 0.98), P(Yes) difference for Yes/No models.</p>
      <div class="row">
        <label>Backend <select id="check-device" @change=${(e: Event) => (this.checkDevice = (e.target as HTMLSelectElement).value as 'wasm' | 'webgpu')}>
          <option value="wasm" ?selected=${this.checkDevice === 'wasm'}>WASM</option>
          <option value="webgpu" ?selected=${this.checkDevice === 'webgpu'}>WebGPU</option>
        </select></label>
        ${bundled.flatMap((p) => (p.variants ?? []).map((dtype) => html`
          <button class="check" data-ref=${p.ref} data-dtype=${dtype} @click=${() => void this.check(p, dtype)}>Check ${p.ref.replace('bundled:', '')} ${dtype}</button>`))}
      </div>
      ${this.checks.length === 0 ? '' : html`<table aria-label="Reference checks" id="check-results">
        <thead><tr><th>Model</th><th>Variant</th><th>Backend</th><th>Result</th><th>Checks</th></tr></thead>
        <tbody>${this.checks.map((c) => this.renderCheck(c))}</tbody></table>`}`;
  }

  private renderCheck(check: CheckState) {
    if (check.kind === 'running') return html`<tr data-state="running"><td colspan="3">${check.label}</td><td>running…</td><td></td></tr>`;
    if (check.kind === 'error') return html`<tr data-state="error"><td colspan="3">${check.label}</td><td role="alert" class="failed">error</td><td>${check.message}</td></tr>`;
    const r = check.report;
    const failed = r.checks.filter((c) => !c.passed);
    const cosines = r.checks.filter((c) => c.measure === 'cosine').map((c) => c.value);
    const differences = r.checks.filter((c) => c.measure === 'abs-diff').map((c) => c.value);
    const worst = [
      cosines.length > 0 ? `min cosine ${Math.min(...cosines).toFixed(6)}` : '',
      differences.length > 0 ? `max P(Yes) difference ${Math.max(...differences).toExponential(2)}` : '',
    ].join(' ');
    return html`<tr data-state=${r.passed ? 'passed' : 'failed'} data-model=${r.modelId} data-dtype=${r.dtype} data-device=${r.device}>
      <td>${r.modelId}</td><td>${r.dtype}</td><td>${r.device}</td>
      <td class=${r.passed ? '' : 'failed'}>${r.passed ? 'passed' : 'FAILED'}</td>
      <td>${r.checks.length - failed.length}/${r.checks.length} ${worst}
        ${failed.map((c) => html`<div class="muted">${c.name}: ${c.value.toPrecision(6)} (needs ${c.measure === 'abs-diff' ? '≤' : '≥'} ${c.threshold})</div>`)}</td></tr>`;
  }

  private async check(preset: Preset, dtype: ModelDtype): Promise<void> {
    const label = `${preset.ref} ${dtype} on ${this.checkDevice}`;
    const index = this.checks.length;
    this.checks = [...this.checks, { kind: 'running', label }];
    let result: CheckState;
    try {
      const report = await checkModel(preset.ref, preset.task === 'yes-no' ? 'yes-no' : 'encoder', dtype, this.checkDevice);
      result = { kind: 'done', report };
    } catch (error) {
      result = { kind: 'error', label, message: errorMessage(error) };
    }
    this.checks = this.checks.map((c, i) => (i === index ? result : c));
  }

  private choose(ref: string): void {
    this.message = '';
    this.dispatchEvent(new CustomEvent('model-change', { detail: ref, bubbles: true, composed: true }));
  }

  private chooseCustom(): void {
    const text = this.custom.trim();
    try {
      parseModelRef(text.includes(':') ? text : `hub:${text}`);
      this.choose(text.includes(':') ? text : `hub:${text}`);
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  private async chooseFolder(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.choose(await registerFolderModel(files));
  }

  private async removeModel(key: string): Promise<void> {
    await removeCachedModel(key);
    await this.refresh();
  }
}

customElements.define('ps-models-view', PsModelsView);
declare global {
  interface HTMLElementTagNameMap { 'ps-models-view': PsModelsView }
}
