import { LitElement, css, html } from 'lit';
import { baseStyles, controlStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';

/**
 * Find a code by name (Enter or a suggestion; Shift+Enter adds it), clear the selection, export.
 * @fires space-control - find, clear, png or csv
 */
export class PsSpaceToolbar extends LitElement {
  static override properties = { codes: { attribute: false }, counts: { attribute: false }, selected: { attribute: false } };
  /** Codes of the space, for suggestions. */
  declare codes: readonly string[];
  declare counts: readonly number[];
  /** Codes selected now. */
  declare selected: number;

  constructor() {
    super();
    this.codes = [];
    this.counts = [];
    this.selected = 0;
  }

  static override styles = [baseStyles, controlStyles, css`:host { display: block; } input { min-width: 12rem; }`];

  private find(event: KeyboardEvent | Event): void {
    if (event instanceof KeyboardEvent && event.key !== 'Enter') return;
    const text = (event.target as HTMLInputElement).value;
    fireSpaceControl(this, { kind: 'find', text, additive: event instanceof KeyboardEvent && event.shiftKey });
  }

  override render() {
    return html`<div class="row" role="toolbar" aria-label="Codes">
      <label>Find a code <input id="code-search" list="space-codes" placeholder="e.g. ${this.codes[0] ?? ''}" autocomplete="off"
        @keydown=${(e: KeyboardEvent) => this.find(e)} @change=${(e: Event) => this.find(e)}></label>
      <datalist id="space-codes">${this.codes.map((c, i) => html`<option value=${c}>${this.counts[i]} patents</option>`)}</datalist>
      <button id="clear-selection" ?disabled=${this.selected === 0} @click=${() => fireSpaceControl(this, { kind: 'clear' })}>Clear selection</button>
      <button id="export-png" @click=${() => fireSpaceControl(this, { kind: 'png' })}>PNG</button>
      <button id="export-csv" ?disabled=${this.selected === 0} @click=${() => fireSpaceControl(this, { kind: 'csv' })}>CSV (selection + nearest)</button>
    </div>`;
  }
}

customElements.define('ps-space-toolbar', PsSpaceToolbar);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-toolbar': PsSpaceToolbar }
}
