import { LitElement, css, html, nothing } from 'lit';
import {
  chatClient, choiceKey as keyOf, hubChatChoice, type ChatChoice, type ChatChoiceOption, type ChatClientState,
} from '../../clients/chat-client';
import type { ChatFit } from '../../core/chat/engine';
import type { ModelDtype } from '../../ml/model-ref';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { errorMessage } from '../shared/task-controller';
import { viewStyles } from '../theme/styles';
import '../shared/ps-notice';

type FitState = { kind: 'checking' } | { kind: 'done'; fit: ChatFit };

const HUB_DTYPES: ModelDtype[] = ['q4', 'q4f16', 'q8', 'fp16', 'fp32'];

/**
 * Picks the chat engine: the bundled Llama, web-llm's MLC models (with web-llm's GPU memory
 * estimate) or any ONNX chat model by hub id, URL or folder. Each listed model is checked
 * against this machine first and a refusal shows its reason, so nothing that cannot run is
 * downloaded; loading shows its progress, and the choice is kept across reloads (ChatClient).
 */
export class PsChatModel extends LitElement {
  static override properties = {
    options: { state: true }, fits: { state: true }, chosen: { state: true }, engine: { state: true },
    custom: { state: true }, customDtype: { state: true }, message: { state: true },
  };
  declare options: ChatChoiceOption[];
  declare fits: Map<string, FitState>;
  /** The kept choice (loaded now or on the first question). */
  declare chosen: ChatChoice | null;
  declare engine: ChatClientState;
  declare custom: string;
  declare customDtype: ModelDtype;
  declare message: string;

  private readonly app = new AppStateConsumer(this);
  private unsubscribe: (() => void) | null = null;
  private loading: AbortController | null = null;

