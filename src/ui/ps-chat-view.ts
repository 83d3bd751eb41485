import { LitElement, css, html, nothing } from 'lit';
import { CHAT_CONTEXT_EVENT, chatContext } from '../clients/chat-context-client';
import { pageChat } from '../clients/chat-page';
import { CHAT_SESSION_EVENT } from '../clients/chat-session';
import { dashboardJobs } from '../clients/dashboard-client';
import type { ContextEntry } from '../core/chat/context';
import { REPORT_TITLES, type ReportName, type ReportRequest } from '../core/chat/reports';
import { downloadText } from './download';
import { renderTurn } from './chat/chat-turn';
import { itemName } from './chat/item-links';
import { AppStateConsumer } from './shared/app-state-consumer';
import { errorMessage } from './shared/task-controller';
import { viewStyles } from './theme/styles';
import './chat/ps-chat-chips';
import './shared/ps-notice';

/** A preset and what it needs from the chips; `request` is null (with the reason) when a chip is missing. */
interface Preset {
  name: ReportName;
  label: string;
  request: ReportRequest | null;
  missing: string;
}

/** The latest chip of a kind: the one the user most likely means. */
function latest(chips: readonly ContextEntry[], kind: ContextEntry['item']['kind']): ContextEntry | undefined {
  return [...chips].reverse().find((e) => e.item.kind === kind);
}

function presets(chips: readonly ContextEntry[]): Preset[] {
  const pollutant = latest(chips, 'pollutant');
  const section = latest(chips, 'section');
  const patent = latest(chips, 'patent');
  const index = pollutant?.item.kind === 'pollutant' ? pollutant.item.index : null;
  const subject = (e: ContextEntry | undefined) => (e ? ` (${e.tag})` : '');
  return [
    { name: 'bref-pollutant', label: `${REPORT_TITLES['bref-pollutant']}${subject(pollutant)}`, request: index === null ? null : { report: 'bref-pollutant', pollutant: index }, missing: 'Add a pollutant to the chat first (Pollution dashboard → a pollutant → Add to chat).' },
    { name: 'bref-patent', label: `${REPORT_TITLES['bref-patent']}${subject(section)}`, request: section ? { report: 'bref-patent', section: section.item.id } : null, missing: 'Add a BREF section to the chat first (BREF explorer → a section → Add to chat).' },
    { name: 'patent-pollutant', label: `${REPORT_TITLES['patent-pollutant']}${subject(patent)}`, request: patent ? { report: 'patent-pollutant', patent: patent.item.id } : null, missing: 'Add a patent to the chat first (a patent\'s detail or the map\'s selection → Add to chat).' },
    { name: 'sdg', label: `${REPORT_TITLES.sdg}${pollutant ? subject(pollutant) : ' (all pollutants)'}`, request: { report: 'sdg', pollutant: index }, missing: '' },
  ];
}

/**
 * The grounded chat (#/chat): the context as chips, a question box, the four preset reports, and
 * the conversation with each citation linked to its item. Answers stream; Stop ends one where it
 * is (and it is kept, marked stopped); the last answer can be written again; the conversation is
 * kept per dataset and exports as Markdown with its cited sources. Renders only: the session
 * (src/clients/chat-session.ts) does the work.
 */
export class PsChatView extends LitElement {
  static override properties = { question: { state: true }, hasJob: { state: true }, error: { state: true } };
  declare question: string;
  /** null while unknown. */
  declare hasJob: boolean | null;
  declare error: string;
  private readonly chat = pageChat();
  private readonly onChange = () => this.requestUpdate();
  private readonly onKey = (event: KeyboardEvent) => { if (event.key === 'Escape' && this.chat.busy) { event.preventDefault(); this.stop(); } };
  private readonly app = new AppStateConsumer(this, (next, previous) => { if (next.dataset?.id !== previous.dataset?.id) void this.load(); });

