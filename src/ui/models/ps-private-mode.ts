import { LitElement, css, html, nothing } from 'lit';
import { isPrivateMode, setPrivateMode } from '../../clients/content-policy';
import { viewStyles } from '../theme/styles';

/**
 * The private-mode switch. On: the page may connect to no host but its own (a stricter CSP is
 * added at once) and hub, URL and web-llm models from other hosts are refused before any request;
 * models already cached in this browser, bundled models and folders keep working. Off: takes
 * effect on the next load, since a policy in force cannot be lifted by the page.
 */
export class PsPrivateMode extends LitElement {
  static override properties = { on: { state: true }, reloadNeeded: { state: true } };
  declare on: boolean;
  declare reloadNeeded: boolean;

  constructor() {
    super();
    this.on = isPrivateMode();
    this.reloadNeeded = false;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    p { margin: var(--ps-space-1) 0 0; }
  `];

  override render() {
    return html`
      <label><input type="checkbox" id="private-mode" .checked=${this.on} aria-describedby="private-mode-help"
        @change=${(e: Event) => this.toggle((e.target as HTMLInputElement).checked)}> Private mode: no remote host</label>
      <p id="private-mode-help" class="muted">${this.on
        ? 'On: this page connects to no host but its own. Hub and web-llm models are refused before any request; bundled, cached and folder models still load.'
        : 'Off: models may be fetched from Hugging Face, web-llm’s library host and the hub this page was opened with. Nothing else leaves this computer.'}</p>
      ${this.reloadNeeded ? html`<p role="status">Private mode is off for the next page load: <button @click=${() => location.reload()}>Reload now</button></p>` : nothing}`;
  }

  private toggle(on: boolean): void {
    setPrivateMode(on);
    // Whenever it was on, a stricter policy is in force on this page; only a reload lifts it.
    this.reloadNeeded = !on;
    this.on = on;
  }
}

customElements.define('ps-private-mode', PsPrivateMode);
