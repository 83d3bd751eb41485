import { describe, expect, it } from 'vitest';
import { CHAT_CONTEXT_EVENT, ChatContextClient, chipStorageKey, type ChipStorage } from '../../src/clients/chat-context-client';
import { ChatContext } from '../../src/core/chat/context';
import { composeReport } from '../../src/core/chat/reports';
import { patentItem, pollutantItem } from '../../src/core/chat/items';
import { AMMONIA } from '../core/dashboard/fixture';
import { catalogue, PATENTS, patentById, smallDashboard } from '../core/chat/fixture';

class MemoryStorage implements ChipStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null { return this.map.get(key) ?? null; }
  setItem(key: string, value: string): void { this.map.set(key, value); }
  removeItem(key: string): void { this.map.delete(key); }
}

describe('ChatContextClient', () => {
  it('keeps chips per dataset across page loads, with stable tags', () => {
    const storage = new MemoryStorage();
    const page = new ChatContextClient(storage);
    let events = 0;
    page.addEventListener(CHAT_CONTEXT_EVENT, () => events++);
    expect(() => page.add(patentItem(PATENTS[0]))).toThrow(/no active dataset/);

    page.setDataset('ds-a');
    const [p1, p2] = page.add(patentItem(PATENTS[0]), patentItem(PATENTS[1]));
    const [l1] = page.add(pollutantItem(catalogue, AMMONIA));
    expect([p1.tag, p2.tag, l1.tag]).toEqual(['P1', 'P2', 'L1']);
    // Adding again keeps the tag; removing does not renumber.
    expect(page.add(patentItem(PATENTS[0]))[0].tag).toBe('P1');
    expect(page.remove('P1')).toBe(true);
    expect(page.add(patentItem(PATENTS[2]))[0].tag).toBe('P3');
    expect(page.chips.map((e) => e.tag)).toEqual(['P2', 'L1', 'P3']);

    page.setDataset('ds-b');
    expect(page.chips).toEqual([]);
    page.add(patentItem(PATENTS[4]));
    expect(events).toBeGreaterThanOrEqual(6);

    // A new page (a reload) reads each dataset's chips back.
    const reloaded = new ChatContextClient(storage);
    reloaded.setDataset('ds-a');
    expect(reloaded.chips.map((e) => [e.tag, e.item.id])).toEqual([['P2', 'P2'], ['L1', String(AMMONIA)], ['P3', 'P3']]);
    expect(reloaded.chips[0].item).toMatchObject({ kind: 'patent', abstract: PATENTS[1].abstract });
    expect(reloaded.add(patentItem(PATENTS[3]))[0].tag).toBe('P4');
    reloaded.setDataset('ds-b');
    expect(reloaded.chips.map((e) => e.tag)).toEqual(['P1']);

    // Clear all empties the dataset's context, restarts the numbering and removes the stored entry.
    reloaded.clear();
    expect(reloaded.chips).toEqual([]);
    expect(storage.map.has(chipStorageKey('ds-b'))).toBe(false);
    expect(reloaded.add(patentItem(PATENTS[2]))[0].tag).toBe('P1');
  });

  it('gives cited items tags after the chips without showing them as chips, and keeps chips added meanwhile', () => {
    const page = new ChatContextClient(new MemoryStorage());
    page.setDataset('ds');
    page.add(patentItem(PATENTS[0]));
    const before = page.snapshot();
    // What the grounding engine does in the worker: the report's items go into a copy of the context.
    const worker = ChatContext.restore(before);
    composeReport(smallDashboard(), { report: 'bref-pollutant', pollutant: AMMONIA }, { patent: patentById, context: worker });
    // A chip added while the report was composed in the worker.
    page.add(patentItem(PATENTS[4]));
    page.adopt(worker.snapshot());
    expect(page.chips.map((e) => [e.tag, e.item.id])).toEqual([['P1', 'P1'], ['P2', 'P5']]);
    expect(page.entries.map((e) => `${e.tag}:${e.origin}`)).toEqual(['P1:user', 'L1:report', 'B1:report', 'B2:report', 'P2:user']);
    // Retrieval's items are numbered after them; one the user then adds keeps its tag and becomes a chip.
    const cited = page.cite([patentItem(PATENTS[3]), patentItem(PATENTS[0])]);
    expect(cited.map((e) => e.tag)).toEqual(['P3', 'P1']);
    expect(page.chips.map((e) => e.tag)).toEqual(['P1', 'P2']);
    expect(page.add(patentItem(PATENTS[3]))[0].tag).toBe('P3');
    expect(page.chips.map((e) => e.tag)).toEqual(['P1', 'P2', 'P3']);
  });

  it('resets a damaged stored context with a message instead of failing', () => {
    const storage = new MemoryStorage();
    storage.setItem(chipStorageKey('ds'), '{"entries": [{"tag": "P1", "item": {"kind": "section", "id": "x"}}]');
    const page = new ChatContextClient(storage);
    page.setDataset('ds');
    expect(page.chips).toEqual([]);
    expect(page.lastError).toMatch(/could not be read and were reset/);
    expect(storage.map.has(chipStorageKey('ds'))).toBe(false);
  });
});
