/**
 * The chat session over the real conversation store (fake-indexeddb), the real context client,
 * the real report composer and retriever on the chat fixture, and a scripted model: what each
 * turn streams, how it is stored (done, stopped, refused), regenerate, reload, delete with undo.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChatContextClient } from '../../src/clients/chat-context-client';
import type { Grounding } from '../../src/clients/chat-grounding-client';
import type { ChatModel } from '../../src/clients/chat-model-link';
import { ChatSession, CHAT_SESSION_EVENT, REPORT_MODE, SOURCES_ONLY } from '../../src/clients/chat-session';
import { ChatContext } from '../../src/core/chat/context';
import type { ChatChunk, ChatRequest } from '../../src/core/chat/engine';
import { patentItem, pollutantItem } from '../../src/core/chat/items';
import { decideRefusal } from '../../src/core/chat/refusal';
import { composeReport } from '../../src/core/chat/reports';
import { Retriever } from '../../src/core/chat/retrieve';
import { reportAnswer } from '../../src/core/chat/text-stream';
import { ConversationStore } from '../../src/store/conversation-store';
import { DatasetStore } from '../../src/store/dataset-store';
import { AMMONIA } from '../core/dashboard/fixture';
import { catalogue, PATENTS, patentById, SECTION_TEXTS, smallDashboard } from '../core/chat/fixture';
import { makeReport, useFreshIndexedDb } from '../store/helpers';

const retriever = new Retriever({ sections: catalogue.sections, sectionText: (id) => SECTION_TEXTS[id], sectionFacts: { catalogue }, patents: PATENTS, subjects: catalogue.pollutants.map((p) => p.name) });

/** What the worker's grounding engine does, in process. */
const grounding: Grounding = {
  async ground(_datasetId, question, context) {
    const retrieval = await retriever.retrieve(question);
    const refusal = decideRefusal({ question, context, retrieval, isSubject: (t) => retriever.isSubject(t) });
    return { refusal, items: refusal ? [] : retrieval.items.map((r) => r.item), retrieval: { embedding: null, reason: null } };
  },
  async report(_datasetId, request, snapshot) {
    const context = ChatContext.restore(snapshot);
    const report = composeReport(smallDashboard(), request, { context, patent: patentById });
    return { report, snapshot: context.snapshot() };
  },
};

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null { return this.map.get(key) ?? null; }
  setItem(key: string, value: string): void { this.map.set(key, value); }
  removeItem(key: string): void { this.map.delete(key); }
}

/** A model that answers from a script, one word a chunk, and records what it was asked. */
function scriptedModel(answer: string, contextTokens = 4096): ChatModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    name: 'scripted', contextTokens, answerTokens: 384, requests,
    countTokens: (t) => t.split(/\s+/).length,
    async *create(request): AsyncGenerator<ChatChunk> {
      requests.push(request);
      for (const word of answer.split(/(?<= )/)) {
        if (request.signal?.aborted) { yield { delta: '', finish_reason: 'abort' }; return; }
        await Promise.resolve();
        yield { delta: word, finish_reason: null };
      }
      yield { delta: '', finish_reason: 'stop', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    },
  };
}

let datasetId = '';
let storage: MemoryStorage;

beforeEach(async () => {
  useFreshIndexedDb();
  storage = new MemoryStorage();
  const datasets = await DatasetStore.open();
  const dataset = await datasets.createDataset({ name: 'd', level: 'subclass', sourceFiles: [] });
  await datasets.putPatents(dataset.id, [...PATENTS]);
  await datasets.finishImport(dataset.id, makeReport(PATENTS.length), new Map([['B01D', 2]]));
  datasets.close();
  datasetId = dataset.id;
});

function session(model: ChatModel | null = null, wait?: () => Promise<void>): { chat: ChatSession; contexts: ChatContextClient } {
  const contexts = new ChatContextClient(storage);
  contexts.setDataset(datasetId);
  const store = ConversationStore.open();
  let n = 0;
  const chat = new ChatSession({ contexts, grounding, store: () => store, model: async () => model, wait, newId: () => `id-${++n}-${Math.random().toString(36).slice(2, 6)}` });
  return { chat, contexts };
}

