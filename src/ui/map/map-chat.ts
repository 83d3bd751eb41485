/**
 * The map's "Add to chat": the selected patents (the first MAX_PATENT_CHIPS of them, in layout
 * order) as chips. The ids are found once per selection: the mask is replaced, never edited, on
 * every change, so its identity says whether the selection changed (renders happen on every hover).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_PATENT_CHIPS, type ChatTarget } from '../../clients/chat-grounding-client';
import '../chat/ps-add-to-chat';

let cached: { mask: Uint8Array; target: ChatTarget } | null = null;

export function mapAddToChat(selection: { mask: Uint8Array; size: number }, layout: { ids: readonly string[] } | null): TemplateResult | typeof nothing {
  if (!layout || selection.size === 0 || selection.mask.length !== layout.ids.length) return nothing;
  if (cached?.mask !== selection.mask) {
    const ids: string[] = [];
    for (let i = 0; i < selection.mask.length && ids.length < MAX_PATENT_CHIPS; i++) if (selection.mask[i]) ids.push(layout.ids[i]);
    cached = { mask: selection.mask, target: { kind: 'patents', ids, total: selection.size } };
  }
  return html`<ps-add-to-chat id="map-add-to-chat" .target=${cached.target}></ps-add-to-chat>`;
}
