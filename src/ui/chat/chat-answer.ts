/**
 * An answer drawn from its text: sentences with each citation as a link to its item, a citation
 * to something not in the answer's sources marked as unsupported, a sentence without a citation
 * marked as uncited. Everything is text nodes and attributes (Lit escapes them); nothing the model
 * or the data wrote is ever parsed as HTML.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { parseAnswer, type AnswerSentence } from '../../core/chat/citations';
import type { ContextEntry } from '../../core/chat/context';
import { itemHref, itemName } from './item-links';

export interface AnswerCounts {
  unsupported: string[];
  uncited: number;
}

/** `streaming`: the last sentence may still get its citation, so it is not marked yet. */
export function renderAnswer(answer: string, context: readonly ContextEntry[], streaming: boolean): { body: TemplateResult; counts: AnswerCounts } {
  const parsed = parseAnswer(answer, (tag) => context.find((e) => e.tag === tag));
  const paragraphs: AnswerSentence[][] = [];
  for (const sentence of parsed.sentences) {
    if (paragraphs.length === 0 || sentence.breakBefore === 'paragraph') paragraphs.push([]);
    paragraphs[paragraphs.length - 1].push(sentence);
  }
  const last = parsed.sentences.at(-1);
  const body = html`${paragraphs.map((sentences) => html`<p>${sentences.map((s) => {
    const uncited = s.uncited && !(streaming && s === last);
    return html`${s.breakBefore === 'line' ? html`<br>` : nothing}<span class="sentence ${uncited ? 'uncited' : ''}">${s.parts.map((part) => {
      if (part.kind === 'text') return part.text;
      if (!part.entry) {
        return html`<span class="cite unsupported" data-tag=${part.tag} title="Not among this answer's sources">[${part.tag}]<span class="visually-hidden"> (not in the sources)</span></span>`;
      }
      return html`<a class="cite" data-tag=${part.tag} href=${itemHref(part.entry.item)} title=${itemName(part.entry.item)}>[${part.tag}]</a>`;
    })}${uncited ? html` <span class="flag" title="This sentence cites no source">no source cited</span>` : nothing}</span> `;
  })}</p>`)}`;
  const uncitedCount = parsed.sentences.filter((s) => s.uncited && !(streaming && s === last)).length;
  return { body, counts: { unsupported: parsed.unsupported, uncited: uncitedCount } };
}
