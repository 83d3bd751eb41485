/**
 * The application shell's layout: a navigation rail on the left (icons and names, collapsible to
 * icons), one bar along the top for the active dataset and how it is analysed, and the routed
 * view filling the rest of the window. Canvas views take the whole area and scroll nothing at
 * page level; the other views scroll inside <main> at a readable width.
 */
import { css } from 'lit';

export const shellStyles = css`
  :host { display: grid; grid-template-columns: auto minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); height: 100vh; height: 100dvh; }
  nav.rail { grid-row: 1 / 3; display: flex; flex-direction: column; gap: var(--ps-space-1); width: 13.5rem; box-sizing: border-box;
    padding: var(--ps-space-3) var(--ps-space-2); background: var(--ps-surface); border-right: 1px solid var(--ps-border); overflow-y: auto;
    transition: width var(--ps-duration); }
  .brand { display: flex; align-items: center; gap: var(--ps-space-2); padding: 0 var(--ps-space-2) var(--ps-space-3); }
  .brand h1 { margin: 0; font-size: var(--ps-text-md); letter-spacing: -0.01em; white-space: nowrap; }
  .brand .logo { flex: none; }
  nav.rail ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
  nav.rail .group { margin: var(--ps-space-3) var(--ps-space-2) var(--ps-space-1); font-size: var(--ps-text-xs); color: var(--ps-text-muted);
    text-transform: uppercase; letter-spacing: 0.04em; white-space: nowrap; }
  nav.rail a { display: flex; align-items: center; gap: var(--ps-space-3); color: var(--ps-text-muted); text-decoration: none; font-size: var(--ps-text-sm);
    padding: var(--ps-space-2); border-radius: var(--ps-radius); white-space: nowrap; min-height: 2.25rem; box-sizing: border-box;
    transition: background-color var(--ps-duration), color var(--ps-duration); }
  nav.rail a .icon { flex: none; }
  nav.rail a:hover { background: var(--ps-surface2); color: var(--ps-text); }
  nav.rail a[aria-current='page'] { color: var(--ps-accent); background: var(--ps-accent-soft); font-weight: 600; }
  nav.rail .foot { margin-top: auto; padding-top: var(--ps-space-3); display: flex; flex-direction: column; gap: var(--ps-space-2); }
  nav.rail .foot label { display: flex; flex-direction: column; gap: var(--ps-space-1); padding: 0 var(--ps-space-2); color: var(--ps-text-muted); font-size: var(--ps-text-xs); }
  #rail-toggle { display: flex; align-items: center; gap: var(--ps-space-2); border: none; background: none; color: var(--ps-text-muted); justify-content: flex-start; }
  /* Collapsed (by the user, or on a narrow window): icons only, the names stay for screen readers. */
  :host([rail='collapsed']) nav.rail { width: 3.75rem; }
  :host([rail='collapsed']) nav.rail .label, :host([rail='collapsed']) .brand h1, :host([rail='collapsed']) nav.rail .group,
  :host([rail='collapsed']) nav.rail .foot label span { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  :host([rail='collapsed']) #scheme-select { width: 2.75rem; padding: 0; }
  header { grid-column: 2; background: var(--ps-surface); border-bottom: 1px solid var(--ps-border); z-index: 5; }
  .bar { display: flex; align-items: center; gap: var(--ps-space-2) var(--ps-space-3); flex-wrap: wrap; padding: var(--ps-space-2) var(--ps-space-4); min-height: 3rem; box-sizing: border-box; }
  /* A small basis: the bar wraps only when even a shortened dataset name would not fit beside the settings. */
  ps-dataset-bar { flex: 1 1 22rem; min-width: 0; }
  .settings { display: flex; gap: var(--ps-space-3); align-items: center; margin-left: auto; flex-wrap: wrap; }
  .settings label { display: inline-flex; align-items: center; gap: var(--ps-space-1); white-space: nowrap; }
  #method-select { max-width: 7.5rem; }
  main { grid-column: 2; min-height: 0; overflow: auto; padding: var(--ps-space-2) var(--ps-space-6) var(--ps-space-6); }
  main > * { max-width: 72rem; margin-left: auto; margin-right: auto; }
  main.wide { display: flex; flex-direction: column; overflow: hidden; padding: var(--ps-space-2) var(--ps-space-4); }
  main.wide > * { max-width: none; width: 100%; }
  main.wide > ps-map-view, main.wide > ps-space-view { flex: 1 1 auto; min-height: 0; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  /* A hidden view heading that takes the focus from the keyboard shows itself as a floating label,
     so a keyboard user sees where the focus went; it hides again when the focus moves on. */
  #view-heading.visually-hidden:focus-visible { position: fixed; width: auto; height: auto; overflow: visible; clip-path: none; z-index: 5;
    top: 3.5rem; left: 50%; transform: translateX(-50%); margin: 0; padding: var(--ps-space-1) var(--ps-space-3);
    font-size: var(--ps-text-sm); background: var(--ps-surface); color: var(--ps-text); border-radius: var(--ps-radius);
    box-shadow: var(--ps-shadow); outline: 2px solid var(--ps-focus); }
  .status { font-size: var(--ps-text-sm); color: var(--ps-text-muted); }
  .toast { position: fixed; bottom: var(--ps-space-4); left: 50%; transform: translateX(-50%); background: var(--ps-text); color: var(--ps-bg);
    padding: var(--ps-space-2) var(--ps-space-4); border-radius: var(--ps-radius); box-shadow: var(--ps-shadow); z-index: 10; }
  .toast button { margin-left: var(--ps-space-3); }
  /* The backend indicator: a dot and a word, expanding into where each step ran and why. */
  details.backend { position: relative; font-size: var(--ps-text-sm); }
  details.backend summary { list-style: none; cursor: pointer; display: inline-flex; align-items: center; gap: var(--ps-space-2);
    padding: var(--ps-space-1) var(--ps-space-2); border: 1px solid var(--ps-border); border-radius: 999px; min-height: 2rem; box-sizing: border-box; }
  details.backend summary::-webkit-details-marker { display: none; }
  details.backend .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--ps-text-muted); }
  details.backend[data-tone='ok'] .dot { background: var(--ps-success); }
  details.backend[data-tone='fallback'] .dot { background: var(--ps-warning-border); }
  details.backend[data-tone='error'] .dot { background: var(--ps-error-border); }
  details.backend[data-tone='busy'] .dot { background: var(--ps-accent); }
  details.backend ul { position: absolute; right: 0; top: calc(100% + 4px); z-index: 20; margin: 0; padding: var(--ps-space-2) var(--ps-space-3) var(--ps-space-2) var(--ps-space-6);
    min-width: 18rem; max-width: 28rem; background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: var(--ps-radius); box-shadow: var(--ps-shadow); }
  /* Kiosk: touch-sized controls in every view (theme/styles.ts reads these), no file inputs, no delete. */
  :host([kiosk]) { --ps-control-min-size: 44px; --ps-file-input-display: none; --ps-delete-display: none; }
  :host([kiosk]) nav.rail a { min-height: 44px; }
  @media (max-width: 720px) {
    :host { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto auto minmax(0, 1fr); }
    nav.rail { grid-row: 1; width: auto; flex-direction: row; align-items: center; overflow-x: auto; padding: var(--ps-space-1) var(--ps-space-2); border-right: none; border-bottom: 1px solid var(--ps-border); }
    nav.rail ul { flex-direction: row; }
    nav.rail .group, nav.rail .foot, .brand h1 { display: none; }
    .brand { padding: 0 var(--ps-space-1); }
    header, main { grid-column: 1; }
  }
`;