describe('ChatSession', () => {
  it('streams a preset report without a model, stores it, and finds it again after a reload', async () => {
    const { chat, contexts } = session();
    await chat.open(datasetId);
    contexts.add(pollutantItem(catalogue, AMMONIA));
    const seen: string[] = [];
    chat.addEventListener(CHAT_SESSION_EVENT, () => { if (chat.live && !chat.live.preparing) seen.push(chat.live.answer); });
    const turn = await chat.report({ report: 'bref-pollutant', pollutant: AMMONIA });
    const expected = reportAnswer(composeReport(smallDashboard(), { report: 'bref-pollutant', pollutant: AMMONIA }, { patent: patentById }));
    expect(turn).toMatchObject({ status: 'done', engine: REPORT_MODE, question: 'BREF–pollutant connection: Ammonia', answer: expected });
    // The text grew chunk by chunk through the view's path.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((s) => expected.startsWith(s))).toBe(true);
    // The chip kept its tag; the report's items continue the numbering and are not chips.
    expect(turn?.context.map((e) => e.tag)).toEqual(['L1', 'B1', 'B2']);
    expect(contexts.chips.map((e) => e.tag)).toEqual(['L1']);

    const again = session();
    await again.chat.open(datasetId);
    expect(again.chat.conversation?.turns.map((t) => [t.status, t.answer])).toEqual([['done', expected]]);
    expect(again.chat.conversation?.title).toBe('BREF–pollutant connection: Ammonia');
  });

  it('stops mid-stream: the stored turn is marked stopped and holds what had streamed', async () => {
    let waits = 0;
    let chat!: ChatSession;
    ({ chat } = session(null, async () => { if (++waits === 3) chat.stop(); }));
    await chat.open(datasetId);
    const turn = await chat.report({ report: 'sdg', pollutant: null });
    const full = reportAnswer(composeReport(smallDashboard(), { report: 'sdg', pollutant: null }, { patent: patentById }));
    expect(turn?.status).toBe('stopped');
    expect(turn?.answer.length).toBeGreaterThan(0);
    expect(turn?.answer.length).toBeLessThan(full.length);
    expect(full.startsWith(turn?.answer ?? '-')).toBe(true);
    const stored = await (await ConversationStore.open()).get(datasetId, chat.conversation?.id ?? '');
    expect(stored?.turns.map((t) => t.status)).toEqual(['stopped']);
    expect(chat.markdown()).toContain('Stopped before the answer was finished.');
  });

  it('refuses an off-topic question and answers a data question with its sources when no model is loaded', async () => {
    const { chat } = session();
    await chat.open(datasetId);
    const refused = await chat.ask('What is the capital of France?');
    expect(refused).toMatchObject({ status: 'refused', answer: expect.stringMatching(/^I have no source for that/) });
    const found = await chat.ask('Which patents remove ammonia with an acid spray?');
    expect(found?.status).toBe('done');
    expect(found?.engine).toBe(SOURCES_ONLY);
    expect(found?.answer.split('\n')[0]).toMatch(/\[(P|B)\d+\]\.$/);
    expect(found?.context.some((e) => e.item.kind === 'patent' && e.item.id === 'P1')).toBe(true);
    // Both turns are in one conversation, titled by its first question.
    expect(chat.conversation?.turns.map((t) => t.status)).toEqual(['refused', 'done']);
    expect(chat.conversation?.title).toBe('What is the capital of France?');
  });

  it('asks a loaded model with the chips\' real texts, notes a cut prompt, regenerates in place', async () => {
    const model = scriptedModel('The acid spray tower absorbs ammonia [P1]. It is cheap [P9]. ', 330 + 384);
    const { chat, contexts } = session(model);
    await chat.open(datasetId);
    contexts.add(patentItem(PATENTS[0]));
    const first = await chat.ask('How does [P1] remove ammonia?');
    expect(first).toMatchObject({ status: 'done', engine: 'scripted', answer: 'The acid spray tower absorbs ammonia [P1]. It is cheap [P9]. ', usage: { total_tokens: 15 } });
    const prompt = model.requests[0].messages.at(-1)?.content ?? '';
    expect(prompt).toContain(PATENTS[0].abstract);
    expect(model.requests[0].signal).toBeDefined();

    // Many long chips in a small context: the prompt is cut and the turn carries the note.
    contexts.add(...PATENTS.slice(1).map((p) => patentItem({ ...p, abstract: `${p.abstract} ${'filler '.repeat(60)}` })));
    const cut = await chat.ask('Compare [P1] and [P2].');
    expect(cut?.note).toMatch(/shortened to fit the model's context/);

    const before = chat.conversation?.turns.map((t) => t.id) ?? [];
    const redone = await chat.regenerate();
    const after = chat.conversation?.turns.map((t) => t.id) ?? [];
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(redone?.id);
    expect(after[1]).not.toBe(before[1]);
  });

  it('deletes the conversation with undo; a delete not undone is gone after a reload', async () => {
    const { chat } = session();
    await chat.open(datasetId);
    await chat.ask('Which patents remove ammonia?');
    chat.startNew();
    await chat.ask('Which patents abate ozone?');
    expect(chat.conversations).toHaveLength(2);
    const second = chat.conversation?.id;
    await chat.remove();
    expect(chat.conversations).toHaveLength(1);
    expect(chat.conversation?.id).not.toBe(second);
    await chat.undo();
    expect(chat.conversation?.id).toBe(second);
    await chat.remove();
    const later = session();
    await later.chat.open(datasetId);
    expect(later.chat.conversations.map((c) => c.title)).toEqual(['Which patents remove ammonia?']);
    expect(await (await ConversationStore.open()).get(datasetId, second ?? '')).toBeUndefined();
  });
});
