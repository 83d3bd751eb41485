import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { mapPointSummaries } from '../../clients/map-points-client';
import type { MapPatentSummary } from '../../engines/map-points-engine';
import { baseStyles, tableStyles } from '../theme/styles';

/** Rows listed at most: the list is for reading the selection, the CSV export has it all. */
const LISTED = 50;

/**
 * The map's selection as a list (patent, year, title, codes), for those who cannot see the points
 * or select them with a pointer. Closed by default; the summaries are fetched from the worker
 * when it is open, again whenever the selection changes (its mask is replaced, never edited).
 */
export class PsMapSelectionList extends LitElement {
  static override properties = {
    pointsKey: { attribute: false }, mask: { attribute: false }, size: { attribute: false },
    open: { state: true }, rows: { state: true },
  };
  /** The map points' key in the worker, or null while they load. */
  declare pointsKey: string | null;
  /** One flag per layout row. */
  declare mask: Uint8Array;
  declare size: number;
  declare open: boolean;
  /** The listed rows' summaries, or null while they are fetched. */
  declare rows: MapPatentSummary[] | null;
  private asked = 0;

  constructor() {
    super();
    this.pointsKey = null;
    this.mask = new Uint8Array(0);
    this.size = 0;
    this.open = false;
    this.rows = null;
  }

  static override styles = [baseStyles, tableStyles, css`
    :host { display: block; font-size: var(--ps-text-sm); }
    details { margin: var(--ps-space-1) 0; }
    .list { max-height: 16rem; overflow: auto; }
  `];

  protected override updated(changed: PropertyValues<this>): void {
    if (this.open && (changed.has('open') || changed.has('mask') || changed.has('pointsKey'))) void this.fetch();
  }

  private async fetch(): Promise<void> {
    const asked = ++this.asked;
    const key = this.pointsKey;
    const indices: number[] = [];
    for (let i = 0; i < this.mask.length && indices.length < LISTED; i++) if (this.mask[i]) indices.push(i);
    this.rows = null;
    const rows = key && indices.length > 0 ? await mapPointSummaries(key, indices) : [];
    if (asked === this.asked) this.rows = rows;
  }

  override render() {
    if (this.size === 0) return nothing;
    return html`<details id="map-selection-list" @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}>
      <summary>List the selected patents (${this.size})</summary>
      ${this.open ? this.renderRows() : nothing}
    </details>`;
  }

  private renderRows() {
    if (this.rows === null) return html`<p class="muted">Loading the selected patents…</p>`;
    return html`<div class="list" tabindex="0" role="region" aria-label="Selected patents">
      <table aria-label="Selected patents">
        <thead><tr><th>Patent</th><th class="num">Year</th><th>Title</th><th>Codes</th></tr></thead>
        <tbody>${this.rows.map((r) => html`<tr data-patent=${r.id}><td>${r.id}</td><td class="num">${r.year ?? ''}</td><td>${r.title}</td><td>${r.codes.join(', ')}</td></tr>`)}</tbody>
      </table></div>
      ${this.size > this.rows.length ? html`<p class="muted">The first ${this.rows.length} of ${this.size}; “Selection CSV” exports them all.</p>` : nothing}`;
  }
}

customElements.define('ps-map-selection-list', PsMapSelectionList);
declare global {
  interface HTMLElementTagNameMap { 'ps-map-selection-list': PsMapSelectionList }
}
