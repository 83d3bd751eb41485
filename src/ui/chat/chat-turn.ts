/**
 * One question and its answer as the conversation shows it: the answer with linked citations,
 * who wrote it, how it ended (stopped, refused, failed), what is unsupported or uncited, and the
 * note when the prompt was cut to fit the model.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { REPORT_MODE, SOURCES_ONLY, type LiveTurn } from '../../clients/chat-session';
import type { StoredTurn } from '../../store/conversation-store';
import { renderAnswer } from './chat-answer';
import type { RetrievalNote } from '../../core/chat/retrieve';

type Shown = (StoredTurn & { live?: false }) | (LiveTurn & { live: true; status: 'streaming' });

function engineLine(engine: string): string {
  if (engine === REPORT_MODE) return 'Report mode: composed from the matches, no model';
  if (engine === SOURCES_ONLY) return 'The sources found for the question (no chat model is loaded: load one in Models for a written answer)';
  return engine ? `Written by ${engine} from the sources` : '';
}

/** How the sources were found, for a free question's turn; '' for reports and older turns. */
function retrievalLine(note: RetrievalNote | null | undefined): string {
  if (!note) return '';
  if (note.embedding) return `Sources found by their words and by ${note.embedding}'s similarity`;
  return note.reason ? `Sources found by their words only: ${note.reason}` : 'Sources found by their words';
}

const STATUS_TEXT: Readonly<Record<Shown['status'], string>> = {
  done: '',
  streaming: 'Writing…',
  stopped: 'Stopped before the end',
  refused: 'No source for that',
  error: 'Failed',
};

/** Stored turns never change: drawn once, not again on every streamed chunk of the next one. */
const drawn = new WeakMap<StoredTurn, TemplateResult>();

export function renderTurn(turn: Shown): TemplateResult {
  if (turn.live) return draw(turn);
  let result = drawn.get(turn);
  if (!result) drawn.set(turn, (result = draw(turn)));
  return result;
}

function draw(turn: Shown): TemplateResult {
  const streaming = turn.status === 'streaming';
  const refused = turn.status === 'refused';
  const preparing = turn.live === true && turn.preparing;
  const { body, counts } = renderAnswer(turn.answer, turn.context, streaming);
  const problems = [
    counts.unsupported.length ? `${counts.unsupported.length} ${counts.unsupported.length === 1 ? 'citation is' : 'citations are'} not among the sources (${counts.unsupported.map((t) => `[${t}]`).join(' ')})` : '',
    counts.uncited ? `${counts.uncited} ${counts.uncited === 1 ? 'sentence cites' : 'sentences cite'} no source` : '',
  ].filter(Boolean);
  return html`<article class="turn" data-turn=${turn.id} data-status=${turn.status} data-engine=${turn.engine} aria-busy=${streaming ? 'true' : 'false'}>
    <h3 class="question">${turn.question}</h3>
    ${refused ? html`<div class="answer refusal" role="note"><strong>No source for that.</strong> ${turn.answer}</div>`
      : html`<div class="answer">${preparing ? html`<p class="muted">${turn.request.kind === 'report' ? 'Composing the report from the matches…' : 'Finding sources…'}</p>` : body}</div>`}
    <p class="meta muted">
      ${STATUS_TEXT[turn.status] ? html`<span class="status ${turn.status}">${STATUS_TEXT[turn.status]}</span>` : nothing}
      ${!refused && engineLine(turn.engine) ? html`<span>${engineLine(turn.engine)}</span>` : nothing}
      ${!refused && retrievalLine(turn.retrieval) ? html`<span class="retrieval">${retrievalLine(turn.retrieval)}</span>` : nothing}
      ${problems.length && !streaming ? html`<span class="problems">${problems.join('; ')}</span>` : nothing}
    </p>
    ${turn.status === 'error' && 'error' in turn && turn.error ? html`<p class="error" role="alert">${turn.error}</p>` : nothing}
    ${turn.note ? html`<p class="note" id=${`note-${turn.id}`}>${turn.note}</p>` : nothing}
  </article>`;
}
