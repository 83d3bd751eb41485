import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { patentPage, type Patent, type PatentDetail, type Thresholds } from '../../clients/dashboard-client';
import { loadIpcTitles } from '../../clients/reference-client';
import type { IpcTitles } from '../../core/reference/ipc-titles';
import { errorMessage } from '../shared/task-controller';
import { viewStyles } from '../theme/styles';
import '../chat/ps-add-to-chat';

/**
 * One patent as the dashboard knows it: title, abstract, year, codes named by the bundled IPC
 * titles, the sections it was matched to (prefilter and P(Yes)), and the pollutants and SDGs it
 * reaches through them. Fires `close`.
 */
export class PsPatentDetail extends LitElement {
  static override properties = { patentId: {}, thresholds: { attribute: false }, value: { state: true }, titles: { state: true }, error: { state: true } };
  declare patentId: string;
  declare thresholds: Thresholds;
  declare value: { patent: Patent; detail: PatentDetail | null } | null;
  declare titles: IpcTitles | null;
  declare error: string;

  constructor() {
    super();
    Object.assign(this, { patentId: '', value: null, titles: null, error: '' });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; border-left: 1px solid var(--ps-border); padding-left: var(--ps-space-3); position: sticky; top: 0; max-height: 100vh; overflow: auto; }
    header { display: flex; justify-content: space-between; gap: var(--ps-space-2); align-items: baseline; }
    .abstract { max-height: 12rem; overflow: auto; }
    tr.matched td { background: color-mix(in srgb, var(--ps-success) 12%, transparent); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void loadIpcTitles().then((t) => { this.titles = t; }, () => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('patentId') || changed.has('thresholds')) void this.load();
  }

  private async load(): Promise<void> {
    const id = this.patentId;
    try {
      const value = await patentPage(id);
      if (this.patentId !== id) return;
      this.value = value;
      this.error = value ? '' : `The patent ${id} is not in this dataset any more.`;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  override render() {
    const close = html`<button id="patent-close" aria-label="Close the patent" @click=${() => this.dispatchEvent(new CustomEvent('close'))}>Close</button>`;
    if (this.error) return html`<header><h3>${this.patentId}</h3>${close}</header><ps-notice kind="error" id="patent-error" next="Choose another patent.">${this.error}</ps-notice>`;
    const value = this.value;
    if (!value || value.patent.id !== this.patentId) return html`<header><h3>${this.patentId}</h3>${close}</header><p class="muted">Reading…</p>`;
    const { patent, detail } = value;
    return html`<section id="patent-detail" data-patent=${patent.id} aria-label=${`Patent ${patent.id}`}>
      <header><h3>${patent.id}</h3>${close}</header>
      <p><strong>${patent.title || '(no title)'}</strong>${patent.year ? html` · ${patent.year}` : nothing}</p>
      <ps-add-to-chat id="patent-add-to-chat" .target=${{ kind: 'patents', ids: [patent.id] }}></ps-add-to-chat>
      ${patent.abstract ? html`<p class="abstract">${patent.abstract}</p>` : html`<p class="muted">No abstract.</p>`}
      <h4>Codes</h4>
      <ul id="patent-codes">${patent.codes.map((code) => {
        const hit = this.titles?.title(code);
        return html`<li><code>${code}</code> ${hit ? html`${hit.title}${hit.exact ? '' : html` <span class="muted">(${hit.level} ${hit.code})</span>`}` : ''}</li>`;
      })}</ul>
      ${detail ? html`
        <h4>Matched sections</h4>
        <table id="patent-sections" aria-label="Sections this patent was matched to">
          <thead><tr><th>Section</th><th class="num">Prefilter</th><th class="num">P(Yes)</th></tr></thead>
          <tbody>${detail.sections.map((s) => html`<tr class=${s.matched ? 'matched' : ''}><td><span class="muted">${s.section.id}</span> ${s.section.title}</td>
            <td class="num">${s.prefilter.toFixed(3)}</td><td class="num">${s.pYes === null ? '–' : s.pYes.toFixed(3)}</td></tr>`)}</tbody>
        </table>
        <h4>Pollutants it abates (relevance ≥ ${this.thresholds.relevance.toFixed(2)})</h4>
        ${detail.pollutants.length ? html`<ul id="patent-pollutants">${detail.pollutants.map((p) => html`<li>${p.pollutant.name} <span class="muted">via ${p.section.id}, ${p.score.toFixed(3)}</span></li>`)}</ul>`
          : html`<p class="muted" id="patent-no-pollutants">None at this threshold.</p>`}
        <h4>SDGs it reaches</h4>
        ${detail.goals.length ? html`<ul id="patent-goals">${detail.goals.map((g) => html`<li>SDG ${g.goal.number} ${g.goal.title}: ${Math.round(g.reach)}</li>`)}</ul>`
          : html`<p class="muted">None at this threshold.</p>`}` : html`<p class="muted" id="patent-unmatched">The job did not shortlist this patent for any BREF section.</p>`}
    </section>`;
  }
}

customElements.define('ps-patent-detail', PsPatentDetail);
declare global {
  interface HTMLElementTagNameMap { 'ps-patent-detail': PsPatentDetail }
}
