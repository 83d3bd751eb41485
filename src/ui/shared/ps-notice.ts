import { LitElement, css, html, nothing } from 'lit';
import { baseStyles } from '../theme/styles';

export type NoticeKind = 'info' | 'warning' | 'error';

const ICONS: Record<NoticeKind, string> = { info: 'i', warning: '!', error: '×' };

/**
 * A notice that says what happened and what to do next: info (a fact worth knowing), warning
 * (it worked, differently than asked, e.g. a fallback) or error (it did not work). Errors are
 * announced at once (role alert), the others politely (role status).
 * @slot - the message
 * @slot action - the next step as a control (a button or a link)
 * @csspart notice - the coloured box
 */
export class PsNotice extends LitElement {
  static override properties = { kind: { reflect: true }, next: {} };
  declare kind: NoticeKind;
  /** The next step in words, after the message ("Press Run to try again."). */
  declare next: string;

  constructor() {
    super();
    this.kind = 'info';
    this.next = '';
  }

  static override styles = [baseStyles, css`
    :host { display: block; margin: var(--ps-space-2) 0; }
    .notice { display: flex; gap: var(--ps-space-2); align-items: flex-start; padding: var(--ps-space-2) var(--ps-space-3);
      border-radius: var(--ps-radius); border: 1px solid var(--ps-info-border); background: var(--ps-info-bg); color: var(--ps-info-text);
      font-size: var(--ps-text-sm); }
    :host([kind='warning']) .notice { border-color: var(--ps-warning-border); background: var(--ps-warning-bg); color: var(--ps-warning-text); }
    :host([kind='error']) .notice { border-color: var(--ps-error-border); background: var(--ps-error-bg); color: var(--ps-error-text); }
    .icon { flex: none; width: 1.25rem; height: 1.25rem; border-radius: 50%; display: grid; place-items: center; font-weight: 700;
      font-size: var(--ps-text-xs); border: 1.5px solid currentColor; margin-top: 1px; }
    .body { flex: 1; min-width: 0; overflow-wrap: anywhere; }
    .next { margin: var(--ps-space-1) 0 0; font-weight: 600; }
    ::slotted([slot='action']) { margin-top: var(--ps-space-2); }
  `];

  protected override willUpdate(): void {
    this.setAttribute('role', this.kind === 'error' ? 'alert' : 'status');
  }

  override render() {
    return html`<div class="notice" part="notice">
      <span class="icon" aria-hidden="true">${ICONS[this.kind]}</span>
      <div class="body"><slot></slot>${this.next ? html`<p class="next">${this.next}</p>` : nothing}<div><slot name="action"></slot></div></div>
    </div>`;
  }
}

customElements.define('ps-notice', PsNotice);
declare global {
  interface HTMLElementTagNameMap { 'ps-notice': PsNotice }
}
