/**
 * One dataset's chat on the page: the conversation shown, the turn streaming now, and what the
 * view's buttons do (ask, preset report, Stop, regenerate, new, delete with undo, export).
 *
 * A turn runs: question → retrieval and refusal (worker) → the model's stream, or without a model
 * the sources found, streamed as text; preset report → composed from the data (worker) → the
 * model's prose from its facts, or the report's own sentences streamed. Every path ends in one
 * place that writes the finished turn — done, stopped, refused or failed — in one transaction,
 * so a reload mid-stream leaves the conversation as it was before the turn.
 */
import type { ContextEntry } from '../core/chat/context';
import type { ChatChunk, ChatMessage, ChatUsage } from '../core/chat/engine';
import { conversationMarkdown, type ConversationTurn } from '../core/chat/export';
import { buildPrompt } from '../core/chat/prompt';
import { itemLabel } from '../core/chat/render';
import type { RetrievalNote } from '../core/chat/retrieve';
import { REPORT_TITLES, reportQuestion, type ReportRequest } from '../core/chat/reports';
import { reportAnswer, streamText } from '../core/chat/text-stream';
import type { ConversationRecord, ConversationStore, StoredTurn, TurnRequest, TurnStatus } from '../store/conversation-store';
import type { ChatContextClient } from './chat-context-client';
import type { Grounding } from './chat-grounding-client';
import type { ChatModel } from './chat-model-link';

export const CHAT_SESSION_EVENT = 'chat-session-change';

/** Earlier turns sent to a model with a new question (the prompt builder drops the oldest first when short of room). */
const HISTORY_TURNS = 3;
/** Engine names of the answers written without a model. */
export const REPORT_MODE = 'report mode';
export const SOURCES_ONLY = 'sources';

export type ConversationStoreLike = Pick<ConversationStore, 'list' | 'get' | 'saveTurn' | 'softDelete' | 'undoDelete' | 'purgeDeleted'>;

export interface ChatSessionDeps {
  contexts: ChatContextClient;
  grounding: Grounding;
  store: () => Promise<ConversationStoreLike>;
  model: () => Promise<ChatModel | null>;
  /** Awaited between chunks of a data-only answer: the pace it is shown at. */
  wait?: () => Promise<void>;
  now?: () => number;
  newId?: () => string;
}

/** The turn streaming now, as the view draws it. */
export interface LiveTurn {
  id: string;
  request: TurnRequest;
  question: string;
  answer: string;
  context: ContextEntry[];
  note: string | null;
  /** How a question's sources were found (null for reports and until retrieval has run). */
  retrieval: RetrievalNote | null;
  engine: string;
  startedAt: number;
  /** The turn a regenerate replaces. */
  replaces: string | null;
  /** Still finding sources or composing the report (nothing streamed yet). */
  preparing: boolean;
}

interface Plan {
  refusal: string | null;
  stream: AsyncIterable<ChatChunk> | null;
}

export class ChatSession extends EventTarget {
  datasetId: string | null = null;
  conversation: ConversationRecord | null = null;
  conversations: ConversationRecord[] = [];
  live: LiveTurn | null = null;
  /** The conversation deleted last, restorable with undo() until the next delete or reload. */
  deleted: ConversationRecord | null = null;
  error = '';
  private controller: AbortController | null = null;
  private purged = new Set<string>();
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly deps: ChatSessionDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  /** Shows a dataset's latest conversation; the deletes of an earlier visit are purged first. */
  async open(datasetId: string | null): Promise<void> {
    this.datasetId = datasetId;
    this.conversation = null;
    this.conversations = [];
    this.deleted = null;
    this.error = '';
    this.changed();
    if (!datasetId) return;
    try {
      const store = await this.deps.store();
      if (!this.purged.has(datasetId)) {
        this.purged.add(datasetId);
        await store.purgeDeleted(datasetId);
      }
      const list = await store.list(datasetId);
      if (this.datasetId !== datasetId) return;
      this.conversations = list;
      this.conversation = list[0] ?? null;
    } catch (error) {
      this.error = `The stored conversations could not be read: ${message(error)}`;
    }
    this.changed();
  }

  get busy(): boolean {
    return this.live !== null;
  }

  /** The turns shown: the stored ones, less the one a running regenerate replaces. */
  get turns(): StoredTurn[] {
    const turns = this.conversation?.turns ?? [];
    const replaces = this.live?.replaces;
    return replaces ? turns.filter((t) => t.id !== replaces) : turns;
  }

