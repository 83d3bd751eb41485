import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { MAP_SETTING_LIMITS, type MapLayoutSettings } from '../../core/settings/map-layout';
import type { ColourMode } from '../map-style';
import { baseStyles, controlStyles } from '../theme/styles';
import type { DragMode } from './map-gestures';

export type MapControlChange =
  | { kind: 'colour'; mode: ColourMode }
  | { kind: 'code'; code: string }
  | { kind: 'pollutant'; index: number }
  | { kind: 'query'; query: string }
  | { kind: 'drag'; mode: DragMode }
  | { kind: 'only-selection'; on: boolean }
  | { kind: 'settings'; change: Partial<MapLayoutSettings> }
  | { kind: 'recompute' } | { kind: 'png' } | { kind: 'csv' } | { kind: 'clear' }
  /** Selects the search's matches: the keyboard's way to select points (the drags need a pointer). */
  | { kind: 'select-matches' };

const COLOUR_MODES: readonly ColourMode[] = ['topic', 'year', 'section', 'code', 'relevance'];
const DRAG_MODES: readonly DragMode[] = ['pan', 'box', 'lasso'];

/**
 * The patent map's toolbar: how points are coloured, search, what a drag does, the selection,
 * exports, and the layout's settings in a panel that opens under its summary. Holds no state of
 * its own beyond what it is given.
 * @fires map-control - detail: MapControlChange
 */
export class PsMapControls extends LitElement {
  static override properties = {
    settings: { attribute: false }, colourMode: { attribute: false }, code: { attribute: false }, query: { attribute: false },
    dragMode: { attribute: false }, onlySelection: { attribute: false }, busy: { attribute: false }, hasLayout: { attribute: false },
    selectionSize: { attribute: false }, matchCount: { attribute: false }, codeSuggestions: { attribute: false },
    pollutants: { attribute: false }, pollutant: { attribute: false },
  };
  /** For the 'relevance' colours: pollutant names by catalogue index, and the chosen one. */
  declare pollutants: string[];
  declare pollutant: number | null;
  declare settings: MapLayoutSettings;
  declare colourMode: ColourMode;
  declare code: string;
  declare query: string;
  declare dragMode: DragMode;
  declare onlySelection: boolean;
  /** A layout is being computed: its settings are locked. */
  declare busy: boolean;
  declare hasLayout: boolean;
  declare selectionSize: number;
  /** Patents matching the search, or null without a search. */
  declare matchCount: number | null;
  declare codeSuggestions: string[];

