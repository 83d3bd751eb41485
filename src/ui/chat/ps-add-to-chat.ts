import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { CHAT_CONTEXT_EVENT, chatContext } from '../../clients/chat-context-client';
import { addToChat, chipTags, MAX_PATENT_CHIPS, targetName, type ChatTarget } from '../../clients/chat-grounding-client';
import { errorMessage } from '../shared/task-controller';
import { baseStyles, controlStyles } from '../theme/styles';

/**
 * "Add to chat" for whatever a view shows: a patent, a pollutant, a section, the map's selection,
 * an SDG row, a technology code, a forecast pair.
 * Once added it says under which tags, with a link to the chat.
 */
export class PsAddToChat extends LitElement {
  static override properties = { target: { attribute: false }, tags: { state: true }, busy: { state: true }, error: { state: true } };
  declare target: ChatTarget | null;
  declare tags: string[];
  declare busy: boolean;
  declare error: string;
  private readonly onChange = () => this.refresh();

  constructor() {
    super();
    Object.assign(this, { target: null, tags: [], busy: false, error: '' });
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: inline-flex; align-items: center; gap: var(--ps-space-2); flex-wrap: wrap; }
    .error { color: var(--ps-error-text); font-size: var(--ps-text-sm); }
    /* In a table row the label stays on one line: a narrow column must not stack its words. */
    .add-to-chat { white-space: nowrap; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    chatContext.addEventListener(CHAT_CONTEXT_EVENT, this.onChange);
  }

  override disconnectedCallback(): void {
    chatContext.removeEventListener(CHAT_CONTEXT_EVENT, this.onChange);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('target')) this.refresh();
  }

  private refresh(): void {
    this.tags = this.target ? chipTags(this.target) : [];
  }

  private async add(): Promise<void> {
    if (!this.target) return;
    this.busy = true;
    try {
      await addToChat(this.target);
      this.error = '';
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  override render() {
    const target = this.target;
    if (!target) return nothing;
    const count = target.kind === 'patents' ? Math.max(target.total ?? 0, target.ids.length) : 1;
    const many = count > 1;
    const name = targetName(target);
    const label = many ? (count > MAX_PATENT_CHIPS ? `Add the first ${MAX_PATENT_CHIPS} of ${count} to chat` : `Add ${count} to chat`) : name ? `Add ${name} to chat` : 'Add to chat';
    const inChat = this.tags.length > 0 && (target.kind !== 'patents' || this.tags.length === Math.min(MAX_PATENT_CHIPS, target.ids.length));
    return html`<button class="add-to-chat" ?disabled=${this.busy || inChat} @click=${() => void this.add()}>${inChat ? (name ? `${name} in the chat` : 'In the chat') : label}</button>
      <span role="status" class="muted">${this.tags.length ? html`as <span class="chat-tags">${this.tags.map((t) => `[${t}]`).join(' ')}</span> · <a href="#/chat">Open the chat</a>` : nothing}</span>
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}`;
  }
}

customElements.define('ps-add-to-chat', PsAddToChat);
declare global {
  interface HTMLElementTagNameMap { 'ps-add-to-chat': PsAddToChat }
}
