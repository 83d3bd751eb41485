/**
 * The chat's context: the items the user adds as chips (or retrieval adds for a free question),
 * each with a short tag the model cites and the view links back to the item.
 *
 * Tags are per kind — `[P1]` patent, `[B1]` BREF section, `[L1]` pollutant, `[S1]` SDG row, `[C1]`
 * code, `[F1]` forecast pair — numbered in the order added. A tag never moves to another item while
 * the context lives: removing [P1] does not renumber [P2], because answers already shown cite [P2]
 * and must keep pointing at the same patent. Only clear() restarts the numbering.
 *
 * Items carry the facts the prompt and the reports need (texts, linked sections, impacts) rather
 * than ids to look up later, so a prompt, an export or a stored conversation never depends on a
 * table that has changed or been closed since the item was added.
 */
import type { CodeId } from '../types';

export interface PatentItem {
  kind: 'patent';
  /** The patent id. */
  id: string;
  /** null when only the id is known (a matched pair whose patent record is not at hand). */
  year: number | null;
  title: string | null;
  abstract: string | null;
  codes: readonly CodeId[];
}

export interface SectionItem {
  kind: 'section';
  /** The catalogue section id, `<document>:::<number>`. */
  id: string;
  document: string;
  /** The document's name (e.g. "Common Waste Water…"); null when not known. */
  documentName: string | null;
  number: string;
  title: string;
  path: readonly string[];
  /** The section's text when the user loaded the catalogue texts; null otherwise. */
  text: string | null;
  /** Names of the pollutants the catalogue links to the section. */
  pollutants: readonly string[];
}

/** A linked section as a pollutant item lists it. */
export interface LinkedSection {
  id: string;
  document: string;
  number: string;
  title: string;
}

/** A goal with the impact value of one pollutant on it. */
export interface GoalImpactFact {
  number: number;
  title: string;
  impact: number;
}

export interface PollutantItem {
  kind: 'pollutant';
  /** The catalogue pollutant index as a string (stable for one catalogue). */
  id: string;
  index: number;
  name: string;
  sections: readonly LinkedSection[];
  /** Goals the pollutant affects, strongest first; empty without SDG figures. */
  goals: readonly GoalImpactFact[];
  /** Patents abating it at the relevance threshold; null when no match table was at hand. */
  patents: number | null;
}

/** A pollutant with its impact value on one goal. */
export interface PollutantImpactFact {
  index: number;
  name: string;
  impact: number;
}

export interface SdgItem {
  kind: 'sdg';
  /** The goal number as a string. */
  id: string;
  number: number;
  title: string;
  /** Pollutants affecting the goal, strongest first. */
  pollutants: readonly PollutantImpactFact[];
  /** Patents reaching the goal at the relevance threshold; null when no match table was at hand. */
  patents: number | null;
  /** Summed reach of those patents on the goal; null with `patents`. */
  reach: number | null;
}

export interface CodeItem {
  kind: 'code';
  id: CodeId;
  /** The code's title (IPC/CPC); null when the titles are not loaded. */
  title: string | null;
}

export interface ForecastItem {
  kind: 'forecast';
  /** `<a>+<b>` with the codes in sorted order: a pair is unordered. */
  id: string;
  codes: readonly [CodeId, CodeId];
  titles: readonly [string | null, string | null];
  /** The forecast's score for the pair (higher = more likely to be combined next). */
  score: number;
}

export type ContextItem = PatentItem | SectionItem | PollutantItem | SdgItem | CodeItem | ForecastItem;
export type ContextKind = ContextItem['kind'];

/** The tag letter of each kind. B for BREF and L for poLLutant, since P is taken by patents. */
export const TAG_PREFIX: Readonly<Record<ContextKind, string>> = {
  patent: 'P',
  section: 'B',
  pollutant: 'L',
  sdg: 'S',
  code: 'C',
  forecast: 'F',
};

const KIND_OF_PREFIX: ReadonlyMap<string, ContextKind> = new Map(
  (Object.entries(TAG_PREFIX) as [ContextKind, string][]).map(([kind, prefix]) => [prefix, kind]),
);

/** A syntactically valid tag without brackets: a kind letter and a number ≥ 1. */
export const TAG_PATTERN = /^[PBLSCF][1-9]\d*$/;

/** The kind a tag's letter stands for; undefined for anything that is not a tag. */
export function kindOfTag(tag: string): ContextKind | undefined {
  return TAG_PATTERN.test(tag) ? KIND_OF_PREFIX.get(tag[0]) : undefined;
}

