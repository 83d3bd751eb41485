/**
 * ConversationStore: the chat's conversations per dataset (schema v5). A turn is written when it
 * ends (done, stopped, refused or failed) together with the conversation's record, in one
 * transaction that also checks the dataset still exists: a reload at any moment finds either the
 * conversation before the turn or after it, never a turn half-written, and a deleted dataset never
 * gets an orphan conversation. Deleting is soft until purgeDeleted, so a delete can be undone.
 */
import type { ConversationRecord, StoredTurn } from './conversation-records';
import { prefixRange } from './key-ranges';
import { openPatentSpaceDatabase } from './open-database';
import { storageQuotaError } from './quota-report';
import type { PatentSpaceStoreName } from './schema';
import { runWrite, type PatentSpaceDatabase, type WriteTransaction } from './transactions';

export type { ConversationRecord, StoredTurn, TurnRequest, TurnStatus } from './conversation-records';

export class ConversationGoneError extends Error {
  override readonly name = 'ConversationGoneError';
  constructor(what: string) {
    super(what);
  }
}

export interface SaveTurnOptions {
  /** The title a new conversation gets (default: the turn's question). */
  title?: string;
  /** Replace this turn (a regenerated answer) instead of appending. */
  replace?: string;
  /** The time written as updatedAt (default now). */
  now?: number;
}

/** A conversation's title from its first question: one line, at most 80 characters. */
export function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || 'Conversation';
}

export class ConversationStore {
  private constructor(private readonly db: PatentSpaceDatabase) {}

  static async open(options: { name?: string } = {}): Promise<ConversationStore> {
    return new ConversationStore(await openPatentSpaceDatabase(options.name));
  }

  close(): void {
    this.db.close();
  }

  /** The dataset's conversations that are not deleted, most recently updated first. */
  async list(datasetId: string): Promise<ConversationRecord[]> {
    const all = await this.db.getAll('conversations', prefixRange(datasetId));
    return all.filter((c) => c.deletedAt === undefined).sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
  }

  /** The conversation the chat shows on opening: the most recently updated one. */
  async latest(datasetId: string): Promise<ConversationRecord | undefined> {
    return (await this.list(datasetId))[0];
  }

  async get(datasetId: string, id: string): Promise<ConversationRecord | undefined> {
    return this.db.get('conversations', [datasetId, id]);
  }

  /**
   * Writes one finished turn, creating the conversation on its first turn; returns the record as
   * stored. Throws ConversationGoneError when the dataset or (for a replace) the turn is gone.
   */
  async saveTurn(datasetId: string, conversationId: string, turn: StoredTurn, options: SaveTurnOptions = {}): Promise<ConversationRecord> {
    if (turn.id === '') throw new RangeError('A stored turn needs an id.');
    const now = options.now ?? Date.now();
    return this.write(['datasets', 'conversations'], async (tx) => {
      if (!(await tx.objectStore('datasets').get(datasetId))) throw new ConversationGoneError(`The dataset ${datasetId} no longer exists: the conversation was not saved.`);
      const store = tx.objectStore('conversations');
      const current = await store.get([datasetId, conversationId]);
      const record: ConversationRecord = current
        ? { ...current, turns: [...current.turns], updatedAt: now }
        : { datasetId, id: conversationId, title: options.title ?? titleFrom(turn.question), createdAt: now, updatedAt: now, turns: [] };
      if (options.replace !== undefined) {
        const at = record.turns.findIndex((t) => t.id === options.replace);
        if (at < 0) throw new ConversationGoneError(`The turn ${options.replace} is not in the conversation ${conversationId} any more.`);
        record.turns[at] = turn;
      } else {
        if (record.turns.some((t) => t.id === turn.id)) throw new RangeError(`The conversation ${conversationId} already has a turn ${turn.id}.`);
        record.turns.push(turn);
      }
      await store.put(record);
      return record;
    });
  }

  /** Hides the conversation from list(); undoDelete brings it back until purgeDeleted runs. */
  async softDelete(datasetId: string, id: string): Promise<ConversationRecord> {
    return this.update(datasetId, id, (c) => ({ ...c, deletedAt: Date.now() }));
  }

  async undoDelete(datasetId: string, id: string): Promise<ConversationRecord> {
    return this.update(datasetId, id, ({ deletedAt: _deletedAt, ...c }) => c);
  }

  /** Really deletes the dataset's soft-deleted conversations; returns their ids. */
  async purgeDeleted(datasetId: string): Promise<string[]> {
    return this.write(['conversations'], async (tx) => {
      const store = tx.objectStore('conversations');
      const doomed = (await store.getAll(prefixRange(datasetId))).filter((c) => c.deletedAt !== undefined).map((c) => c.id);
      await Promise.all(doomed.map((id) => store.delete([datasetId, id])));
      return doomed;
    });
  }

  private update(datasetId: string, id: string, change: (c: ConversationRecord) => ConversationRecord): Promise<ConversationRecord> {
    return this.write(['conversations'], async (tx) => {
      const store = tx.objectStore('conversations');
      const current = await store.get([datasetId, id]);
      if (!current) throw new ConversationGoneError(`The conversation ${id} no longer exists.`);
      const next = change(current);
      await store.put(next);
      return next;
    });
  }

  private write<Names extends PatentSpaceStoreName, T>(storeNames: Names[], body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    return runWrite(this.db, storeNames, body, (cause) => storageQuotaError(this.db, cause));
  }
}
