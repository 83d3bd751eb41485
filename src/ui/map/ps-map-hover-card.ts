import { LitElement, css, html, nothing } from 'lit';
import type { MapPatentSummary } from '../../clients/map-points-client';
import { baseStyles } from '../theme/styles';

/** Codes listed on the card; more are counted. */
const SHOWN_CODES = 8;

/**
 * The card next to the hovered point: title, id, year, topic and codes. While the patent's
 * details are on their way from the worker it shows the id and year it already knows.
 */
export class PsMapHoverCard extends LitElement {
  static override properties = { patentId: { attribute: false }, summary: { attribute: false }, year: { attribute: false }, topic: { attribute: false } };
  declare patentId: string;
  declare summary: MapPatentSummary | null;
  /** The year from the colour columns, shown before the summary arrives. */
  declare year: number | null;
  declare topic: string;

  constructor() {
    super();
    this.patentId = '';
    this.summary = null;
    this.year = null;
    this.topic = '';
  }

  static override styles = [baseStyles, css`
    :host { position: absolute; max-width: 22rem; background: var(--ps-surface); color: var(--ps-text); border: 1px solid var(--ps-border-strong);
      border-radius: var(--ps-radius); padding: var(--ps-space-1) var(--ps-space-2); box-shadow: var(--ps-shadow); font-size: var(--ps-text-sm);
      pointer-events: none; z-index: 2; }
    .meta { color: var(--ps-text-muted); font-size: var(--ps-text-xs); }
  `];

  override render() {
    const s = this.summary;
    const year = s?.year ?? this.year;
    const codes = s?.codes ?? [];
    // The id sits inside the shadow root, on the element whose text is the card's text.
    return html`<div id="map-card" data-patent=${this.patentId}>
      <div><strong>${s ? s.title || '(untitled patent)' : '…'}</strong></div>
      <div class="meta">${this.patentId} · ${year !== null && Number.isFinite(year) ? year : 'year unknown'}${this.topic ? ` · ${this.topic}` : ''}</div>
      ${s ? html`<div class="meta">${codes.slice(0, SHOWN_CODES).join(', ')}${codes.length > SHOWN_CODES ? ` +${codes.length - SHOWN_CODES}` : ''}</div>` : nothing}
    </div>`;
  }
}

customElements.define('ps-map-hover-card', PsMapHoverCard);
declare global {
  interface HTMLElementTagNameMap { 'ps-map-hover-card': PsMapHoverCard }
}
