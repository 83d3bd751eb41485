import { LitElement, css, html } from 'lit';
import type { Neighbour } from '../core/types';
import { downloadCsv, downloadText } from './download';

/** Pick a technology code and read its nearest codes by cosine similarity; export them as CSV/JSON. */
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

  constructor() {
    super();
    this.codes = [];
    this.counts = [];
    this.neighbours = {};
    this.selected = '';
  }

  static override styles = css`
    :host { display: block; }
    table { border-collapse: collapse; margin-top: 0.75rem; min-width: 22rem; }
    th, td { text-align: left; padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .bar { display: inline-block; height: 0.6rem; background: #4a7bd0; vertical-align: middle; }
    .actions { margin-top: 0.75rem; display: flex; gap: 0.5rem; }
    .empty { color: #666; }
  `;

  override render() {
    if (this.codes.length === 0) return html`<p class="empty">No technology codes yet: load patents first.</p>`;
    const current = this.codes.includes(this.selected) ? this.selected : this.codes[0];
    const list = this.neighbours[current] ?? [];
    return html`
      <label for="code-select">Technology code</label>
      <select id="code-select" @change=${(e: Event) => (this.selected = (e.target as HTMLSelectElement).value)}>
        ${this.codes.map((code, i) => html`<option value=${code} ?selected=${code === current}>${code} (${this.counts[i]} patents)</option>`)}
      </select>
      <table id="neighbours" aria-label="Codes most similar to ${current}">
        <thead><tr><th>#</th><th>Code</th><th>Cosine similarity</th></tr></thead>
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
    downloadText('neighbours.json', JSON.stringify(this.neighbours, null, 1), 'application/json');
  }
}

customElements.define('ps-neighbours-view', PsNeighboursView);
declare global {
  interface HTMLElementTagNameMap { 'ps-neighbours-view': PsNeighboursView }
}
