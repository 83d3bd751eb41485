/**
 * The chat's shared context on the page: the chips any view adds ("Add to chat" on a patent, a
 * pollutant, a section, an SDG, a code, a forecast pair, the map's selection) and the chat view
 * shows, one context per dataset.
 *
 * One ChatContext holds the chips (origin 'user') and also the items reports and retrieval cited
 * (origin 'report' / 'retrieval', not shown as chips): they share one numbering, so a tag an answer
 * cites is never handed to another item while the context lives, and a cited item the user then
 * adds as a chip keeps its tag. "Clear all" restarts the numbering; stored turns keep their own
 * copy of what their tags meant, so old answers still link right.
 *
 * Kept in localStorage per dataset rather than IndexedDB: it is small (tens of items), read
 * synchronously when a view renders (a chip count with no loading state), written on every click,
 * and the `storage` event keeps two tabs' chips in step for free. It is not data the user would
 * miss if the browser cleared it, unlike conversations, which are in IndexedDB.
 */
import { ChatContext, type ContextEntry, type ContextItem, type ContextSnapshot } from '../core/chat/context';

export const CHAT_CONTEXT_EVENT = 'chat-context-change';

/** The part of the Web Storage API the client uses (localStorage in the app, a Map in tests). */
export interface ChipStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY_PREFIX = 'patent-space:chat-context:';

export function chipStorageKey(datasetId: string): string {
  return `${KEY_PREFIX}${datasetId}`;
}

export class ChatContextClient extends EventTarget {
  private datasetId: string | null = null;
  private current = new ChatContext();
  /** Why the stored context could not be read, when it could not (shown once by the chat view). */
  lastError = '';

  constructor(private readonly storage: ChipStorage | null) {
    super();
  }

  get dataset(): string | null {
    return this.datasetId;
  }

  /** The items the user added, in the order added. */
  get chips(): ContextEntry[] {
    return this.current.entries.filter((e) => e.origin === 'user');
  }

  /** Every entry, chips and cited items: what a tag means now. */
  get entries(): readonly ContextEntry[] {
    return this.current.entries;
  }

  byTag(tag: string): ContextEntry | undefined {
    return this.current.byTag(tag);
  }

  has(kind: ContextItem['kind'], id: string): ContextEntry | undefined {
    const entry = this.current.get(kind, id);
    return entry?.origin === 'user' ? entry : undefined;
  }

  /** Switches to a dataset's context (read from storage); null when there is no dataset. */
  setDataset(datasetId: string | null): void {
    if (datasetId === this.datasetId) return;
    this.datasetId = datasetId;
    this.current = datasetId ? this.read(datasetId) : new ChatContext();
    this.changed();
  }

  /** Adds chips (an item already there keeps its tag and becomes a chip); returns their entries. */
  add(...items: ContextItem[]): ContextEntry[] {
    this.requireDataset();
    const entries = items.map((item) => this.current.add(item, 'user'));
    this.save();
    return entries;
  }

  /** Removes a chip by tag; its tag is not handed out again. */
  remove(tag: string): boolean {
    const removed = this.current.remove(tag);
    if (removed) this.save();
    return removed;
  }

  /** Removes every chip and every cited item, and restarts the numbering. */
  clear(): void {
    this.current.clear();
    this.save();
  }

  /** Adds items a question's retrieval found (not chips), returning their entries with their tags. */
  cite(items: readonly ContextItem[]): ContextEntry[] {
    this.requireDataset();
    const entries = items.map((item) => this.current.add(item, 'retrieval'));
    this.save();
    return entries.map((e) => ({ ...e }));
  }

  snapshot(): ContextSnapshot {
    return this.current.snapshot();
  }

  /**
   * Takes a context that came back from the worker with a report's items added. Chips added while
   * the report was composed are kept: they come back after the report's items, with new tags.
   */
  adopt(snapshot: ContextSnapshot): void {
    const next = ChatContext.restore(snapshot);
    for (const chip of this.chips) if (!next.get(chip.item.kind, chip.item.id)) next.add(chip.item, 'user');
    this.current = next;
    this.save();
  }

  /** Another tab changed the stored context of this dataset. */
  reload(): void {
    if (this.datasetId) {
      this.current = this.read(this.datasetId);
      this.changed();
    }
  }

  private requireDataset(): void {
    if (!this.datasetId) throw new Error('There is no active dataset to add chat items to: import patents first.');
  }

  private read(datasetId: string): ChatContext {
    this.lastError = '';
    const text = this.storage?.getItem(chipStorageKey(datasetId)) ?? null;
    if (!text) return new ChatContext();
    try {
      return ChatContext.restore(JSON.parse(text) as ContextSnapshot);
    } catch (error) {
      // A damaged entry (edited by hand, written by another version) costs the chips, not the chat.
      this.lastError = `The chat's saved items could not be read and were reset (${error instanceof Error ? error.message : String(error)}).`;
      this.storage?.removeItem(chipStorageKey(datasetId));
      return new ChatContext();
    }
  }

  private save(): void {
    if (this.datasetId && this.storage) {
      const key = chipStorageKey(this.datasetId);
      try {
        if (this.current.size === 0) this.storage.removeItem(key);
        else this.storage.setItem(key, JSON.stringify(this.current.snapshot()));
      } catch (error) {
        // Full storage: the chips still work for this page; they are just not kept.
        this.lastError = `The chat's items could not be saved (${error instanceof Error ? error.message : String(error)}); they last until the page is closed.`;
      }
    }
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event(CHAT_CONTEXT_EVENT));
  }
}

function pageStorage(): ChipStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage switched off: chips last for the page
  }
}

/** The page's one shared context. */
export const chatContext = new ChatContextClient(pageStorage());

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (chatContext.dataset && event.key === chipStorageKey(chatContext.dataset)) chatContext.reload();
  });
}
