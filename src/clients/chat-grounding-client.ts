/**
 * The page's side of the chat's grounding engine (compute worker): items for chips, preset
 * reports from the open job, retrieval with refusal. "Add to chat" buttons go through here; the
 * items of codes and forecast pairs are built here, from what the view shows.
 */
import type * as Comlink from 'comlink';
import { BUNDLED_CATALOGUE_PATH } from '../core/catalogue/format';
import type { CodeItem, ContextEntry, ContextItem, ContextSnapshot, ForecastItem } from '../core/chat/context';
import { codeItem, forecastId, forecastItem } from '../core/chat/items';
import type { ReportRequest } from '../core/chat/reports';
import { SDG_IMPACTS_PATH } from '../core/reference/types';
import type { CodeId } from '../core/types';
import type { ChatGroundingEngine, ComposedReport, GroundedQuestion, ItemRef } from '../engines/chat-grounding-engine';
import type { SemanticRanking } from '../engines/semantic-ranker';
import { chatContext, type ChatContextClient } from './chat-context-client';
import { dashboardWorker, groundingWorker, semanticWorker } from './clients';
import { savedThresholds } from './dashboard-client';

export type { ComposedReport, GroundedQuestion, ItemRef };

/** Patents of the dataset by id (`total`: how many were selected, when `ids` is the first of them). */
export interface PatentsTarget { kind: 'patents'; ids: readonly string[]; total?: number }

/** A technology code with the title the view shows beside it (null when it has none). */
export interface CodeTarget { kind: 'code'; code: CodeId; title: string | null }

/** A predicted pair with the forecast's score and the titles of its two codes, in the view's order. */
export interface ForecastTarget { kind: 'forecast'; a: CodeId; b: CodeId; score: number; titles: readonly [string | null, string | null] }

/**
 * What a view's "Add to chat" names. Catalogue items and patents are built in the worker, which
 * holds the catalogue, the job's counts and the patent records; a code or a forecast pair carries
 * all its facts already (the view shows its title and score), so it is built here, with no round trip.
 */
export type ChatTarget = ItemRef | PatentsTarget | CodeTarget | ForecastTarget;

/** The part of the page's chat context the buttons use (a fake one in tests). */
export type ChipContext = Pick<ChatContextClient, 'dataset' | 'add' | 'has'>;

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
 * How long a question waits for the encoder's ranking. The ML worker runs one thing at a time, so
 * while a matching job embeds there, the ranking would wait for the whole job; after this the
 * answer goes on with words alone (and says why). Long enough for the one-off calibration on a
 * busy machine; a ranking that comes later still leaves that calibration done for the next question.
 */
export const SEMANTIC_WAIT_MS = 20_000;

/**
 * The loaded encoder's ranking of the dataset's patents for the question (ML worker). The ML worker
 * is not started for it: without one there is no loaded encoder to ask, and a kiosk's chat should
 * not load ONNX Runtime just to learn that.
 */
async function semanticRanking(datasetId: string, question: string): Promise<SemanticRanking> {
  if (!semanticWorker.started()) return { used: false, modelId: null, separation: null, reason: 'no encoder is loaded yet (the map, the Technology space or an analysis loads one)' };
  return rankWithin(() => semanticWorker.get().rank(datasetId, question) as Promise<SemanticRanking>, SEMANTIC_WAIT_MS);
}

/** The ranking, or a words-only ranking that says why when it fails or takes longer than `waitMs`. */
export async function rankWithin(rank: () => Promise<SemanticRanking>, waitMs: number): Promise<SemanticRanking> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<SemanticRanking>((resolve) => {
    timer = setTimeout(() => resolve({
      used: false, modelId: null, separation: null,
      reason: `the encoder was busy for over ${Math.round(waitMs / 1000)} s (another job is running in its worker)`,
    }), waitMs);
  });
  try {
    return await Promise.race([rank(), late]);
  } catch (error) {
    return { used: false, modelId: null, separation: null, reason: `the encoder's ranking failed (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the button names, for targets that sit in a list of their like (an SDG row, a code, a pair
 * row): "Add H01M to chat" tells the rows' buttons apart, to a screen reader too. Null for the
 * others, whose button is the only one beside the item it adds.
 */
export function targetName(target: ChatTarget): string | null {
  switch (target.kind) {
    case 'sdg': return `SDG ${target.number}`;
    case 'code': return target.code;
    case 'forecast': return `${target.a} + ${target.b}`;
    default: return null;
  }
}

/** The item of a code or a forecast pair, as the chat keeps it. */
export function pageItem(target: CodeTarget | ForecastTarget): CodeItem | ForecastItem {
  return target.kind === 'code' ? codeItem(target.code, target.title) : forecastItem(target.a, target.b, target.score, target.titles);
}

/** Adds the target to the active dataset's chat; returns the tags it has there. */
export async function addToChat(target: ChatTarget, context: ChipContext = chatContext): Promise<string[]> {
  const datasetId = context.dataset;
  if (!datasetId) throw new Error('There is no active dataset to add chat items to.');
  if (target.kind === 'code' || target.kind === 'forecast') return context.add(pageItem(target)).map((e) => e.tag);
  if (target.kind === 'patents') {
    const items = await withEngine((r) => r.patents(datasetId, target.ids.slice(0, MAX_PATENT_CHIPS)));
    if (items.length === 0) throw new Error('None of these patents is in the dataset any more.');
    return context.add(...items).map((e) => e.tag);
  }
  const thresholds = await savedThresholds();
  // Comlink's remote type spreads the union over Promise; the value is one ContextItem.
  const item = await withEngine((r) => r.item(datasetId, target, thresholds) as Promise<ContextItem>);
  return context.add(item).map((e) => e.tag);
}

/** The tags the target has as chips now ([] when it is not in the chat). */
export function chipTags(target: ChatTarget, context: ChipContext = chatContext): string[] {
  const tagOf = (kind: ContextItem['kind'], id: string): string[] => { const e = context.has(kind, id); return e ? [e.tag] : []; };
  switch (target.kind) {
    case 'patents': return target.ids.slice(0, MAX_PATENT_CHIPS).flatMap((id) => tagOf('patent', id));
    case 'pollutant': return tagOf('pollutant', String(target.index));
    case 'section': return tagOf('section', target.id);
    case 'sdg': return tagOf('sdg', String(target.number));
    case 'code': return tagOf('code', target.code);
    case 'forecast': return tagOf('forecast', forecastId(target.a, target.b));
  }
}
