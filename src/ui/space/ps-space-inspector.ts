import { LitElement, css, html, nothing } from 'lit';
import type { SpaceLayout } from '../../core/layout/space';
import { icon } from '../shell/icons';
import { SECTION_NAMES, cssColour, sectionColour, type SectionLetter } from '../theme/palette';
import { baseStyles, controlStyles } from '../theme/styles';
import { neighboursOf, sectionCounts } from './space-frames';
import '../shared/ps-legend';
import './ps-space-neighbours';
import './ps-space-partners';

const COLLAPSED_KEY = 'ps-space-inspector';

/**
 * The technology space's inspector beside the canvas: the section legend, the pointer's code,
 * the focused code's nearest codes and likely future partners. It folds to a narrow strip (kept
 * for the next visit) so the canvas can take the width; `collapsed` is reflected for the layout.
 */
export class PsSpaceInspector extends LitElement {
  static override properties = {
    layout: { attribute: false }, focusCode: { attribute: false }, hovered: { attribute: false },
    datasetId: { attribute: false }, modelRef: { attribute: false }, collapsed: { type: Boolean, reflect: true },
  };
  declare layout: SpaceLayout;
  declare focusCode: string | null;
  declare hovered: string | null;
  declare datasetId: string;
  declare modelRef: string;
  declare collapsed: boolean;

  constructor() {
    super();
    this.focusCode = null;
    this.hovered = null;
    this.datasetId = '';
    this.modelRef = '';
    this.collapsed = globalThis.localStorage?.getItem(COLLAPSED_KEY) === 'collapsed';
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: block; overflow: auto; min-height: 0; border-left: 1px solid var(--ps-border); padding-left: var(--ps-space-3); }
    :host([collapsed]) { padding-left: var(--ps-space-1); overflow: hidden; }
    ps-legend { --ps-legend-direction: column; --ps-legend-max-height: none; }
    #inspector-toggle { display: inline-flex; align-items: center; gap: var(--ps-space-1); }
    :host([collapsed]) #inspector-toggle .icon { transform: scaleX(-1); }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    @media (max-width: 56rem) { :host { border-left: none; padding-left: 0; } }
  `];

  override render() {
    const toggle = html`<button id="inspector-toggle" aria-expanded=${this.collapsed ? 'false' : 'true'} aria-controls="inspector-body"
      title=${this.collapsed ? 'Show the inspector' : 'Hide the inspector: the canvas takes the width'} @click=${() => this.toggle()}
      >${icon(this.collapsed ? 'collapse' : 'expand')}<span class=${this.collapsed ? 'visually-hidden' : ''}>Inspector</span></button>`;
    if (this.collapsed) return toggle;
    const layout = this.layout;
    const legend = sectionCounts(layout).map(([s, count]) => ({
      key: s, colour: cssColour(sectionColour(s)), label: `${s} ${SECTION_NAMES[s as SectionLetter] ?? 'Other'} (${count})`,
    }));
    return html`${toggle}<div id="inspector-body">
      <ps-legend id="legend" label="IPC sections" .items=${legend}></ps-legend>
      <p class="muted">Point size: patents per code (square root). ${this.hovered ? html`Pointer on <strong>${this.hovered}</strong>.` : nothing}</p>
      <ps-space-neighbours .code=${this.focusCode} .neighbours=${this.focusCode ? neighboursOf(layout, this.focusCode) : []}></ps-space-neighbours>
      <ps-space-partners .datasetId=${this.datasetId} .modelRef=${this.modelRef} .level=${layout.level} .code=${this.focusCode}></ps-space-partners>
    </div>`;
  }

  private toggle(): void {
    this.collapsed = !this.collapsed;
    globalThis.localStorage?.setItem(COLLAPSED_KEY, this.collapsed ? 'collapsed' : 'open');
    // The canvas is resized by its own observer; the new grid column is all this needs.
  }
}

customElements.define('ps-space-inspector', PsSpaceInspector);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-inspector': PsSpaceInspector }
}