export interface ContextEntry {
  /** Without brackets, e.g. `P1`; the prompt and answers write it as `[P1]`. */
  tag: string;
  item: ContextItem;
  /** 'user' for a chip, 'retrieval' for an item found for a question (the view may style them apart). */
  origin: 'user' | 'retrieval' | 'report';
}

/** What a stored conversation keeps of a context, enough to restore the same tags. */
export interface ContextSnapshot {
  entries: ContextEntry[];
  /** The last number handed out per kind (removed items keep theirs used up). */
  counters: Record<ContextKind, number>;
}

function keyOf(item: Pick<ContextItem, 'kind' | 'id'>): string {
  return `${item.kind}\u0000${item.id}`;
}

function zeroCounters(): Record<ContextKind, number> {
  return { patent: 0, section: 0, pollutant: 0, sdg: 0, code: 0, forecast: 0 };
}

export class ChatContext {
  private readonly list: ContextEntry[] = [];
  private readonly byKey = new Map<string, ContextEntry>();
  private readonly byTagMap = new Map<string, ContextEntry>();
  private counters = zeroCounters();

  /** Entries in the order added. */
  get entries(): readonly ContextEntry[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Adds the item and returns its entry; an item already present (same kind and id) keeps its tag
   * and is not added twice — a chip clicked twice or a retrieved patent the user already chose.
   * The newer facts replace the stored ones (a recount at another threshold), the tag stays.
   */
  add(item: ContextItem, origin: ContextEntry['origin'] = 'user'): ContextEntry {
    if (item.id === '') throw new RangeError(`A ${item.kind} context item needs an id.`);
    const key = keyOf(item);
    const present = this.byKey.get(key);
    if (present) {
      present.item = item;
      // A user's chip stays a chip when retrieval finds the same item again.
      if (origin === 'user') present.origin = 'user';
      return present;
    }
    const number = ++this.counters[item.kind];
    const entry: ContextEntry = { tag: `${TAG_PREFIX[item.kind]}${number}`, item, origin };
    this.list.push(entry);
    this.byKey.set(key, entry);
    this.byTagMap.set(entry.tag, entry);
    return entry;
  }

  /** Removes by tag (`P1` or `[P1]`) or by kind and id; returns whether something was removed. */
  remove(target: string | Pick<ContextItem, 'kind' | 'id'>): boolean {
    const entry = typeof target === 'string' ? this.byTag(target) : this.byKey.get(keyOf(target));
    if (!entry) return false;
    this.list.splice(this.list.indexOf(entry), 1);
    this.byKey.delete(keyOf(entry.item));
    this.byTagMap.delete(entry.tag);
    return true;
  }

  /** Empties the context and restarts every kind's numbering at 1. */
  clear(): void {
    this.list.length = 0;
    this.byKey.clear();
    this.byTagMap.clear();
    this.counters = zeroCounters();
  }

  /** The entry with this tag (brackets optional); undefined when no item in the context has it. */
  byTag(tag: string): ContextEntry | undefined {
    return this.byTagMap.get(tag.replace(/^\[|\]$/g, ''));
  }

  get(kind: ContextKind, id: string): ContextEntry | undefined {
    return this.byKey.get(keyOf({ kind, id }));
  }

  snapshot(): ContextSnapshot {
    return { entries: this.list.map((e) => ({ ...e })), counters: { ...this.counters } };
  }

  /** Rebuilds a context from a snapshot; a malformed one (repeated tag or item) is a clear error. */
  static restore(snapshot: ContextSnapshot): ChatContext {
    const context = new ChatContext();
    for (const entry of snapshot.entries) {
      const kind = kindOfTag(entry.tag);
      if (kind !== entry.item.kind) throw new RangeError(`Stored context entry ${entry.tag} is not a valid tag for a ${entry.item.kind}.`);
      if (context.byTagMap.has(entry.tag) || context.byKey.has(keyOf(entry.item))) {
        throw new RangeError(`Stored context lists ${entry.tag} (${entry.item.kind} ${entry.item.id}) twice.`);
      }
      const copy = { ...entry };
      context.list.push(copy);
      context.byKey.set(keyOf(copy.item), copy);
      context.byTagMap.set(copy.tag, copy);
      const number = Number(entry.tag.slice(1));
      context.counters[kind] = Math.max(context.counters[kind], snapshot.counters[kind] ?? 0, number);
    }
    for (const kind of Object.keys(TAG_PREFIX) as ContextKind[]) {
      context.counters[kind] = Math.max(context.counters[kind], snapshot.counters[kind] ?? 0);
    }
    return context;
  }
}
