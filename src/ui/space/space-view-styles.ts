/** The technology space view's layout: the stage (canvas and labels) beside the inspector. */
import { css } from 'lit';

export const spaceViewStyles = css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    .frame { display: flex; flex-direction: column; flex: 1 1 auto; min-height: 0; }
    .space { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(18rem, 24rem); gap: var(--ps-space-3); }
    .main { display: flex; flex-direction: column; min-height: 0; }
    /* A folded inspector leaves the canvas the width (ps-space-inspector reflects collapsed). */
    .space:has(> ps-space-inspector[collapsed]) { grid-template-columns: minmax(0, 1fr) auto; }
    @media (max-width: 56rem) {
      .space { grid-template-columns: 1fr; }
    }
    .stage { position: relative; flex: 1 1 auto; min-height: 20rem; border: 1px solid var(--ps-border); border-radius: var(--ps-radius);
      overflow: hidden; background: var(--ps-canvas-bg); }
    canvas { width: 100%; height: 100%; display: block; outline: none; touch-action: none; }
    canvas:focus-visible { box-shadow: inset 0 0 0 3px var(--ps-focus); }
    .labels { position: absolute; inset: 0; pointer-events: none; overflow: hidden; }
    .labels .label { position: absolute; left: 0; top: 0; font: var(--ps-text-xs) var(--ps-font); color: var(--ps-canvas-ink);
      background: color-mix(in srgb, var(--ps-canvas-bg) 75%, transparent); padding: 0 3px; border-radius: 3px; white-space: nowrap; }
    .labels .label[data-kind='focus'] { font-weight: bold; background: var(--ps-canvas-bg); border: 1px solid var(--ps-canvas-ink); }
    .labels .label[data-kind='hover'] { background: var(--ps-warning-bg); color: var(--ps-warning-text); }
`;