  ask(question: string): Promise<StoredTurn | null> {
    const text = question.trim();
    if (text === '') return Promise.resolve(null);
    return this.run({ kind: 'question', question: text }, null);
  }

  report(request: ReportRequest): Promise<StoredTurn | null> {
    return this.run({ kind: 'report', request }, null);
  }

  /** Asks the last turn's question (or report) again; the new answer replaces it. */
  regenerate(): Promise<StoredTurn | null> {
    const last = this.conversation?.turns.at(-1);
    return last ? this.run(last.request, last.id) : Promise.resolve(null);
  }

  stop(): void {
    this.controller?.abort();
  }

  /** The next question starts a new conversation. */
  startNew(): void {
    if (this.busy) return;
    this.conversation = null;
    this.changed();
  }

  select(id: string): void {
    if (this.busy) return;
    this.conversation = this.conversations.find((c) => c.id === id) ?? this.conversation;
    this.changed();
  }

  async remove(): Promise<void> {
    const { datasetId, conversation } = this;
    if (!datasetId || !conversation || this.busy) return;
    try {
      this.deleted = await (await this.deps.store()).softDelete(datasetId, conversation.id);
      await this.refresh(datasetId, null);
    } catch (error) {
      this.error = `The conversation could not be deleted: ${message(error)}`;
      this.changed();
    }
  }

  async undo(): Promise<void> {
    const { datasetId, deleted } = this;
    if (!datasetId || !deleted) return;
    try {
      const restored = await (await this.deps.store()).undoDelete(datasetId, deleted.id);
      this.deleted = null;
      await this.refresh(datasetId, restored.id);
    } catch (error) {
      this.error = `The conversation could not be restored: ${message(error)}`;
      this.changed();
    }
  }

  /** The conversation as Markdown, with every cited item's text appended. */
  markdown(subtitle?: string): string {
    const conversation = this.conversation;
    if (!conversation) return '';
    return conversationMarkdown({ title: conversation.title, subtitle, turns: conversation.turns.map(exportTurn) });
  }

  private async run(request: TurnRequest, replaces: string | null): Promise<StoredTurn | null> {
    const datasetId = this.datasetId;
    if (!datasetId) throw new Error('There is no active dataset to chat about: import patents first.');
    if (this.live) throw new Error('An answer is still being written: stop it first.');
    const controller = new AbortController();
    this.controller = controller;
    const live: LiveTurn = {
      id: this.newId(), request, question: request.kind === 'question' ? request.question : REPORT_TITLES[request.request.report],
      answer: '', context: [], note: null, retrieval: null, engine: '', startedAt: this.now(), replaces, preparing: true,
    };
    this.live = live;
    this.error = '';
    this.changed();

    let status: TurnStatus = 'done';
    let failure: string | undefined;
    let usage: ChatUsage | undefined;
    try {
      const plan = await this.plan(datasetId, live, controller.signal);
      live.preparing = false;
      this.changed();
      if (plan.refusal !== null) {
        status = 'refused';
        live.answer = plan.refusal;
      } else if (plan.stream) {
        for await (const chunk of plan.stream) {
          if (chunk.delta) {
            live.answer += chunk.delta;
            this.changed();
          }
          if (chunk.usage) usage = chunk.usage;
          if (chunk.finish_reason) {
            if (chunk.finish_reason === 'abort') status = 'stopped';
            break;
          }
        }
      }
      if (controller.signal.aborted && status !== 'refused') status = 'stopped';
    } catch (error) {
      // An engine may throw its AbortError instead of ending the stream: that is a Stop, not a failure.
      if (controller.signal.aborted) status = 'stopped';
      else { status = 'error'; failure = message(error); }
    }

    const turn: StoredTurn = {
      id: live.id, request, question: live.question, answer: live.answer, status, note: live.note, context: live.context,
      ...(live.retrieval ? { retrieval: live.retrieval } : {}), engine: live.engine, startedAt: live.startedAt, endedAt: this.now(), ...(usage ? { usage } : {}), ...(failure ? { error: failure } : {}),
    };
    this.live = null;
    this.controller = null;
    await this.save(datasetId, turn, replaces);
    return turn;
  }

