import { LitElement, css, html, type PropertyValues } from 'lit';
import type { CodeLevel } from '../core/types';
import type { DatasetRecord } from '../store/records';
import { LEVEL_LABELS, LEVELS } from './shared/level-labels';
import { baseStyles, controlStyles } from './theme/styles';

/**
 * Choose the dataset and its analysis level; delete it after an inline confirmation. The
 * confirmation takes the focus when it opens (on "Keep", the harmless answer), Escape closes it,
 * and the focus goes back to "Delete…" when it closes, so a keyboard user is never left on <body>.
 * @fires dataset-select - detail: dataset id
 * @fires level-change - detail: CodeLevel
 * @fires dataset-delete - detail: dataset id (already confirmed by the user)
 */
export class PsDatasetBar extends LitElement {
  static override properties = {
    datasets: { attribute: false }, active: { attribute: false }, confirming: { state: true }, storageNote: { attribute: false },
  };
  declare datasets: DatasetRecord[];
  declare active: DatasetRecord | null;
  declare confirming: boolean;
  declare storageNote: string;

  constructor() {
    super();
    this.datasets = [];
    this.active = null;
    this.confirming = false;
    this.storageNote = '';
  }

  /** Set when the confirmation closes: the next update puts the focus back on "Delete…". */
  private returnFocus = false;

  static override styles = [baseStyles, controlStyles, css`
    :host { display: flex; gap: var(--ps-space-2) var(--ps-space-3); align-items: center; flex-wrap: wrap; font-size: var(--ps-text-sm); }
    label { display: inline-flex; align-items: center; gap: var(--ps-space-1); white-space: nowrap; min-width: 0; }
    /* On one row with the bar's settings: the dataset's name gives way first (its option text is whole in the list). */
    @media (min-width: 64rem) { :host { flex-wrap: nowrap; } #dataset-select { min-width: 7rem; flex: 1 1 auto; } }
    .confirm { display: inline-flex; gap: var(--ps-space-2); align-items: center; background: var(--ps-warning-bg); color: var(--ps-warning-text);
      border: 1px solid var(--ps-warning-border); padding: var(--ps-space-1) var(--ps-space-2); border-radius: var(--ps-radius); }
    .note { color: var(--ps-text-muted); font-size: var(--ps-text-xs); }
    #dataset-select { max-width: 12rem; }
    #level-select { max-width: 9.5rem; }
    /* --ps-delete-display: none in kiosk mode, where visitors cannot delete the demo. */
    #delete-dataset { display: var(--ps-delete-display, inline-block); }
  `];

  // The selects' .value follows the active dataset and level when they change without the user
  // (back/forward, a link): ?selected alone cannot move an option the user picked before.
  override render() {
    if (this.datasets.length === 0) return html`<span>No datasets yet.</span>`;
    const active = this.active;
    return html`
      <label>Dataset <select id="dataset-select" .value=${active?.id ?? ''} @change=${(e: Event) => this.fire('dataset-select', (e.target as HTMLSelectElement).value)}>
        ${this.datasets.map((d) => html`<option value=${d.id} ?selected=${d.id === active?.id}>${d.name} (${d.patentCount} patents)</option>`)}
      </select></label>
      ${active ? html`
        <label>Level <select id="level-select" .value=${active.level} @change=${(e: Event) => this.fire('level-change', (e.target as HTMLSelectElement).value as CodeLevel)}>
          ${LEVELS.map((l) => html`<option value=${l} ?selected=${l === active.level}>${LEVEL_LABELS[l]}</option>`)}
        </select></label>
        ${this.confirming
          ? html`<span class="confirm" role="alertdialog" aria-labelledby="confirm-question" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.closeConfirmation(); }}>
              <span id="confirm-question">Delete “${active.name}” (${active.patentCount} patents)?</span>
              <button id="confirm-delete" @click=${() => { this.closeConfirmation(); this.fire('dataset-delete', active.id); }}>Delete</button>
              <button id="keep-dataset" @click=${() => this.closeConfirmation()}>Keep</button></span>`
          : html`<button id="delete-dataset" aria-label="Delete dataset…" title="Delete this dataset (asks first)" @click=${() => (this.confirming = true)}>Delete…</button>`}` : ''}
      ${this.storageNote ? html`<span class="note">${this.storageNote}</span>` : ''}
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('confirming') && this.confirming) this.renderRoot.querySelector<HTMLButtonElement>('#keep-dataset')?.focus();
    if (this.returnFocus) {
      // After a deletion the bar shows the next dataset's "Delete…": the focus goes there.
      this.returnFocus = false;
      this.renderRoot.querySelector<HTMLButtonElement>('#delete-dataset')?.focus();
    }
  }

  private closeConfirmation(): void {
    this.confirming = false;
    this.returnFocus = true;
  }

  private fire<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('ps-dataset-bar', PsDatasetBar);
declare global {
  interface HTMLElementTagNameMap { 'ps-dataset-bar': PsDatasetBar }
}