  constructor() {
    super();
    Object.assign(this, { question: '', hasJob: null, error: '' });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .presets { display: flex; flex-wrap: wrap; gap: var(--ps-space-2); }
    .conversation { display: flex; flex-direction: column; gap: var(--ps-space-3); margin: var(--ps-space-3) 0; }
    .turn { border: 1px solid var(--ps-border); border-radius: var(--ps-radius); padding: var(--ps-space-2) var(--ps-space-3); background: var(--ps-surface); }
    .turn[data-status='stopped'] { border-style: dashed; }
    .question { margin: 0 0 var(--ps-space-2); font-size: var(--ps-text-md); white-space: pre-wrap; }
    .answer p { margin: 0 0 var(--ps-space-2); }
    .cite { font-family: var(--ps-mono); font-size: 0.9em; font-weight: 600; }
    .cite.unsupported { color: var(--ps-error-text); background: var(--ps-error-bg); text-decoration: line-through; }
    .sentence.uncited { text-decoration: underline dotted var(--ps-warning-border); }
    .flag { font-size: var(--ps-text-xs); color: var(--ps-warning-text); background: var(--ps-warning-bg); border-radius: var(--ps-radius); padding: 0 var(--ps-space-1); }
    .refusal { color: var(--ps-text-muted); }
    .meta { display: flex; gap: var(--ps-space-3); flex-wrap: wrap; margin: var(--ps-space-1) 0 0; }
    .status.stopped, .status.error { color: var(--ps-warning-text); font-weight: 600; }
    .note { font-size: var(--ps-text-sm); color: var(--ps-warning-text); }
    .error { color: var(--ps-error-text); }
    form { display: flex; gap: var(--ps-space-2); align-items: flex-end; }
    textarea { flex: 1 1 auto; font: inherit; min-height: 3rem; padding: var(--ps-space-2); border: 1px solid var(--ps-border-strong); border-radius: var(--ps-radius); background: var(--ps-surface); color: var(--ps-text); }
    .toast { position: fixed; bottom: var(--ps-space-4); left: 50%; transform: translateX(-50%); background: var(--ps-text); color: var(--ps-bg); padding: var(--ps-space-2) var(--ps-space-4); border-radius: var(--ps-radius); z-index: 10; }
    .toast button { margin-left: var(--ps-space-3); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.chat.addEventListener(CHAT_SESSION_EVENT, this.onChange);
    chatContext.addEventListener(CHAT_CONTEXT_EVENT, this.onChange);
    addEventListener('keydown', this.onKey);
    void this.load();
  }

  override disconnectedCallback(): void {
    this.chat.removeEventListener(CHAT_SESSION_EVENT, this.onChange);
    chatContext.removeEventListener(CHAT_CONTEXT_EVENT, this.onChange);
    removeEventListener('keydown', this.onKey);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    const dataset = this.app.value.dataset;
    chatContext.setDataset(dataset?.id ?? null);
    this.hasJob = null;
    if (!dataset) return;
    // A streaming answer of this dataset goes on; the conversation is read only on a change of dataset.
    if (this.chat.datasetId !== dataset.id) await this.chat.open(dataset.id);
    try {
      this.hasJob = (await dashboardJobs(dataset.id)).length > 0;
    } catch (error) {
      this.hasJob = false;
      this.error = errorMessage(error);
    }
  }

  private submit(event: Event): void {
    event.preventDefault();
    const question = this.question.trim();
    if (!question || this.chat.busy) return;
    this.question = '';
    void this.run(() => this.chat.ask(question));
  }

  private async run(turn: () => Promise<unknown>): Promise<void> {
    try {
      this.error = '';
      await turn();
    } catch (error) {
      this.error = errorMessage(error);
    }
    // The control that started the turn was disabled while it ran: give the keyboard a place to be.
    if (!(this.renderRoot as ShadowRoot).activeElement) this.focusQuestion();
  }

  private stop(): void {
    this.chat.stop();
    this.focusQuestion();
  }

  private focusQuestion(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('#chat-question')?.focus());
  }

  private exportMarkdown(): void {
    const conversation = this.chat.conversation;
    if (!conversation) return;
    const dataset = this.app.value.dataset?.name ?? '';
    const text = this.chat.markdown(`Dataset “${dataset}”, exported ${new Date().toISOString().slice(0, 10)} from Patent Space`);
    downloadText(`chat-${conversation.title.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 50) || 'conversation'}.md`, text, 'text/markdown');
  }

  override render() {
    const dataset = this.app.value.dataset;
    if (!dataset) {
      return html`<ps-notice kind="info" id="chat-no-dataset" next="Import patent files, or reload the page to get the demo corpus back; the chat answers from them and the BREF catalogue.">No dataset to chat about.
        <a slot="action" href="#/import">Import patents</a></ps-notice>`;
    }
    const chat = this.chat;
    const chips = chatContext.chips;
    return html`
      ${chatContext.lastError ? html`<ps-notice kind="warning" id="chips-error">${chatContext.lastError}</ps-notice>` : nothing}
      ${chat.error || this.error ? html`<ps-notice kind="error" id="chat-error" next="Try again; nothing else was changed.">${chat.error || this.error}</ps-notice>` : nothing}
      <p class="muted">Answers come only from “${dataset.name}” and the bundled EU BREF catalogue, each sentence citing its source; a question they have no source for is refused. Nothing leaves this browser.</p>
      <ps-chat-chips .entries=${chips} @chip-remove=${(e: CustomEvent<string>) => chatContext.remove(e.detail)} @chips-clear=${() => chatContext.clear()}></ps-chat-chips>
      ${chips.length === 0 ? html`<p class="muted" id="chips-empty">Nothing added to the chat yet: use <strong>Add to chat</strong> on a patent, a pollutant or a BREF section in the
        <a href="#/dashboard">Pollution dashboard</a>, or on a selection in the <a href="#/map">Patent map</a>. A free question finds its own sources.</p>` : nothing}
      ${this.renderPresets(chips)}
      ${this.renderConversation()}
      <form @submit=${(e: Event) => this.submit(e)}>
        <label class="visually-hidden" for="chat-question">Question</label>
        <textarea id="chat-question" rows="2" placeholder="Ask about the patents, pollutants or BREF sections… (Enter sends, Shift+Enter for a new line)"
          .value=${this.question} @input=${(e: Event) => (this.question = (e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this.submit(e); }}></textarea>
        ${chat.busy ? html`<button type="button" id="chat-stop" @click=${() => this.stop()}>Stop</button>`
          : html`<button class="primary" id="chat-ask" type="submit" ?disabled=${this.question.trim() === ''}>Ask</button>`}
      </form>
      ${chat.deleted ? html`<div class="toast" role="status">Deleted “${chat.deleted.title}”. <button id="chat-undo" @click=${() => void chat.undo()}>Undo</button></div>` : nothing}
    `;
  }