  constructor() {
    super();
    this.settings = { method: 'umap', seed: 1, neighbours: 15, minDist: 0.1 };
    this.colourMode = 'topic';
    this.code = '';
    this.query = '';
    this.dragMode = 'pan';
    this.onlySelection = false;
    this.busy = false;
    this.hasLayout = false;
    this.selectionSize = 0;
    this.matchCount = null;
    this.codeSuggestions = [];
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: block; }
    .row { margin: var(--ps-space-1) 0; }
    .group { display: inline-flex; gap: var(--ps-space-2); align-items: center; flex-wrap: wrap; }
    .group + .group { padding-left: var(--ps-space-3); border-left: 1px solid var(--ps-border); }
    input[type='search'] { min-width: 14rem; }
    /* The layout's settings are changed rarely: a panel under one summary keeps the toolbar on one row. */
    .menu { position: relative; display: inline-block; }
    .menu summary { cursor: pointer; padding: var(--ps-space-1) var(--ps-space-2); border: 1px solid var(--ps-border); border-radius: var(--ps-radius);
      font-size: var(--ps-text-sm); white-space: nowrap; }
    .menu .panel { position: absolute; right: 0; top: calc(100% + var(--ps-space-1)); z-index: 6; display: grid; gap: var(--ps-space-2);
      min-width: 14rem; padding: var(--ps-space-3); background: var(--ps-surface); border: 1px solid var(--ps-border);
      border-radius: var(--ps-radius); box-shadow: var(--ps-shadow); }
    .menu .panel label { display: flex; justify-content: space-between; gap: var(--ps-space-2); align-items: center; }
    .menu .panel input { width: 6rem; }
    #map-matches { font-size: var(--ps-text-sm); color: var(--ps-text-muted); font-variant-numeric: tabular-nums; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pointerdown', this.closeOnOutsidePointer, true);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('pointerdown', this.closeOnOutsidePointer, true);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A layout being computed locks its settings: the panel closes so the map it hides can be seen forming.
    if (changed.has('busy') && this.busy) this.layoutPanel()?.removeAttribute('open');
  }

  private layoutPanel(): HTMLDetailsElement | null {
    return this.renderRoot.querySelector<HTMLDetailsElement>('#map-layout');
  }

  /** A press anywhere outside the open panel closes it, as a menu would (the press still acts). */
  private readonly closeOnOutsidePointer = (event: PointerEvent): void => {
    const panel = this.layoutPanel();
    if (panel?.open && !event.composedPath().includes(panel)) panel.open = false;
  };

  /** Escape closes the layout panel and leaves the focus on its summary, as a menu would. */
  private readonly closeOnEscape = (event: KeyboardEvent): void => {
    const details = event.currentTarget as HTMLDetailsElement;
    if (event.key !== 'Escape' || !details.open) return;
    event.stopPropagation(); // the map's own Escape clears the selection
    details.open = false;
    details.querySelector('summary')?.focus();
  };

  private fire(change: MapControlChange): void {
    this.dispatchEvent(new CustomEvent<MapControlChange>('map-control', { detail: change, bubbles: true, composed: true }));
  }

  override render() {
    const s = this.settings;
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    const number = (e: Event) => Number(value(e));
    const clamp = (v: number, limits: { min: number; max: number }) => Math.min(limits.max, Math.max(limits.min, v));
    const umapOnly = this.busy || s.method === 'pca';
    return html`
      <div class="row" role="toolbar" aria-label="Map view">
        <span class="group">
          <label>Colour by <select id="map-colour" @change=${(e: Event) => this.fire({ kind: 'colour', mode: value(e) as ColourMode })}>
            ${COLOUR_MODES.map((m) => html`<option value=${m} ?selected=${m === this.colourMode}>${m}</option>`)}
          </select></label>
          ${this.colourMode === 'code' ? html`<label>Code <input id="map-code" list="map-codes" .value=${this.code} placeholder="e.g. H01M"
            @change=${(e: Event) => this.fire({ kind: 'code', code: value(e) })}></label>
            <datalist id="map-codes">${this.codeSuggestions.map((c) => html`<option value=${c}></option>`)}</datalist>` : nothing}
          ${this.colourMode === 'relevance' ? html`<label>Pollutant <select id="map-pollutant" @change=${(e: Event) => this.fire({ kind: 'pollutant', index: Number(value(e)) })}>
            <option value="" disabled ?selected=${this.pollutant === null}>choose…</option>
            ${(this.pollutants ?? []).map((name, i) => html`<option value=${i} ?selected=${i === this.pollutant}>${name}</option>`)}</select></label>` : nothing}
        </span>
        <span class="group">
          <label>Search <input id="map-search" type="search" .value=${this.query} placeholder="words in title or abstract"
            @input=${(e: Event) => this.fire({ kind: 'query', query: value(e) })}></label>
          ${this.matchCount !== null ? html`<span id="map-matches" data-count=${this.matchCount}>${this.matchCount} match${this.matchCount === 1 ? '' : 'es'}</span>
            <button id="map-select-matches" ?disabled=${this.matchCount === 0} @click=${() => this.fire({ kind: 'select-matches' })}>Select matches</button>` : nothing}
        </span>
        <span class="group">
          <label>Drag <select id="map-drag" @change=${(e: Event) => this.fire({ kind: 'drag', mode: value(e) as DragMode })}>
            ${DRAG_MODES.map((m) => html`<option value=${m} ?selected=${m === this.dragMode}>${m}</option>`)}
          </select></label>
          <label><input id="map-only" type="checkbox" .checked=${this.onlySelection}
            @change=${(e: Event) => this.fire({ kind: 'only-selection', on: (e.target as HTMLInputElement).checked })}> Only the selection</label>
          <button id="map-clear" ?disabled=${this.selectionSize === 0} @click=${() => this.fire({ kind: 'clear' })}>Clear selection</button>
        </span>
        <span class="group">
          <button id="map-png" ?disabled=${!this.hasLayout} @click=${() => this.fire({ kind: 'png' })}>Export PNG</button>
          <button id="map-csv" ?disabled=${this.selectionSize === 0} @click=${() => this.fire({ kind: 'csv' })}>Selection CSV</button>
        </span>
        <details id="map-layout" class="group menu" @keydown=${this.closeOnEscape}>
          <summary title="How the map is laid out">Layout: ${s.method === 'pca' ? 'PCA' : `UMAP, seed ${s.seed}`}</summary>
          <div class="panel" role="group" aria-label="Map layout">
            <label>Layout <select id="map-method" ?disabled=${this.busy}
              @change=${(e: Event) => this.fire({ kind: 'settings', change: { method: value(e) === 'pca' ? 'pca' : 'umap' } })}>
              <option value="umap" ?selected=${s.method === 'umap'}>UMAP</option>
              <option value="pca" ?selected=${s.method === 'pca'}>PCA only</option>
            </select></label>
            <label>Seed <input id="map-seed" type="number" min="0" step="1" .value=${String(s.seed)} ?disabled=${this.busy}
              @change=${(e: Event) => this.fire({ kind: 'settings', change: { seed: Math.max(0, Math.trunc(number(e))) } })}></label>
            <label>Neighbours <input id="map-neighbours" type="number" min=${MAP_SETTING_LIMITS.neighbours.min} max=${MAP_SETTING_LIMITS.neighbours.max} step="1"
              .value=${String(s.neighbours)} ?disabled=${umapOnly}
              @change=${(e: Event) => this.fire({ kind: 'settings', change: { neighbours: clamp(Math.round(number(e)), MAP_SETTING_LIMITS.neighbours) } })}></label>
            <label>Min dist <input id="map-min-dist" type="number" min=${MAP_SETTING_LIMITS.minDist.min} max=${MAP_SETTING_LIMITS.minDist.max} step="0.05"
              .value=${String(s.minDist)} ?disabled=${umapOnly}
              @change=${(e: Event) => this.fire({ kind: 'settings', change: { minDist: clamp(number(e), MAP_SETTING_LIMITS.minDist) } })}></label>
            <button id="map-recompute" ?disabled=${this.busy} @click=${() => this.fire({ kind: 'recompute' })} title="Compute again, ignoring the stored layout">Recompute</button>
          </div>
        </details>
      </div>
    `;
  }
}

customElements.define('ps-map-controls', PsMapControls);
declare global {
  interface HTMLElementTagNameMap { 'ps-map-controls': PsMapControls }
}
