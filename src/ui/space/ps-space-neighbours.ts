import { LitElement, css, html } from 'lit';
import type { CodeTarget } from '../../clients/chat-grounding-client';
import { IpcTitlesController } from '../shared/ipc-titles-controller';
import { baseStyles, tableStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';
import type { SpaceNeighbour } from './space-frames';
import '../chat/ps-add-to-chat';

/**
 * The focused code with its title and "Add to chat", and its nearest codes: a code's button, or a
 * click on its row, flies there (Shift adds it).
 * @fires space-control - select
 */
export class PsSpaceNeighbours extends LitElement {
  static override properties = { code: { attribute: false }, neighbours: { attribute: false } };
  /** The focused code, or null. */
  declare code: string | null;
  declare neighbours: SpaceNeighbour[];
  private readonly titles = new IpcTitlesController(this);

  constructor() {
    super();
    this.code = null;
    this.neighbours = [];
  }

  static override styles = [baseStyles, tableStyles, css`
    :host { display: block; }
    table { width: 100%; }
    th, td { padding: var(--ps-space-1) var(--ps-space-2); }
    #focus-title { margin: 0 0 var(--ps-space-2); }
  `];

  override render() {
    if (!this.code) return html`<p class="muted">Click a code or find it by name to see its nearest codes.</p>`;
    // The row's click handler serves both the pointer and the code's button (Enter, Space, or a
    // click, which bubbles up to the row): one place selects.
    const select = (code: string, additive: boolean) => fireSpaceControl(this, { kind: 'select', code, additive });
    const target: CodeTarget = { kind: 'code', code: this.code, title: this.titles.own(this.code) };
    return html`
      <h3>Nearest codes to ${this.code}</h3>
      <p id="focus-title" class="muted">${this.titles.line(this.code)}</p>
      <ps-add-to-chat id="space-add-to-chat" .target=${target}></ps-add-to-chat>
      <table id="neighbours" aria-label="Nearest codes to ${this.code}">
        <thead><tr><th class="num">Rank</th><th>Code</th><th>Section</th><th class="num" title="Cosine similarity">Cosine</th><th class="num">Patents</th></tr></thead>
        <tbody>${this.neighbours.map((n, rank) => html`<tr class="pick" data-code=${n.code}
          @click=${(e: MouseEvent) => select(n.code, e.shiftKey)}>
          <td class="num">${rank + 1}</td><td><button class="row-button neighbour-select" title="Fly to ${n.code} (Shift adds it)">${n.code}</button></td><td>${n.section}</td><td class="num">${n.similarity.toFixed(3)}</td><td class="num">${n.count}</td></tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('ps-space-neighbours', PsSpaceNeighbours);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-neighbours': PsSpaceNeighbours }
}
