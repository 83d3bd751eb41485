import { LitElement, css, html } from 'lit';
import presetsFile from '../../models/presets.json';
import { listCachedModels, registerFolderModel, removeCachedModel } from '../clients/model-client';
import type { CachedModelSummary } from '../ml/model-store';
import { parseModelRef } from '../ml/model-ref';

interface Preset {
  ref: string;
  label: string;
  task: string;
  dtype: string;
  sizeMB: number;
  licence: string;
  purpose: string;
  loadable: boolean;
}

const PRESETS = (presetsFile as { presets: Preset[] }).presets;

/**
 * Choose the embedding model: presets (data in models/presets.json), any hub id or URL, or a
 * folder on this disk; and see or clear what the browser has cached.
 * @fires model-change - detail: the chosen model reference
 */
export class PsModelsView extends LitElement {
  static override properties = { current: { attribute: false }, cached: { state: true }, custom: { state: true }, message: { state: true } };
  declare current: string;
  declare cached: CachedModelSummary[];
  declare custom: string;
  declare message: string;

  constructor() {
    super();
    this.current = '';
    this.cached = [];
    this.custom = '';
    this.message = '';
  }

  static override styles = css`
    :host { display: block; }
    table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
    th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .muted { color: #666; font-size: 0.9rem; }
    .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
    input[type='text'] { min-width: 24rem; }
  `;

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
      <table aria-label="Model presets">
        <thead><tr><th>Model</th><th>For</th><th>Size</th><th>Licence</th><th></th></tr></thead>
        <tbody>${PRESETS.map((p) => html`<tr>
          <td><strong>${p.label}</strong><div class="muted">${p.ref} · ${p.dtype} — ${p.purpose}</div></td>
          <td>${p.task}</td><td class="num">${p.sizeMB} MB</td><td>${p.licence}</td>
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
      ${this.message ? html`<p role="alert">${this.message}</p>` : ''}
      <h3>Cached in this browser</h3>
      ${this.cached.length === 0 ? html`<p class="muted">Nothing cached yet.</p>` : html`
        <table aria-label="Cached models"><thead><tr><th>Model</th><th>Files</th><th>Size</th><th></th></tr></thead>
          <tbody>${this.cached.map((m) => html`<tr data-key=${m.key}><td>${m.ref}</td><td class="num">${m.files.length}</td>
            <td class="num">${(m.bytes / 1e6).toFixed(1)} MB</td>
            <td><button @click=${() => void this.removeModel(m.key)}>Remove</button></td></tr>`)}</tbody></table>`}
    `;
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
      this.message = error instanceof Error ? error.message : String(error);
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
