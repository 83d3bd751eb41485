import { LitElement, css, html } from 'lit';
import { baseStyles, tableStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';
import type { SpaceNeighbour } from './space-frames';

/**
 * The focused code's nearest codes: click or Enter on a row flies there (Shift adds it).
 * @fires space-control - select
 */
export class PsSpaceNeighbours extends LitElement {
  static override properties = { code: { attribute: false }, neighbours: { attribute: false } };
  /** The focused code, or null. */
  declare code: string | null;
  declare neighbours: SpaceNeighbour[];

  constructor() {
    super();
    this.code = null;
    this.neighbours = [];
  }

  static override styles = [baseStyles, tableStyles, css`
    :host { display: block; }
    table { width: 100%; }
    th, td { padding: var(--ps-space-1) var(--ps-space-2); }
  `];

  override render() {
    if (!this.code) return html`<p class="muted">Click a code or find it by name to see its nearest codes.</p>`;
    const select = (code: string, additive: boolean) => fireSpaceControl(this, { kind: 'select', code, additive });
    return html`
      <h3>Nearest codes to ${this.code}</h3>
      <table id="neighbours" aria-label="Nearest codes to ${this.code}">
        <thead><tr><th class="num">Rank</th><th>Code</th><th>Section</th><th class="num" title="Cosine similarity">Cosine</th><th class="num">Patents</th></tr></thead>
        <tbody>${this.neighbours.map((n, rank) => html`<tr tabindex="0" data-code=${n.code}
          @click=${(e: MouseEvent) => select(n.code, e.shiftKey)}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') select(n.code, e.shiftKey); }}>
          <td class="num">${rank + 1}</td><td>${n.code}</td><td>${n.section}</td><td class="num">${n.similarity.toFixed(3)}</td><td class="num">${n.count}</td></tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('ps-space-neighbours', PsSpaceNeighbours);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-neighbours': PsSpaceNeighbours }
}
