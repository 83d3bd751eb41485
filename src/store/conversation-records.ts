/**
 * A chat conversation as stored (schema v5): its turns, each with the context its answer was given
 * with, so a stored answer's citations resolve to the same items after a reload, a "clear all" or
 * a change of the dashboard's thresholds.
 */
import type { ContextEntry } from '../core/chat/context';
import type { ChatUsage } from '../core/chat/engine';
import type { ReportRequest } from '../core/chat/reports';
import type { RetrievalNote } from '../core/chat/retrieve';

/**
 * How a turn ended. 'stopped': the user pressed Stop (the answer is what had streamed by then);
 * 'refused': the data has no source for the question (the answer is the refusal); 'error': the
 * engine failed (the answer is what had streamed, `error` says why).
 */
export type TurnStatus = 'done' | 'stopped' | 'refused' | 'error';

export type TurnRequest =
  | { kind: 'question'; question: string }
  | { kind: 'report'; request: ReportRequest };

export interface StoredTurn {
  id: string;
  request: TurnRequest;
  /** What the conversation shows as the question: the text asked, or the report's title. */
  question: string;
  answer: string;
  status: TurnStatus;
  /** The truncation note when the prompt was cut; null otherwise. */
  note: string | null;
  /** The entries the answer's tags refer to. */
  context: ContextEntry[];
  /** How a free question's sources were found (absent for reports and turns stored before it was kept). */
  retrieval?: RetrievalNote;
  /** Who wrote the answer: 'report mode', 'sources' (no model loaded) or the model's id. */
  engine: string;
  startedAt: number;
  endedAt: number;
  usage?: ChatUsage;
  error?: string;
}

export interface ConversationRecord {
  datasetId: string;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Set by a delete that can still be undone; purged at the next start. */
  deletedAt?: number;
  turns: StoredTurn[];
}
