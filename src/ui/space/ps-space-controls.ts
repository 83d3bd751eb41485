import { LitElement, css, html } from 'lit';
import { DEFAULT_SPACE_SETTINGS, type SpaceSettings } from '../../core/layout/space';
import { baseStyles, controlStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';

/**
 * The technology space's layout settings: projection, seed, year windows and nearest k.
 * @fires space-control - settings or recompute
 */
export class PsSpaceControls extends LitElement {
  static override properties = { settings: { attribute: false }, busy: { attribute: false } };
  declare settings: SpaceSettings;
  declare busy: boolean;

  constructor() {
    super();
    this.settings = DEFAULT_SPACE_SETTINGS;
    this.busy = false;
  }

  static override styles = [baseStyles, controlStyles, css`:host { display: block; }`];

  override render() {
    const s = this.settings;
    const number = (id: string, label: string, value: number, min: number, max: number, key: keyof SpaceSettings) => html`
      <label>${label} <input id=${id} type="number" min=${min} max=${max} .value=${String(value)} ?disabled=${this.busy}
        @change=${(e: Event) => fireSpaceControl(this, { kind: 'settings', change: { [key]: Number((e.target as HTMLInputElement).value) } })}></label>`;
    return html`<div class="row" role="toolbar" aria-label="Space layout">
      <label>Projection <select id="projection" ?disabled=${this.busy}
        @change=${(e: Event) => fireSpaceControl(this, { kind: 'settings', change: { projection: (e.target as HTMLSelectElement).value === 'pca' ? 'pca' : 'umap' } })}>
        <option value="umap" ?selected=${s.projection === 'umap'}>UMAP (3D, seeded)</option>
        <option value="pca" ?selected=${s.projection === 'pca'}>PCA</option>
      </select></label>
      ${number('seed', 'Seed', s.seed, 0, 2 ** 31 - 1, 'seed')}
      ${number('window-size', 'Window (years)', s.windowSize, 1, 100, 'windowSize')}
      ${number('window-step', 'Step', s.windowStep, 1, 100, 'windowStep')}
      ${number('neighbour-k', 'Nearest k', s.k, 1, 50, 'k')}
      <button id="recompute" ?disabled=${this.busy} @click=${() => fireSpaceControl(this, { kind: 'recompute' })}>Recompute</button>
    </div>`;
  }
}

customElements.define('ps-space-controls', PsSpaceControls);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-controls': PsSpaceControls }
}
