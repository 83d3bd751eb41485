import { LitElement, css, html, nothing } from 'lit';
import { baseStyles } from '../theme/styles';

export interface LegendItem {
  label: string;
  /** Any CSS colour, e.g. from palette.ts cssColour(). */
  colour: string;
  /** Stable key (a section letter, a topic number), written as data-key. */
  key?: string;
}

/**
 * A row of colour swatches with labels: the map's colour modes, the space's sections.
 * @cssprop --ps-legend-direction - row (default) or column
 * @cssprop --ps-legend-max-height - height before the list scrolls (default 4.5rem)
 * @csspart item - one entry
 */
export class PsLegend extends LitElement {
  static override properties = { items: { attribute: false }, label: {}, scrolls: { state: true } };
  declare items: LegendItem[];
  /** Accessible name of the list ("Colours: IPC sections"). */
  declare label: string;
  /** Whether the list overflows its max height: then it takes the focus, so the keyboard can scroll it. */
  declare scrolls: boolean;
  private readonly resize = new ResizeObserver(() => this.measure());

  constructor() {
    super();
    this.items = [];
    this.label = 'Legend';
    this.scrolls = false;
  }

  override disconnectedCallback(): void {
    this.resize.disconnect();
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    const list = this.renderRoot.querySelector('ul');
    if (list) this.resize.observe(list);
  }

  protected override updated(): void {
    this.measure();
  }

  private measure(): void {
    const list = this.renderRoot.querySelector('ul');
    const scrolls = list !== null && list.scrollHeight > list.clientHeight + 1;
    if (scrolls !== this.scrolls) this.scrolls = scrolls;
  }

  static override styles = [baseStyles, css`
    :host { display: block; }
    ul { display: flex; flex-direction: var(--ps-legend-direction, row); flex-wrap: wrap; gap: var(--ps-space-1) var(--ps-space-3); list-style: none;
      margin: var(--ps-space-1) 0; padding: 0; font-size: var(--ps-text-xs); max-height: var(--ps-legend-max-height, 4.5rem); overflow: auto; }
    li { display: inline-flex; align-items: center; gap: var(--ps-space-1); }
    .swatch { width: 0.7rem; height: 0.7rem; border-radius: 50%; flex: none; }
  `];

  override render() {
    return html`<ul aria-label=${this.label} tabindex=${this.scrolls ? '0' : nothing}>${this.items.map((item) => html`<li part="item" data-key=${item.key ?? item.label}>
      <span class="swatch" style="background:${item.colour}"></span>${item.label}</li>`)}</ul>`;
  }
}

customElements.define('ps-legend', PsLegend);
declare global {
  interface HTMLElementTagNameMap { 'ps-legend': PsLegend }
}
