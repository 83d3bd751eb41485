import * as Plot from '@observablehq/plot';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { currentScheme, watchScheme } from '../theme/media';
import { CANVAS_THEMES, cssColour, type ColourScheme } from '../theme/palette';
import { viewStyles } from '../theme/styles';
import { downloadPng, downloadSvg } from './chart-export';

/** What a chart's spec gets to match the app: the scheme's ink and surface, and the width it has. */
export interface ChartTheme {
  scheme: ColourScheme;
  ink: string;
  faint: string;
  background: string;
  width: number;
}

/** Builds the Plot options of a chart for a theme (pure: the element calls it on every resize or scheme change). */
export type ChartSpec = (theme: ChartTheme) => Plot.PlotOptions;

/**
 * One Observable Plot chart, themed like the rest of the app (light and dark), redrawn when its
 * width or the colour scheme changes, with PNG and SVG export. The chart's data stays in `spec`;
 * the element only renders it.
 */
export class PsChart extends LitElement {
  static override properties = { spec: { attribute: false }, name: {}, label: {}, error: { state: true } };
  declare spec: ChartSpec | null;
  /** File name of the exports, without extension. */
  declare name: string;
  /** Accessible name of the figure. */
  declare label: string;
  declare error: string;
  private scheme: ColourScheme = currentScheme();
  private width = 0;
  private unwatch: (() => void) | null = null;
  private readonly resize = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width > 0 && Math.abs(width - this.width) >= 8) { this.width = width; this.draw(); }
  });

  constructor() {
    super();
    this.spec = null;
    this.name = 'chart';
    this.label = 'Chart';
    this.error = '';
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    figure { margin: 0; }
    .plot { min-height: 4rem; }
    .plot svg { max-width: 100%; height: auto; overflow: visible; }
    .tools { display: flex; gap: var(--ps-space-1); justify-content: flex-end; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.unwatch = watchScheme((scheme) => { this.scheme = scheme; this.draw(); });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch?.();
    this.resize.disconnect();
  }

  protected override firstUpdated(): void {
    const box = this.renderRoot.querySelector('.plot');
    if (box) this.resize.observe(box);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('spec')) this.draw();
  }

  theme(): ChartTheme {
    const colours = CANVAS_THEMES[this.scheme];
    return { scheme: this.scheme, ink: cssColour(colours.ink), faint: cssColour(colours.faint), background: cssColour(colours.background), width: this.width || 640 };
  }

  private draw(): void {
    const box = this.renderRoot.querySelector('.plot');
    if (!box || !this.spec) return;
    const theme = this.theme();
    try {
      const options = this.spec(theme);
      const chart = Plot.plot({
        ...options,
        width: theme.width,
        style: { background: 'transparent', color: theme.ink, fontFamily: 'var(--ps-font)', fontSize: '12px', ...(typeof options.style === 'object' ? options.style : {}) },
        ariaLabel: this.label,
      });
      box.replaceChildren(chart);
      this.error = '';
    } catch (error) {
      box.replaceChildren();
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  private svg(): SVGSVGElement | null {
    const root = this.renderRoot.querySelector('.plot');
    return root?.querySelector('svg') ?? null;
  }

  override render() {
    return html`<figure aria-label=${this.label}>
      <div class="plot"></div>
      ${this.error ? html`<p class="muted" role="alert">The chart could not be drawn: ${this.error}</p>` : nothing}
      <div class="tools">
        <button class="chart-png" @click=${() => { const svg = this.svg(); if (svg) void downloadPng(`${this.name}.png`, svg, this.theme().background); }}>PNG</button>
        <button class="chart-svg" @click=${() => { const svg = this.svg(); if (svg) downloadSvg(`${this.name}.svg`, svg, this.theme().background); }}>SVG</button>
      </div>
    </figure>`;
  }
}

customElements.define('ps-chart', PsChart);
declare global {
  interface HTMLElementTagNameMap { 'ps-chart': PsChart }
}
