import { describe, expect, it } from 'vitest';
import { ChatContext, kindOfTag } from '../../../src/core/chat/context';
import { codeItem, forecastItem, patentItem, pollutantItem, sdgItem, sectionItem } from '../../../src/core/chat/items';
import { catalogue, PATENTS, smallDashboard } from './fixture';

describe('the chat context', () => {
  it('tags each kind with its own letter, numbered in the order added', () => {
    const c = new ChatContext();
    const goals = smallDashboard().goals();
    const tags = [
      c.add(patentItem(PATENTS[0])),
      c.add(sectionItem(catalogue.section('AA:::1.1')!, { catalogue })),
      c.add(patentItem(PATENTS[1])),
      c.add(pollutantItem(catalogue, 0, goals)),
      c.add(sdgItem(goals[1])),
      c.add(codeItem('B01D', 'Separation')),
      c.add(forecastItem('C22B', 'B01D', 0.8)),
    ].map((e) => e.tag);
    expect(tags).toEqual(['P1', 'B1', 'P2', 'L1', 'S1', 'C1', 'F1']);
    expect(c.entries.map((e) => e.item.id)).toEqual(['P1', 'AA:::1.1', 'P2', '0', '6', 'B01D', 'B01D+C22B']);
  });

  it('adds an item once and keeps its tag when it comes again', () => {
    const c = new ChatContext();
    c.add(patentItem(PATENTS[0]), 'retrieval');
    const again = c.add(patentItem(PATENTS[0]), 'user');
    expect(again.tag).toBe('P1');
    expect(again.origin).toBe('user');
    expect(c.size).toBe(1);
    // A forecast pair is unordered.
    expect(c.add(forecastItem('A01B', 'B01D', 0.5)).tag).toBe('F1');
    expect(c.add(forecastItem('B01D', 'A01B', 0.5)).tag).toBe('F1');
  });

  it('never renumbers on remove, and restarts on clear', () => {
    const c = new ChatContext();
    for (const p of PATENTS.slice(0, 3)) c.add(patentItem(p));
    expect(c.remove('[P1]')).toBe(true);
    expect(c.remove({ kind: 'patent', id: 'P1' })).toBe(false);
    expect(c.byTag('P2')?.item.id).toBe('P2');
    expect(c.add(patentItem(PATENTS[3])).tag).toBe('P4');
    expect(c.add(patentItem(PATENTS[0])).tag).toBe('P5');
    c.clear();
    expect(c.size).toBe(0);
    expect(c.add(patentItem(PATENTS[4])).tag).toBe('P1');
  });

  it('restores a snapshot with the same tags and numbering', () => {
    const c = new ChatContext();
    for (const p of PATENTS.slice(0, 3)) c.add(patentItem(p));
    c.remove('P3');
    const back = ChatContext.restore(JSON.parse(JSON.stringify(c.snapshot())));
    expect(back.entries.map((e) => e.tag)).toEqual(['P1', 'P2']);
    expect(back.add(patentItem(PATENTS[4])).tag).toBe('P4');
    const bad = c.snapshot();
    bad.entries.push({ ...bad.entries[0] });
    expect(() => ChatContext.restore(bad)).toThrow(/twice/);
  });

  it('reads tags by their letter only when well formed', () => {
    expect(kindOfTag('B2')).toBe('section');
    expect(kindOfTag('L10')).toBe('pollutant');
    expect(kindOfTag('P0')).toBeUndefined();
    expect(kindOfTag('X1')).toBeUndefined();
    expect(() => forecastItem('A01B', 'A01B', 1)).toThrow(/two different codes/);
  });
});
