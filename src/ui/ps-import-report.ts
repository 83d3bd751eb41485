import { LitElement, css, html, svg } from 'lit';
import type { ImportReport } from '../core/ingest/report';
import type { DatasetRecord } from '../store/records';
import { downloadCsv } from './download';
import { baseStyles, controlStyles, panelStyles, tableStyles } from './theme/styles';
import './shared/ps-notice';

const SHOWN_ERRORS = 50;

/** What an import did: counts, the rows and codes that were kept out (with line numbers), years. */
export class PsImportReport extends LitElement {
  static override properties = { record: { attribute: false }, showAll: { state: true } };
  declare record: DatasetRecord | null;
  declare showAll: boolean;

  constructor() {
    super();
    this.record = null;
    this.showAll = false;
  }

  static override styles = [baseStyles, controlStyles, panelStyles, tableStyles, css`
    :host { display: block; }
    figure { margin: var(--ps-space-3) 0; }
    figcaption { font-size: var(--ps-text-sm); color: var(--ps-text-muted); }
    .years rect { fill: var(--ps-accent); }
  `];

  override render() {
    const report = this.record?.report;
    if (!this.record || !report) return html`<p>No import report.</p>`;
    const errors = this.showAll ? report.rowErrors : report.rowErrors.slice(0, SHOWN_ERRORS);
    return html`
      <h3>Imported “${this.record.name}”</h3>
      <dl id="import-summary">
        <dt>Patents imported</dt><dd data-count="patents">${report.patentsImported}</dd>
        <dt>Rows read</dt><dd>${report.rowsRead}</dd>
        <dt>Duplicates merged</dt><dd data-count="duplicates">${report.duplicatesMerged}</dd>
        <dt>Rows rejected</dt><dd data-count="row-errors">${report.rowErrorCount}</dd>
        <dt>Codes rejected</dt><dd data-count="rejected-codes">${report.rejectedCodeCount}</dd>
        <dt>Codes per level</dt><dd>${report.codesPerLevel.subclass} subclasses · ${report.codesPerLevel.main_group} main groups · ${report.codesPerLevel.subgroup} subgroups</dd>
        <dt>Files</dt><dd>${report.files.map((f) => `${f.name} (${f.format})`).join(', ')}</dd>
        <dt>Time</dt><dd>${(report.durationMs / 1000).toFixed(1)} s for ${(report.bytes / 1e6).toFixed(2)} MB</dd>
      </dl>
      ${report.fileErrors.map((f) => html`<ps-notice kind="error" next="The other files were imported; fix this one and import it again.">${f.message}</ps-notice>`)}
      ${this.renderYears(report)}
      ${report.rowErrorCount > 0 ? html`
        <h4>Rows kept out</h4>
        <table id="row-errors"><thead><tr><th>File</th><th>Line</th><th>Reason</th></tr></thead>
          <tbody>${errors.map((e) => html`<tr><td>${e.file ?? ''}</td><td data-line=${e.line}>${e.line}</td><td>${e.reason}</td></tr>`)}</tbody></table>
        ${report.rowErrors.length > SHOWN_ERRORS && !this.showAll ? html`<button @click=${() => (this.showAll = true)}>Show all ${report.rowErrors.length}</button>` : ''}
        <button id="export-errors" @click=${() => this.exportErrors(report)}>Export rejected rows (CSV)</button>` : ''}
      ${report.rejectedCodes.length > 0 ? html`
        <h4>Codes kept out of the analysis</h4>
        <table id="rejected-codes"><thead><tr><th>Code as written</th><th>Lines</th></tr></thead>
          <tbody>${report.rejectedCodes.slice(0, SHOWN_ERRORS).map((c) => html`<tr><td>${c.code}</td><td>${c.lines.slice(0, 10).join(', ')}${c.lines.length > 10 ? ' …' : ''}</td></tr>`)}</tbody></table>` : ''}
    `;
  }

  private renderYears(report: ImportReport) {
    const entries = Object.entries(report.patentsPerYear).map(([y, n]) => [Number(y), n] as const);
    if (entries.length === 0) return '';
    const max = Math.max(...entries.map(([, n]) => n));
    const width = 4;
    return html`<figure><figcaption>Patents per year (${entries[0][0]}–${entries[entries.length - 1][0]})</figcaption>
      <svg class="years" width=${entries.length * width} height="40" role="img" aria-label="Patents per year">
        ${entries.map(([year, n], i) => svg`<rect x=${i * width} y=${40 - (40 * n) / max} width=${width - 1} height=${(40 * n) / max}><title>${year}: ${n}</title></rect>`)}
      </svg></figure>`;
  }

  private exportErrors(report: ImportReport): void {
    downloadCsv('rejected-rows.csv', ['file', 'line', 'reason'], report.rowErrors.map((e) => [e.file, e.line, e.reason]));
  }
}

customElements.define('ps-import-report', PsImportReport);
declare global {
  interface HTMLElementTagNameMap { 'ps-import-report': PsImportReport }
}