  private renderPresets(chips: readonly ContextEntry[]) {
    const busy = this.chat.busy;
    if (this.hasJob === false) {
      return html`<ps-notice kind="info" id="chat-no-job" next="Run a job in Match techniques → Match the whole catalogue; free questions work without one.">The preset reports count the matches of a matching job, and this dataset has none yet.
        <a slot="action" href="#/match">Match techniques</a></ps-notice>`;
    }
    return html`<div role="group" aria-labelledby="presets-label">
      <h3 id="presets-label">Preset reports <span class="muted">(composed from the matches; no model needed)</span></h3>
      <div class="presets">${presets(chips).map((p) => html`<button id=${`report-${p.name}`} class="preset" ?disabled=${busy || p.request === null || this.hasJob === null}
        aria-describedby=${p.request ? nothing : `missing-${p.name}`} title=${p.request ? p.label : p.missing}
        @click=${() => { const request = p.request; if (request) void this.run(() => this.chat.report(request)); }}>${p.label}</button>
        ${p.request ? nothing : html`<span class="visually-hidden" id=${`missing-${p.name}`}>${p.missing}</span>`}`)}</div>
      ${chips.some((e) => e.item.kind === 'pollutant') ? html`<p class="muted">Reports take the latest chip of the kind they need: ${[latest(chips, 'pollutant'), latest(chips, 'section'), latest(chips, 'patent')].filter((e): e is ContextEntry => !!e).map((e) => `${e.tag} ${itemName(e.item)}`).join(' · ')}.</p>` : nothing}
    </div>`;
  }

  private renderConversation() {
    const chat = this.chat;
    const turns = chat.turns;
    const live = chat.live;
    const last = turns.at(-1);
    return html`<section aria-label="Conversation">
      <div class="row">
        ${chat.conversations.length > 0 ? html`<label>Conversation <select id="chat-conversations" ?disabled=${chat.busy} @change=${(e: Event) => chat.select((e.target as HTMLSelectElement).value)}>
          ${chat.conversation ? nothing : html`<option value="" selected>New conversation</option>`}
          ${chat.conversations.map((c) => html`<option value=${c.id} ?selected=${c.id === chat.conversation?.id}>${c.title} (${c.turns.length})</option>`)}
        </select></label>` : nothing}
        <button id="chat-new" ?disabled=${chat.busy || !chat.conversation} @click=${() => chat.startNew()}>New conversation</button>
        <button id="chat-export" ?disabled=${!chat.conversation} @click=${() => this.exportMarkdown()}>Export Markdown</button>
        <button id="chat-delete" ?disabled=${chat.busy || !chat.conversation} @click=${() => void chat.remove()}>Delete</button>
      </div>
      ${turns.length === 0 && !live ? html`<p class="muted" id="chat-empty">No questions yet. Ask one below, or pick a preset report.</p>` : nothing}
      <div class="conversation" id="conversation" data-conversation=${chat.conversation?.id ?? ''} data-turns=${turns.length}>
        ${turns.map((t) => renderTurn(t))}
        ${live ? renderTurn({ ...live, live: true, status: 'streaming' }) : nothing}
      </div>
      <p role="status" class="muted" id="chat-state" data-streaming=${live ? 'true' : 'false'}>${live ? (live.preparing ? 'Preparing the answer… (Esc or Stop ends it)' : 'Writing the answer… (Esc or Stop ends it)') : ''}</p>
      ${last && !live ? html`<button id="chat-regenerate" @click=${() => void this.run(() => chat.regenerate())}>Regenerate the last answer</button>` : nothing}
    </section>`;
  }
}

customElements.define('ps-chat-view', PsChatView);
declare global {
  interface HTMLElementTagNameMap { 'ps-chat-view': PsChatView }
}
