/**
 * Styles every element shares, written once against the theme tokens (tokens.ts): typography,
 * form controls and buttons, tables, panels. Elements list the ones they use in `static styles`.
 */
import { css } from 'lit';

/**
 * Font, colours, focus ring, muted text and the toolbar row. Transitions are named per element
 * (never on everything: moving labels and cards must follow the pointer at once) and last
 * --ps-duration, which is 0 under prefers-reduced-motion; the media rule below also stops any.
 */
export const baseStyles = css`
  :host { font-family: var(--ps-font); color: var(--ps-text); font-size: var(--ps-text-md); line-height: 1.45; }
  h2 { font-size: var(--ps-text-lg); margin: var(--ps-space-4) 0 var(--ps-space-2); }
  h3 { font-size: var(--ps-text-md); margin: var(--ps-space-4) 0 var(--ps-space-2); }
  h4 { font-size: var(--ps-text-sm); margin: var(--ps-space-3) 0 var(--ps-space-1); }
  p { margin: var(--ps-space-2) 0; }
  a { color: var(--ps-accent); }
  code { font-family: var(--ps-mono); font-size: 0.92em; }
  .muted { color: var(--ps-text-muted); font-size: var(--ps-text-sm); }
  .row { display: flex; gap: var(--ps-space-2) var(--ps-space-3); align-items: center; flex-wrap: wrap; margin: var(--ps-space-2) 0; }
  .num, output { font-variant-numeric: tabular-nums; }
  :focus-visible { outline: 2px solid var(--ps-focus); outline-offset: 1px; }
  @media (prefers-reduced-motion: reduce) {
    *, *::before, *::after { transition: none !important; animation: none !important; }
  }
`;

/** Native buttons, selects and inputs, themed; `.primary` is the one accent action of a view. */
export const controlStyles = css`
  button, select, input:not([type='checkbox']):not([type='radio']):not([type='range']):not([type='file']) {
    font: inherit; font-size: var(--ps-text-sm); color: var(--ps-text); background: var(--ps-surface);
    border: 1px solid var(--ps-border-strong); border-radius: var(--ps-radius); padding: var(--ps-space-1) var(--ps-space-2);
    min-height: var(--ps-control-min-size, 2rem); box-sizing: border-box;
  }
  /* --ps-control-min-size: kiosk mode's touch targets (44 px, set on the app shell); unset, controls keep their size. */
  /* Kiosk mode's touch width and check boxes, only there: even an 'auto' fallback changes the UA's sizes (and so layouts) elsewhere. */
  :host-context(ps-app[kiosk]) button { min-width: var(--ps-control-min-size); }
  :host-context(ps-app[kiosk]) input[type='checkbox'], :host-context(ps-app[kiosk]) input[type='radio'] { min-width: var(--ps-control-min-size); min-height: var(--ps-control-min-size); }
  :host-context(ps-app[kiosk]) input[type='range'] { min-height: var(--ps-control-min-size); }
  /* --ps-file-input-display: none in kiosk mode, where a file dialog must never open. */
  input[type='file'] { display: var(--ps-file-input-display, inline-block); }
  button { cursor: pointer; transition: background-color var(--ps-duration), border-color var(--ps-duration); }
  button:hover:not(:disabled) { background: var(--ps-surface2); }
  button:disabled, select:disabled, input:disabled { opacity: 0.55; cursor: default; }
  button.primary { background: var(--ps-accent); border-color: var(--ps-accent); color: var(--ps-accent-text); font-weight: 600; }
  button.primary:hover:not(:disabled) { background: var(--ps-accent); filter: brightness(1.08); }
  button[aria-pressed='true'] { background: var(--ps-accent-soft); border-color: var(--ps-accent); }
  input[type='number'] { width: 5.5rem; }
  input[type='checkbox'], input[type='radio'], input[type='range'] { accent-color: var(--ps-accent); }
  label { font-size: var(--ps-text-sm); }
`;

/**
 * Data tables: tabular figures, right-aligned numbers, and rows that act (`tr.pick`): each has a
 * real button for the keyboard and screen readers, and a click anywhere on the row does the same
 * for the pointer; the row being shown is marked `aria-current`.
 */
export const tableStyles = css`
  table { border-collapse: collapse; margin: var(--ps-space-2) 0; font-size: var(--ps-text-sm); }
  caption { text-align: left; font-weight: 600; padding: var(--ps-space-1) 0; }
  th, td { text-align: left; padding: var(--ps-space-1) var(--ps-space-3); border-bottom: 1px solid var(--ps-border); vertical-align: top; }
  th { font-weight: 600; color: var(--ps-text-muted); font-size: var(--ps-text-xs); text-transform: uppercase; letter-spacing: 0.03em; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tbody tr.pick { cursor: pointer; }
  tbody tr.pick:hover, tbody tr.pick:focus-within { background: var(--ps-surface2); }
  tbody tr.pick:has(:focus-visible) { box-shadow: inset 3px 0 0 var(--ps-focus); }
  tbody tr[aria-current='true'] { background: var(--ps-accent-soft); }
  button.row-button { font: inherit; font-weight: 600; color: var(--ps-accent); background: none; border: none; padding: 0; min-height: var(--ps-control-min-size, 0); text-align: left; cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
  button.row-button:hover:not(:disabled) { background: none; }
`;

/** Fieldsets, definition lists and cards. */
export const panelStyles = css`
  fieldset { border: 1px solid var(--ps-border); border-radius: var(--ps-radius); margin: var(--ps-space-2) 0; padding: var(--ps-space-2) var(--ps-space-3); background: var(--ps-surface); }
  legend { font-weight: 600; font-size: var(--ps-text-sm); padding: 0 var(--ps-space-1); }
  dl { display: grid; grid-template-columns: max-content auto; gap: var(--ps-space-1) var(--ps-space-3); margin: var(--ps-space-2) 0; font-size: var(--ps-text-sm); }
  dt { color: var(--ps-text-muted); }
  dd { margin: 0; font-variant-numeric: tabular-nums; }
  .card { background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: var(--ps-radius); padding: var(--ps-space-3); }
`;

/** Everything above, for the views that use it all. */
export const viewStyles = [baseStyles, controlStyles, tableStyles, panelStyles];
