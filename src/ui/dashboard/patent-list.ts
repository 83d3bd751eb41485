/** A list of patents with their section and score, drawn the same way on every dashboard page. */
import { html, type TemplateResult } from 'lit';
import type { PatentLabel } from '../../clients/dashboard-client';
import { downloadCsv, rounded } from '../download';

export interface ListedRow {
  patentId: string;
  section: { id: string; title: string };
  score: number;
}

/** Fires `open-patent` (bubbling) with the patent id: the dashboard opens its detail. */
export function openPatent(from: HTMLElement, patentId: string): void {
  from.dispatchEvent(new CustomEvent('open-patent', { detail: patentId, bubbles: true, composed: true }));
}

export function patentTable(host: HTMLElement, id: string, caption: string, rows: readonly ListedRow[], labels: readonly PatentLabel[]): TemplateResult {
  return html`<table id=${id} aria-label=${caption}>
    <thead><tr><th class="num">#</th><th>Patent</th><th>Title</th><th class="num">Year</th><th>Best section</th><th class="num">Score</th></tr></thead>
    <tbody>${rows.map((r, i) => html`<tr data-patent=${r.patentId}>
      <td class="num">${i + 1}</td>
      <td><button class="link open-patent" @click=${() => openPatent(host, r.patentId)}>${r.patentId}</button></td>
      <td>${labels[i]?.title ?? ''}</td><td class="num">${labels[i]?.year ?? ''}</td>
      <td><span class="muted">${r.section.id}</span> ${r.section.title}</td><td class="num">${r.score.toFixed(3)}</td></tr>`)}</tbody>
  </table>`;
}

export function exportPatents(filename: string, rows: readonly ListedRow[], labels: readonly PatentLabel[]): void {
  downloadCsv(filename, ['rank', 'patent', 'title', 'year', 'section', 'section_title', 'score'],
    rows.map((r, i) => [i + 1, r.patentId, labels[i]?.title ?? '', labels[i]?.year ?? null, r.section.id, r.section.title, rounded(r.score, 6)]));
}
