/**
 * The page's side of the chat's grounding engine (compute worker): items for chips, preset
 * reports from the open job, retrieval with refusal. "Add to chat" buttons go through here.
 */
import type * as Comlink from 'comlink';
import { BUNDLED_CATALOGUE_PATH } from '../core/catalogue/format';
import type { ContextEntry, ContextItem, ContextSnapshot } from '../core/chat/context';
import type { ReportRequest } from '../core/chat/reports';
import { SDG_IMPACTS_PATH } from '../core/reference/types';
import type { ChatGroundingEngine, ComposedReport, GroundedQuestion, ItemRef } from '../engines/chat-grounding-engine';
import { chatContext } from './chat-context-client';
import type { SemanticRanking } from '../engines/semantic-ranker';
import { dashboardWorker, groundingWorker, semanticWorker } from './clients';
import { savedThresholds } from './dashboard-client';

export type { ComposedReport, GroundedQuestion, ItemRef };

/** What a view's "Add to chat" names: a catalogue item, or patents of the dataset by id (`total`: how many were selected, when `ids` is the first of them). */
export type ChatTarget = ItemRef | { kind: 'patents'; ids: readonly string[]; total?: number };

/** The map's selection can hold thousands: the chat takes the first ones (the prompt could not hold more). */
export const MAX_PATENT_CHIPS = 20;

/** Runs `use` once the dashboard engine (whose catalogue the grounding reads) knows the bundled files' URLs. */
async function withEngine<R>(use: (remote: Comlink.Remote<ChatGroundingEngine>) => Promise<R>): Promise<R> {
  await dashboardWorker.get().setSources({ catalogueUrl: new URL(BUNDLED_CATALOGUE_PATH, location.href).href, sdgUrl: new URL(SDG_IMPACTS_PATH, location.href).href });
  return use(groundingWorker.get());
}

/** The engine the chat session talks to (an interface, so Node tests give their own). */
export interface Grounding {
  ground(datasetId: string, question: string, context: readonly ContextEntry[]): Promise<GroundedQuestion>;
  report(datasetId: string, request: ReportRequest, snapshot: ContextSnapshot): Promise<ComposedReport>;
}

export const workerGrounding: Grounding = {
  ground: async (datasetId, question, context) => {
    const semantic = await semanticRanking(datasetId, question);
    return withEngine((r) => r.ground(datasetId, question, [...context], semantic));
  },
  report: async (datasetId, request, snapshot) => {
    const thresholds = await savedThresholds();
    return withEngine((r) => r.report(datasetId, request, snapshot, thresholds));
  },
};

/**
 * The loaded encoder's ranking of the dataset's patents for the question (ML worker). The ML worker
 * is not started for it: without one there is no loaded encoder to ask, and a kiosk's chat should
 * not load ONNX Runtime just to learn that.
 */
async function semanticRanking(datasetId: string, question: string): Promise<SemanticRanking> {
  if (!semanticWorker.started()) return { used: false, modelId: null, separation: null, reason: 'no encoder is loaded yet (the map, the Technology space or an analysis loads one)' };
  try {
    return await (semanticWorker.get().rank(datasetId, question) as Promise<SemanticRanking>);
  } catch (error) {
    return { used: false, modelId: null, separation: null, reason: `the encoder's ranking failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Adds the target to the active dataset's chat; returns the tags it has there. */
export async function addToChat(target: ChatTarget): Promise<string[]> {
  const datasetId = chatContext.dataset;
  if (!datasetId) throw new Error('There is no active dataset to add chat items to.');
  if (target.kind === 'patents') {
    const items = await withEngine((r) => r.patents(datasetId, target.ids.slice(0, MAX_PATENT_CHIPS)));
    if (items.length === 0) throw new Error('None of these patents is in the dataset any more.');
    return chatContext.add(...items).map((e) => e.tag);
  }
  const thresholds = await savedThresholds();
  // Comlink's remote type spreads the union over Promise; the value is one ContextItem.
  const item = await withEngine((r) => r.item(datasetId, target, thresholds) as Promise<ContextItem>);
  return chatContext.add(item).map((e) => e.tag);
}

/** The tags the target has as chips now ([] when it is not in the chat). */
export function chipTags(target: ChatTarget): string[] {
  switch (target.kind) {
    case 'patents': return target.ids.slice(0, MAX_PATENT_CHIPS).flatMap((id) => { const e = chatContext.has('patent', id); return e ? [e.tag] : []; });
    case 'pollutant': return tagOf(chatContext.has('pollutant', String(target.index)));
    case 'section': return tagOf(chatContext.has('section', target.id));
    case 'sdg': return tagOf(chatContext.has('sdg', String(target.number)));
  }
}

function tagOf(entry: ContextEntry | undefined): string[] {
  return entry ? [entry.tag] : [];
}
