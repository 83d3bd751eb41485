import { LitElement, css, html } from 'lit';
import type { ColumnMapping } from '../core/ingest/types';
import { baseStyles, controlStyles } from './theme/styles';

type SingleField = 'id' | 'title' | 'abstract' | 'claims' | 'year' | 'date';
const SINGLE_FIELDS: { field: SingleField; label: string; required?: boolean }[] = [
  { field: 'id', label: 'Id' }, { field: 'title', label: 'Title', required: true }, { field: 'abstract', label: 'Abstract' },
  { field: 'claims', label: 'Claims' }, { field: 'year', label: 'Year' }, { field: 'date', label: 'Date' },
];

/**
 * Which columns of one file feed which patent fields; opened by itself when detection is unsure.
 * @fires mapping-change - detail: ColumnMapping
 */
export class PsMappingEditor extends LitElement {
  static override properties = { fileName: { attribute: false }, columns: { attribute: false }, mapping: { attribute: false }, open: { type: Boolean } };
  declare fileName: string;
  declare columns: string[];
  declare mapping: ColumnMapping | undefined;
  declare open: boolean;

  constructor() {
    super();
    this.fileName = '';
    this.columns = [];
    this.mapping = undefined;
    this.open = false;
  }

  static override styles = [baseStyles, controlStyles, css`
    details { border: 1px solid var(--ps-border); border-radius: var(--ps-radius); padding: var(--ps-space-2) var(--ps-space-3); margin: var(--ps-space-2) 0; background: var(--ps-surface); }
    summary { cursor: pointer; font-size: var(--ps-text-sm); font-weight: 600; }
    .grid { display: grid; grid-template-columns: max-content minmax(0, 24rem); gap: var(--ps-space-2) var(--ps-space-3); align-items: center; margin-top: var(--ps-space-2); }
    select[multiple] { min-height: 5rem; }
  `];

  override render() {
    const mapping = this.mapping ?? { title: '', codes: [] };
    return html`<details ?open=${this.open}>
      <summary>Column mapping for ${this.fileName}</summary>
      <div class="grid">
        ${SINGLE_FIELDS.map(({ field, label, required }) => html`
          <label for="map-${field}">${label}${required ? ' *' : ''}</label>
          <select id="map-${field}" @change=${(e: Event) => this.update1(field, (e.target as HTMLSelectElement).value)}>
            ${required ? '' : html`<option value="" ?selected=${!mapping[field]}>(none)</option>`}
            ${this.columns.map((c) => html`<option value=${c} ?selected=${mapping[field] === c}>${c}</option>`)}
          </select>`)}
        <label for="map-codes">Code columns</label>
        <select id="map-codes" multiple @change=${(e: Event) => this.emit({ ...mapping, codes: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) })}>
          ${this.columns.map((c) => html`<option value=${c} ?selected=${mapping.codes.includes(c)}>${c}</option>`)}
        </select>
        <label for="map-separator">Code separator</label>
        <input id="map-separator" placeholder="auto (;; ; | ,)" .value=${mapping.codeSeparator ?? ''}
          @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value; this.emit({ ...mapping, codeSeparator: v || undefined }); }}>
      </div>
    </details>`;
  }

  private update1(field: SingleField, value: string): void {
    const mapping: ColumnMapping = { ...(this.mapping ?? { title: '', codes: [] }) };
    if (field === 'title') mapping.title = value;
    else if (value) mapping[field] = value;
    else delete mapping[field];
    this.emit(mapping);
  }

  private emit(mapping: ColumnMapping): void {
    this.mapping = mapping;
    this.dispatchEvent(new CustomEvent('mapping-change', { detail: mapping }));
  }
}

customElements.define('ps-mapping-editor', PsMappingEditor);
declare global {
  interface HTMLElementTagNameMap { 'ps-mapping-editor': PsMappingEditor }
}