  constructor() {
    super();
    this.options = [];
    this.fits = new Map();
    this.chosen = null;
    this.engine = { kind: 'idle' };
    this.custom = '';
    this.customDtype = 'q4';
    this.message = '';
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    td.refused { color: var(--ps-error-text); }
    td.fits { color: var(--ps-text-muted); }
    input[type='text'] { min-width: min(24rem, 80vw); }
    progress { min-width: 12rem; accent-color: var(--ps-accent); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = chatClient.subscribe((state) => (this.engine = state));
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async refresh(): Promise<void> {
    const [options, chosen] = await Promise.all([chatClient.choices(), chatClient.savedChoice()]);
    this.options = options;
    this.chosen = chosen;
    // One check after the other: each web-llm check asks the GPU for its adapter.
    for (const option of options) await this.checkFit(option.choice);
  }

  private async checkFit(choice: ChatChoice): Promise<ChatFit> {
    const key = keyOf(choice);
    this.fits = new Map(this.fits).set(key, { kind: 'checking' });
    let fit: ChatFit;
    try {
      fit = await chatClient.fit(choice);
    } catch (error) {
      fit = { ok: false, reason: errorMessage(error) };
    }
    this.fits = new Map(this.fits).set(key, { kind: 'done', fit });
    return fit;
  }

  override render() {
    return html`
      <h3>Chat engine</h3>
      <p class="muted">The chat answers only from your data; the engine writes the prose. Each model is checked against this
        machine before anything is downloaded.</p>
      ${this.renderEngine()}
      <table aria-label="Chat models">
        <thead><tr><th>Model</th><th>Runs on</th><th>GPU memory</th><th>Context</th><th>Here</th><th></th></tr></thead>
        <tbody>${this.options.map((o) => this.renderOption(o))}</tbody>
      </table>
      <div class="row">
        <label>ONNX chat model: hub id or URL <input type="text" id="chat-custom-model" placeholder="hub:onnx-community/Qwen2.5-0.5B-Instruct"
          .value=${this.custom} @input=${(e: Event) => (this.custom = (e.target as HTMLInputElement).value)}></label>
        <label>Variant <select id="chat-custom-dtype" @change=${(e: Event) => (this.customDtype = (e.target as HTMLSelectElement).value as ModelDtype)}>
          ${HUB_DTYPES.map((d) => html`<option value=${d} ?selected=${d === this.customDtype}>${d}</option>`)}
        </select></label>
        <button id="chat-load-custom" @click=${() => void this.useCustom()}>Load</button>
        <label>or a folder <input type="file" id="chat-folder-input" webkitdirectory
          @change=${(e: Event) => void this.useFolder([...((e.target as HTMLInputElement).files ?? [])])}></label>
      </div>
      ${this.message ? html`<ps-notice kind="error" next="Type a hub id such as onnx-community/Qwen2.5-0.5B-Instruct, a URL ending in /, or choose a folder.">${this.message}</ps-notice>` : nothing}
    `;
  }

  private renderEngine() {
    const state = this.engine;
    switch (state.kind) {
      case 'loading': {
        const p = state.progress;
        return html`<div class="row" id="chat-engine" data-state="loading">
          <span>Loading ${state.choice.model}…</span>
          ${p?.fraction !== null && p?.fraction !== undefined ? html`<progress max="1" .value=${p.fraction}></progress>` : html`<progress></progress>`}
          <span class="muted">${p?.text ?? ''}</span>
          <button @click=${() => this.loading?.abort()}>Cancel</button></div>`;
      }
      case 'ready': {
        const { info, fallbackReasons } = state.loaded;
        return html`<p id="chat-engine" data-state="ready" data-model=${info.model} data-device=${info.device}>
          Chat engine: <code>${info.model}</code> on ${info.device}, ${info.contextTokens}-token context.
          ${fallbackReasons.length > 0 ? html`<span class="muted">(${fallbackReasons.join('; ')})</span>` : nothing}</p>`;
      }
      case 'error':
        return html`<ps-notice id="chat-engine" data-state="error" kind="error" next="Pick another model, or the bundled one, which runs anywhere.">${state.message}</ps-notice>`;
      case 'idle':
        return html`<p id="chat-engine" data-state="idle">Chosen: <code>${this.chosen?.model ?? '…'}</code>
          <span class="muted">— loads when you first ask, or</span>
          <button id="chat-load-chosen" ?disabled=${!this.chosen} @click=${() => this.chosen && void this.use(this.chosen)}>Load now</button></p>`;
    }
  }

  private renderOption(option: ChatChoiceOption) {
    const key = keyOf(option.choice);
    const fit = this.fits.get(key);
    const refused = fit?.kind === 'done' && !fit.fit.ok;
    const isChosen = this.chosen !== null && keyOf(this.chosen) === key;
    const fitCell = !fit || fit.kind === 'checking'
      ? html`<td>checking…</td>`
      : fit.fit.ok ? html`<td class="fits" data-fit="ok">fits</td>` : html`<td class="refused" data-fit="refused">${fit.fit.reason}</td>`;
    return html`<tr data-key=${key} data-kind=${option.choice.kind}>
      <td><strong>${option.label}</strong>${isChosen ? html` <span class="muted">(chosen)</span>` : nothing}<div class="muted">${option.detail}</div></td>
      <td>${option.choice.kind === 'webllm' ? 'web-llm, WebGPU' : 'ONNX Runtime (WebGPU or WASM)'}</td>
      <td class="num">${option.vramMB !== undefined ? `${(option.vramMB / 1024).toFixed(1)} GB` : '—'}</td>
      <td class="num">${option.contextTokens ?? '—'}</td>
      ${fitCell}
      <td><button class="use" ?disabled=${refused || this.engine.kind === 'loading'} @click=${() => void this.use(option.choice)}>${refused ? 'Does not fit' : 'Use'}</button></td>
    </tr>`;
  }

  private async use(choice: ChatChoice): Promise<void> {
    this.message = '';
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const { preferGpu, hubHost } = this.app.value;
    try {
      await chatClient.load(choice, { signal: controller.signal, preferGpu, hubHost });
      this.chosen = choice;
    } catch {
      // The client's state carries the error (or the cancel) and renderEngine shows it.
    } finally {
      if (this.loading === controller) this.loading = null;
    }
  }

  private async useCustom(): Promise<void> {
    let choice: ChatChoice;
    try {
      choice = hubChatChoice(this.custom, this.customDtype);
    } catch (error) {
      this.message = errorMessage(error);
      return;
    }
    await this.addAndUse(choice, this.custom.trim());
  }

  private async useFolder(files: File[]): Promise<void> {
    if (files.length === 0) return;
    try {
      await this.addAndUse(await chatClient.registerFolder(files), files[0].webkitRelativePath.split('/')[0] || 'folder');
    } catch (error) {
      this.message = errorMessage(error);
    }
  }

  /** Lists a typed or picked model like the presets (with its fit), then loads it if it fits. */
  private async addAndUse(choice: ChatChoice, label: string): Promise<void> {
    const key = keyOf(choice);
    if (!this.options.some((o) => keyOf(o.choice) === key)) {
      this.options = [...this.options, { choice, label, detail: `${choice.model}, ONNX Runtime in the ML worker` }];
    }
    const fit = await this.checkFit(choice);
    if (fit.ok) await this.use(choice);
  }
}

customElements.define('ps-chat-model', PsChatModel);
declare global {
  interface HTMLElementTagNameMap { 'ps-chat-model': PsChatModel }
}