  /** Sources (or a refusal) and the stream that writes the answer. */
  private async plan(datasetId: string, live: LiveTurn, signal: AbortSignal): Promise<Plan> {
    const { contexts, grounding } = this.deps;
    const data = { signal, wait: this.deps.wait };
    if (live.request.kind === 'report') {
      const composed = await grounding.report(datasetId, live.request.request, contexts.snapshot());
      contexts.adopt(composed.snapshot);
      live.question = composed.report.title;
      live.context = composed.report.context;
      if (signal.aborted) return { refusal: null, stream: null };
      const model = await this.deps.model();
      if (!model) {
        live.engine = REPORT_MODE;
        return { refusal: null, stream: streamText(reportAnswer(composed.report), data) };
      }
      return { refusal: null, stream: this.askModel(model, live, reportQuestion(composed.report), signal) };
    }

    const question = live.request.question;
    const chips = contexts.chips.map((e) => ({ ...e }));
    const grounded = await grounding.ground(datasetId, question, chips);
    live.retrieval = grounded.retrieval;
    if (grounded.refusal) {
      live.context = chips;
      return { refusal: grounded.refusal.message, stream: null };
    }
    const found = contexts.cite(grounded.items);
    const tags = new Set(chips.map((e) => e.tag));
    live.context = [...chips, ...found.filter((e) => !tags.has(e.tag))];
    if (signal.aborted) return { refusal: null, stream: null };
    const model = await this.deps.model();
    if (!model) {
      live.engine = SOURCES_ONLY;
      return { refusal: null, stream: streamText(sourcesAnswer(found.length > 0 ? found : chips), data) };
    }
    return { refusal: null, stream: this.askModel(model, live, question, signal) };
  }

  private async *askModel(model: ChatModel, live: LiveTurn, question: string, signal: AbortSignal): AsyncIterable<ChatChunk> {
    const history: ChatMessage[] = this.turns.filter((t) => t.status === 'done').slice(-HISTORY_TURNS)
      .flatMap((t): ChatMessage[] => [{ role: 'user', content: t.question }, { role: 'assistant', content: t.answer }]);
    const input = { question, entries: live.context, history };
    // The engine's own tokenizer when it offers one; else 3 characters a token (on the safe side).
    const prompt = model.fitPrompt ? await model.fitPrompt(input) : buildPrompt({
      ...input, budget: model.contextTokens - model.answerTokens,
      countTokens: model.countTokens ? (t) => model.countTokens!(t) : (t) => Math.ceil(t.length / 3),
    });
    live.note = prompt.note;
    live.engine = model.name;
    yield* model.create({ messages: prompt.messages, max_tokens: model.answerTokens, temperature: 0, signal });
  }

  private async save(datasetId: string, turn: StoredTurn, replaces: string | null): Promise<void> {
    const conversationId = this.datasetId === datasetId && this.conversation ? this.conversation.id : this.newId();
    try {
      const stored = await (await this.deps.store()).saveTurn(datasetId, conversationId, turn, { now: turn.endedAt, ...(replaces ? { replace: replaces } : {}) });
      if (this.datasetId === datasetId) await this.refresh(datasetId, stored.id);
    } catch (error) {
      this.error = `The answer could not be saved: ${message(error)}`;
      this.changed();
    }
  }

  private async refresh(datasetId: string, show: string | null): Promise<void> {
    const list = await (await this.deps.store()).list(datasetId);
    if (this.datasetId !== datasetId) return;
    this.conversations = list;
    this.conversation = (show ? list.find((c) => c.id === show) : list[0]) ?? list[0] ?? null;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event(CHAT_SESSION_EVENT));
  }
}

/** Without a model, a question's answer is the sources found for it, one cited line each. */
export function sourcesAnswer(entries: readonly ContextEntry[]): string {
  return entries.map((e) => {
    const label = itemLabel(e.item);
    return `${label.charAt(0).toUpperCase()}${label.slice(1)} [${e.tag}].`;
  }).join('\n');
}

/** A stored turn as the Markdown export writes it: a stop or a failure goes into the note. */
export function exportTurn(turn: StoredTurn): ConversationTurn {
  const notes = [turn.note, turn.status === 'stopped' ? 'Stopped before the answer was finished.' : null, turn.status === 'error' ? `The answer failed: ${turn.error ?? 'unknown error'}.` : null];
  const note = notes.filter((n): n is string => !!n).join(' ');
  return { question: turn.question, answer: turn.answer, refused: turn.status === 'refused', note: note || null, context: turn.context };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
