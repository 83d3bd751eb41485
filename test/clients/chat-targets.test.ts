/**
 * "Add to chat" for a technology code and a forecast pair: the page builds their items from what
 * the view shows (no worker), against a real context client; the tags the buttons then show; what
 * a chip of each opens; the buttons' names.
 */
import { describe, expect, it } from 'vitest';
import { ChatContextClient, type ChipStorage } from '../../src/clients/chat-context-client';
import { addToChat, chipTags, targetName, type ChatTarget } from '../../src/clients/chat-grounding-client';
import type { CodeItem, ForecastItem } from '../../src/core/chat/context';
import { itemHref } from '../../src/ui/chat/item-links';

class MemoryStorage implements ChipStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null { return this.map.get(key) ?? null; }
  setItem(key: string, value: string): void { this.map.set(key, value); }
  removeItem(key: string): void { this.map.delete(key); }
}

const H01M: ChatTarget = { kind: 'code', code: 'H01M', title: 'Processes or means for the direct conversion of chemical energy into electrical energy' };
const B01D: ChatTarget = { kind: 'code', code: 'B01D', title: null };
/** As the forecast table lists it: the view's order, not sorted. */
const PAIR: ChatTarget = { kind: 'forecast', a: 'H01M', b: 'B01D', score: 0.8125, titles: ['Batteries', 'Separation'] };

function page(): { context: ChatContextClient; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const context = new ChatContextClient(storage);
  context.setDataset('ds-a');
  return { context, storage };
}

describe('chat targets built on the page', () => {
  it('adds a code with the title the view showed, once, under one tag', async () => {
    const { context } = page();
    expect(chipTags(H01M, context)).toEqual([]);
    await expect(addToChat(H01M, context)).resolves.toEqual(['C1']);
    const chip = context.chips[0];
    expect(chip.item).toEqual<CodeItem>({ kind: 'code', id: 'H01M', title: 'Processes or means for the direct conversion of chemical energy into electrical energy' });
    expect(chipTags(H01M, context)).toEqual(['C1']);
    // A second click (another view showing the same code) keeps the tag and adds nothing.
    await expect(addToChat({ kind: 'code', code: 'H01M', title: null }, context)).resolves.toEqual(['C1']);
    await expect(addToChat(B01D, context)).resolves.toEqual(['C2']);
    expect(context.chips.map((e) => [e.tag, e.item.id])).toEqual([['C1', 'H01M'], ['C2', 'B01D']]);
    expect(chipTags(B01D, context)).toEqual(['C2']);
  });

  it('adds a forecast pair with its score and titles; the pair in either order is the same chip', async () => {
    const { context, storage } = page();
    await expect(addToChat(PAIR, context)).resolves.toEqual(['F1']);
    expect(context.chips[0].item).toEqual<ForecastItem>({ kind: 'forecast', id: 'B01D+H01M', codes: ['B01D', 'H01M'], titles: ['Separation', 'Batteries'], score: 0.8125 });
    const reversed: ChatTarget = { kind: 'forecast', a: 'B01D', b: 'H01M', score: 0.8125, titles: ['Separation', 'Batteries'] };
    expect(chipTags(reversed, context)).toEqual(['F1']);
    // A code of the pair is not the pair: its own button still offers it.
    expect(chipTags({ kind: 'code', code: 'H01M', title: null }, context)).toEqual([]);
    // The chip is kept for the dataset (a reload reads it back with its tag).
    const reloaded = new ChatContextClient(storage);
    reloaded.setDataset('ds-a');
    expect(chipTags(PAIR, reloaded)).toEqual(['F1']);
  });

  it('shows no tag once the chip is removed, and a new one when it is added again', async () => {
    const { context } = page();
    await addToChat(PAIR, context);
    expect(context.remove('F1')).toBe(true);
    expect(chipTags(PAIR, context)).toEqual([]);
    await expect(addToChat(PAIR, context)).resolves.toEqual(['F2']);
  });

  it('refuses without a dataset, and a pair of one code twice, adding nothing', async () => {
    const none = new ChatContextClient(null);
    await expect(addToChat(H01M, none)).rejects.toThrow(/no active dataset/);
    const { context } = page();
    await expect(addToChat({ kind: 'forecast', a: 'H01M', b: 'H01M', score: 1, titles: [null, null] }, context)).rejects.toThrow(/two different codes/);
    await expect(addToChat({ kind: 'forecast', a: 'H01M', b: 'B01D', score: Number.NaN, titles: [null, null] }, context)).rejects.toThrow(/must be a number/);
    expect(context.chips).toEqual([]);
  });

  it('opens a code chip in the technology space on that code', async () => {
    const { context } = page();
    await addToChat({ kind: 'code', code: 'H01M 8/00', title: null }, context);
    await addToChat(PAIR, context);
    const [code, pair] = context.chips;
    expect(itemHref(code.item)).toBe('#/space?code=H01M%208%2F00');
    expect(new URLSearchParams(itemHref(code.item).split('?')[1]).get('code')).toBe('H01M 8/00');
    expect(itemHref(pair.item)).toBe('#/forecast');
  });

  it('names the button after what it adds where rows of the same kind each have one', () => {
    expect(targetName(H01M)).toBe('H01M');
    expect(targetName(PAIR)).toBe('H01M + B01D');
    expect(targetName({ kind: 'sdg', number: 6 })).toBe('SDG 6');
    expect(targetName({ kind: 'patents', ids: ['X'] })).toBeNull();
  });
});
