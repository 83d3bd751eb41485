import { LitElement, css, html, nothing } from 'lit';
import type { CodeTitleError } from '../../core/code-titles';
import { baseStyles, controlStyles, panelStyles } from '../theme/styles';
import '../shared/ps-notice';

/** Rows skipped in a titles file that are listed; the rest are counted. */
const SHOWN_ERRORS = 5;

export interface StoredCodeTitles {
  name: string;
  titles: Record<string, string>;
  errors: CodeTitleError[];
}

/**
 * An optional `code<TAB>title` file that names codes in the forecast's tables and exports.
 * @fires titles-file - detail: the chosen File
 * @fires titles-clear - the user forgot the titles
 */
export class PsCodeTitles extends LitElement {
  static override properties = { titles: { attribute: false } };
  declare titles: StoredCodeTitles | null;

  constructor() {
    super();
    this.titles = null;
  }

  static override styles = [baseStyles, controlStyles, panelStyles, css`:host { display: block; }`];

  private onFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) this.dispatchEvent(new CustomEvent<File>('titles-file', { detail: file, bubbles: true, composed: true }));
    input.value = '';
  }

  override render() {
    const t = this.titles;
    const count = t ? Object.keys(t.titles).length : 0;
    return html`<fieldset><legend>Code titles (optional)</legend>
      <div class="row">
        <label>TSV file, one <code>code⇥title</code> per line <input id="fc-titles" type="file" accept=".tsv,.txt,text/tab-separated-values,text/plain"
          @change=${(e: Event) => this.onFile(e)}></label>
        ${t ? html`<span id="fc-titles-status" data-count=${count}>${count} titles from ${t.name}</span>
          <button id="fc-titles-clear" @click=${() => this.dispatchEvent(new CustomEvent('titles-clear', { bubbles: true, composed: true }))}>Forget titles</button>` : nothing}
      </div>
      ${t && t.errors.length > 0 ? html`<ps-notice kind="warning" id="fc-titles-errors" next="Fix these lines in the file and choose it again; the other titles are used.">
        ${t.errors.length} rows skipped:
        ${t.errors.slice(0, SHOWN_ERRORS).map((e) => html`<div>line ${e.line}: ${e.message}</div>`)}
        ${t.errors.length > SHOWN_ERRORS ? html`<div>…</div>` : nothing}</ps-notice>` : nothing}
    </fieldset>`;
  }
}

customElements.define('ps-code-titles', PsCodeTitles);
declare global {
  interface HTMLElementTagNameMap { 'ps-code-titles': PsCodeTitles }
}
