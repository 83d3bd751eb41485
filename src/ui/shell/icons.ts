/**
 * The navigation's icons: small line drawings in the text colour (stroke `currentColor`), so they
 * follow the theme and the current-page accent; decorative (aria-hidden), the link text names them.
 */
import { svg, type SVGTemplateResult } from 'lit';

const ICON_PATHS: Record<string, SVGTemplateResult> = {
  explore: svg`<circle cx="9" cy="9" r="5.5"/><path d="M13 13l4.5 4.5"/>`,
  map: svg`<circle cx="5" cy="6" r="1.6"/><circle cx="13" cy="4.5" r="1.6"/><circle cx="8" cy="12" r="1.6"/><circle cx="15" cy="13" r="1.6"/><circle cx="4.5" cy="16" r="1.6"/>`,
  space: svg`<path d="M10 2.5l6.5 3.75v7.5L10 17.5l-6.5-3.75v-7.5z"/><path d="M10 10l6.5-3.75M10 10v7.5M10 10L3.5 6.25"/>`,
  forecast: svg`<path d="M3 16l4.5-5 3.5 3 6-8"/><path d="M13.5 6H17v3.5"/>`,
  match: svg`<path d="M7.5 12.5l5-5"/><path d="M9 5.5l1.5-1.5a3.2 3.2 0 014.5 4.5L13.5 10M11 14.5L9.5 16A3.2 3.2 0 015 11.5L6.5 10"/>`,
  dashboard: svg`<rect x="3" y="3" width="6" height="6" rx="1"/><rect x="11" y="3" width="6" height="4" rx="1"/><rect x="3" y="11" width="6" height="6" rx="1"/><rect x="11" y="9" width="6" height="8" rx="1"/>`,
  chat: svg`<path d="M3.5 4.5h13v9h-7l-4 3v-3h-2z"/>`,
  import: svg`<path d="M10 3v9M6.5 8.5L10 12l3.5-3.5"/><path d="M3.5 13.5v3h13v-3"/>`,
  models: svg`<rect x="5" y="5" width="10" height="10" rx="1.5"/><path d="M8 2.5V5M12 2.5V5M8 15v2.5M12 15v2.5M2.5 8H5M2.5 12H5M15 8h2.5M15 12h2.5"/>`,
  collapse: svg`<path d="M12 5l-5 5 5 5"/>`,
  expand: svg`<path d="M8 5l5 5-5 5"/>`,
};

export function icon(name: string): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${ICON_PATHS[name] ?? ICON_PATHS.explore}</svg>`;
}

/** The product's mark: a small constellation of codes joined by the links a forecast would add. */
export function logoMark(size = 28): SVGTemplateResult {
  return svg`<svg class="logo" viewBox="0 0 32 32" width=${size} height=${size} aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="8" fill="var(--ps-accent)"/>
    <g stroke="var(--ps-accent-text)" stroke-width="1.6" stroke-linecap="round" opacity="0.85">
      <path d="M9 10l8 4 6-6M17 14l-4 9M17 14l7 7"/></g>
    <g fill="var(--ps-accent-text)"><circle cx="9" cy="10" r="2.6"/><circle cx="17" cy="14" r="3"/><circle cx="23" cy="8" r="2.2"/>
      <circle cx="13" cy="23" r="2.4"/><circle cx="24" cy="21" r="2.2"/></g>
  </svg>`;
}
