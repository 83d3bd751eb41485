/** The report of a section-text import, as a notice: what was read, matched and left out, with line numbers. */
import { html, nothing, type TemplateResult } from 'lit';
import type { CatalogueImportReport } from '../../clients/catalogue-client';
import '../shared/ps-notice';

const n = (value: number): string => value.toLocaleString('en-GB');
const plural = (count: number, one: string, many: string): string => `${n(count)} ${count === 1 ? one : many}`;

export function catalogueReport(report: CatalogueImportReport): TemplateResult {
  const issues = report.rowErrorCount + report.unknown + report.noText + report.duplicates;
  const kind = issues > 0 ? 'warning' : 'info';
  const next = report.rowErrorCount > 0 || report.unknown > 0
    ? 'The other rows are loaded. Fix the listed lines in the file and load it again to replace these texts.'
    : 'Pick a section above and press “Match patents”: its text is the technique the model reads.';
  return html`<ps-notice kind=${kind} id="texts-report" .next=${next}
      data-rows=${report.rowsRead} data-matched=${report.matched} data-unknown=${report.unknown}
      data-no-text=${report.noText} data-errors=${report.rowErrorCount} data-stored=${report.textsStored}>
    <div>${report.file.name}: ${plural(report.rowsRead, 'row', 'rows')} read, ${plural(report.matched, 'section', 'sections')} of the catalogue matched,
      ${plural(report.textsStored, 'text', 'texts')} stored${report.sectionsWithoutText !== undefined ? html`; ${n(report.sectionsWithoutText)} sections still have no text` : nothing}.</div>
    ${report.unknown > 0 ? html`<div>${plural(report.unknown, 'id is', 'ids are')} not in the catalogue:</div>
      <ul class="issues" id="texts-unknown">${report.unknownIds.map((u) => html`<li data-line=${u.line}>line ${u.line}: ${u.id}</li>`)}
        ${report.unknown > report.unknownIds.length ? html`<li>and ${n(report.unknown - report.unknownIds.length)} more</li>` : nothing}</ul>` : nothing}
    ${report.noText > 0 ? html`<div id="texts-no-text">${plural(report.noText, 'row has', 'rows have')} no text (nothing stored for them).</div>` : nothing}
    ${report.duplicates > 0 ? html`<div>${plural(report.duplicates, 'id was', 'ids were')} given again; the first text is kept:</div>
      <ul class="issues">${report.duplicateRows.map((d) => html`<li data-line=${d.line}>line ${d.line}: ${d.reason}</li>`)}</ul>` : nothing}
    ${report.rowErrorCount > 0 ? html`<div>${plural(report.rowErrorCount, 'line is', 'lines are')} malformed and skipped:</div>
      <ul class="issues" id="texts-errors">${report.rowErrors.map((e) => html`<li data-line=${e.line}>line ${e.line}: ${e.reason}</li>`)}
        ${report.rowErrorCount > report.rowErrors.length ? html`<li>and ${n(report.rowErrorCount - report.rowErrors.length)} more</li>` : nothing}</ul>` : nothing}
  </ps-notice>`;
}
