import { LitElement, css, html, nothing } from 'lit';
import { baseStyles, controlStyles } from '../theme/styles';

/**
 * "A new version of Patent Space is ready — Reload": shown when the service worker has a new
 * version installed (src/clients/service-worker-client.ts). The app never reloads by itself, so a
 * running import or embedding is not cut short; Later hides the prompt until the next load.
 * @fires ps-update-reload - the user asked for the new version
 */
export class PsUpdatePrompt extends LitElement {
  static override properties = { open: { type: Boolean, reflect: true } };
  declare open: boolean;

  constructor() {
    super();
    this.open = false;
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { position: fixed; inset-inline-end: var(--ps-space-4); inset-block-end: var(--ps-space-4); z-index: 1000; max-width: calc(100vw - 2 * var(--ps-space-4)); }
    :host(:not([open])) { display: none; }
    .prompt { display: flex; gap: var(--ps-space-2); align-items: center; flex-wrap: wrap; padding: var(--ps-space-2) var(--ps-space-3);
      background: var(--ps-surface); color: var(--ps-text); border: 1px solid var(--ps-border-strong); border-radius: var(--ps-radius);
      box-shadow: var(--ps-shadow); font-size: var(--ps-text-sm); }
    p { margin: 0; }
  `];

  override render() {
    if (!this.open) return nothing;
    return html`<div class="prompt" role="status">
      <p id="update-message">A new version of Patent Space is ready.</p>
      <button id="update-reload" @click=${this.reload}>Reload</button>
      <button id="update-later" @click=${() => { this.open = false; }}>Later</button>
    </div>`;
  }

  private reload(): void {
    this.dispatchEvent(new CustomEvent('ps-update-reload', { bubbles: true, composed: true }));
  }
}

customElements.define('ps-update-prompt', PsUpdatePrompt);
declare global {
  interface HTMLElementTagNameMap { 'ps-update-prompt': PsUpdatePrompt }
}
