import { LitElement, css, html } from 'lit';
import type { CodeTarget } from '../clients/chat-grounding-client';
import type { Neighbour } from '../core/types';
import { downloadCsv, downloadJson } from './download';
import { IpcTitlesController } from './shared/ipc-titles-controller';
import { ViewStateController } from './shared/view-state-controller';
import { baseStyles, controlStyles, tableStyles } from './theme/styles';
import './chat/ps-add-to-chat';

/** Pick a technology code and read its nearest codes by cosine similarity; export them as CSV/JSON, or add the code to the chat. */
export class PsNeighboursView extends LitElement {
  static override properties = {
    codes: { attribute: false },
    counts: { attribute: false },
    neighbours: { attribute: false },
    selected: { state: true },
  };
  declare codes: string[];
  declare counts: number[];
  declare neighbours: Record<string, Neighbour[]>;
  declare selected: string;
  private readonly titles = new IpcTitlesController(this);
  /** The chosen code is in the address (#/explore?code=H04L): a link opens it, back/forward walks the choices. */
  private readonly url = new ViewStateController(this, 'explore', (state) => (this.selected = state.codes[0] ?? ''));

  constructor() {
    super();
    this.codes = [];
    this.counts = [];
    this.neighbours = {};
    this.selected = this.url.state.codes[0] ?? '';
  }

  private choose(code: string): void {
    this.selected = code;
    this.url.push({ codes: [code] });
  }

  static override styles = [baseStyles, controlStyles, tableStyles, css`
    :host { display: block; }
    table { min-width: 22rem; }
    .bar { display: inline-block; height: 0.6rem; background: var(--ps-accent); vertical-align: middle; border-radius: 2px; margin-left: var(--ps-space-2); }
    .actions { margin-top: var(--ps-space-3); display: flex; gap: var(--ps-space-2); }
    .current { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ps-space-2); margin: var(--ps-space-2) 0; }
  `];

  override render() {
    if (this.codes.length === 0) return html`<p class="muted">No technology codes yet: load patents first.</p>`;
    const current = this.codes.includes(this.selected) ? this.selected : this.codes[0];
    const list = this.neighbours[current] ?? [];
    const target: CodeTarget = { kind: 'code', code: current, title: this.titles.own(current) };
    return html`
      <label for="code-select">Technology code</label>
      <select id="code-select" @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
        ${this.codes.map((code, i) => html`<option value=${code} ?selected=${code === current}>${code} (${this.counts[i]} patents)</option>`)}
      </select>
      <div class="current"><span id="code-title" class="muted">${this.titles.line(current)}</span>
        <ps-add-to-chat id="code-add-to-chat" .target=${target}></ps-add-to-chat></div>
      <table id="neighbours" aria-label="Codes most similar to ${current}">
        <thead><tr><th class="num">#</th><th>Code</th><th class="num">Cosine similarity</th></tr></thead>
        <tbody>
          ${list.map((n, i) => html`<tr data-code=${n.code} data-similarity=${n.similarity}>
            <td class="num">${i + 1}</td><td>${n.code}</td>
            <td class="num">${n.similarity.toFixed(4)} <span class="bar" style="width:${Math.max(0, n.similarity) * 6}rem"></span></td>
          </tr>`)}
        </tbody>
      </table>
      <div class="actions">
        <button @click=${() => this.exportCsv(current, list)}>Export CSV</button>
        <button @click=${() => this.exportJson()}>Export all as JSON</button>
      </div>
    `;
  }

  private exportCsv(code: string, list: Neighbour[]): void {
    downloadCsv(`neighbours-${code}.csv`, ['code', 'rank', 'neighbour', 'similarity'], list.map((n, i) => [code, i + 1, n.code, n.similarity]));
  }

  private exportJson(): void {
    downloadJson('neighbours.json', this.neighbours);
  }
}

customElements.define('ps-neighbours-view', PsNeighboursView);
declare global {
  interface HTMLElementTagNameMap { 'ps-neighbours-view': PsNeighboursView }
}
