import { LitElement, css, html, nothing } from 'lit';
import type { ContextEntry } from '../../core/chat/context';
import { baseStyles, controlStyles } from '../theme/styles';
import { itemHref, itemName } from './item-links';

/**
 * The chat's context as chips: each opens its item and can be removed; "Clear all" empties the
 * context. Fires `chip-remove` (detail: the tag) and `chips-clear`.
 */
export class PsChatChips extends LitElement {
  static override properties = { entries: { attribute: false } };
  declare entries: readonly ContextEntry[];

  constructor() {
    super();
    this.entries = [];
  }

  static override styles = [baseStyles, controlStyles, css`
    :host { display: block; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: var(--ps-space-1) var(--ps-space-2); padding: 0; margin: var(--ps-space-2) 0; }
    li { display: inline-flex; align-items: center; gap: var(--ps-space-1); border: 1px solid var(--ps-border-strong); border-radius: 999px;
      padding: 0 0 0 var(--ps-space-2); background: var(--ps-surface); max-width: 26rem; font-size: var(--ps-text-sm); }
    li a { color: inherit; text-decoration: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    li a:hover { text-decoration: underline; }
    .tag { font-family: var(--ps-mono); color: var(--ps-accent); font-weight: 600; margin-right: var(--ps-space-1); }
    li button { border: none; border-radius: 999px; min-height: 1.6rem; min-width: 1.6rem; padding: 0; background: transparent; }
  `];

  override render() {
    if (this.entries.length === 0) return nothing;
    return html`<div class="row"><strong id="chips-label">In the chat (${this.entries.length})</strong>
        <button id="chips-clear" @click=${() => this.dispatchEvent(new CustomEvent('chips-clear'))}>Clear all</button></div>
      <ul id="chips" aria-labelledby="chips-label">${this.entries.map((e) => html`<li class="chip" data-tag=${e.tag} data-kind=${e.item.kind} data-id=${e.item.id}>
        <a href=${itemHref(e.item)} title=${itemName(e.item)}><span class="tag">${e.tag}</span>${itemName(e.item)}</a>
        <button class="chip-remove" aria-label=${`Remove ${e.tag} ${itemName(e.item)} from the chat`} title="Remove"
          @click=${() => this.dispatchEvent(new CustomEvent('chip-remove', { detail: e.tag }))}>×</button></li>`)}</ul>`;
  }
}

customElements.define('ps-chat-chips', PsChatChips);
declare global {
  interface HTMLElementTagNameMap { 'ps-chat-chips': PsChatChips }
}
