import { describe, expect, it } from 'vitest';
import { ChatContext } from '../../../src/core/chat/context';
import { patentItem, pollutantItem, sdgItem, sectionItem } from '../../../src/core/chat/items';
import { buildPrompt, SYSTEM_PROMPT } from '../../../src/core/chat/prompt';
import { Retriever } from '../../../src/core/chat/retrieve';
import { catalogue, PATENTS, SECTION_TEXTS, smallDashboard } from './fixture';

/** Whitespace-separated words: a stand-in tokenizer, monotone like a real one. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function chosen(): ChatContext {
  const c = new ChatContext();
  const dashboard = smallDashboard();
  const goals = dashboard.goals();
  c.add(patentItem(PATENTS[1]));
  c.add(sectionItem(catalogue.section('AA:::1.1')!, { catalogue, text: SECTION_TEXTS['AA:::1.1'] }));
  c.add(pollutantItem(catalogue, 0, goals, dashboard.pollutant(0).patents));
  c.add(sdgItem(goals[1]));
  return c;
}

describe('the grounded prompt', () => {
  it('holds the real abstract, section text and SDG rows of the chosen items', () => {
    const prompt = buildPrompt({ question: 'Which pollutants does P2 remove?', entries: chosen().entries, budget: 4000, countTokens: words });
    expect(prompt.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(prompt.messages[0].content).toBe(SYSTEM_PROMPT);
    const user = prompt.messages[1].content;
    // The reference sent placeholder abstracts and no SDG data: these are the facts it lost.
    expect(user).toContain('[P1] Patent P2 (2020): Zinc and ammonia removal from flue gas');
    expect(user).toContain(`Abstract: ${PATENTS[1].abstract}`);
    expect(user).toContain(`Text: ${SECTION_TEXTS['AA:::1.1']}`);
    expect(user).toContain('[L1] Pollutant Ammonia\nSDG impacts: SDG 6 Clean water: 4; SDG 3 Good health: 2\nPatents abating it: 2');
    expect(user).toContain('Linked BREF sections: AA 1.1 Scrubbing; AA 1.1.1 Spray towers');
    expect(user).toContain('[S1] SDG 6 Clean water\nPollutants affecting it (impact): Ammonia: 4; Zinc: 3');
    expect(user.endsWith('Question: Which pollutants does P2 remove?')).toBe(true);
    expect(prompt.note).toBeNull();
    expect(prompt.tokens).toBeLessThanOrEqual(4000);
  });

  it('carries what retrieval found with its real text, after the chips', async () => {
    const c = new ChatContext();
    c.add(patentItem(PATENTS[3]));
    const retriever = new Retriever({ sections: catalogue.sections, sectionText: (id) => SECTION_TEXTS[id], patents: PATENTS });
    for (const hit of (await retriever.retrieve('zinc recovery galvanising')).items) c.add(hit.item, 'retrieval');
    expect(c.entries.map((e) => `${e.tag}:${e.item.id}:${e.origin}`)).toEqual(['P1:P4:user', 'B1:BB:::1:retrieval', 'P2:P2:retrieval']);
    const user = buildPrompt({ question: 'How is zinc recovered?', entries: c.entries, budget: 4000, countTokens: words }).messages[1].content;
    expect(user).toContain(`[B1] BREF section BB 1 Other chapter\nText: ${SECTION_TEXTS['BB:::1']}`);
    expect(user).toContain(`[P2] Patent P2 (2020): Zinc and ammonia removal from flue gas\nCodes: B01D, C22B\nAbstract: ${PATENTS[1].abstract}`);
    expect(user.indexOf('[P1]')).toBeLessThan(user.indexOf('[B1]'));
  });

  it('cuts the longest sources first to fit the budget, and says so', () => {
    const c = new ChatContext();
    const long = (id: string, n: number) => patentItem({ id, year: 2020, title: `Long ${id}`, abstract: Array.from({ length: n }, (_, i) => `w${i}`).join(' ') });
    c.add(long('A', 400));
    c.add(long('B', 300));
    c.add(long('C', 20));
    c.add(long('D', 250));
    const budget = 500;
    const prompt = buildPrompt({ question: 'Compare them.', entries: c.entries, budget, countTokens: words });
    expect(prompt.tokens).toBeLessThanOrEqual(budget);
    const total = prompt.messages.reduce((n, m) => n + words(m.content) + 4, 0);
    expect(total).toBe(prompt.tokens);
    expect(prompt.shortened.sort()).toEqual(['P1', 'P2', 'P4']);
    expect(prompt.note).toBe("3 sources were shortened to fit the model's context.");
    const user = prompt.messages[1].content;
    // The short one is whole, the long ones keep their head line and end with the mark.
    expect(user).toContain(`Abstract: ${Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ')}\n`);
    expect(user).toContain('[P1] Patent A (2020): Long A\nAbstract: w0 w1');
    expect(user.match(/… \(shortened\)/g)).toHaveLength(3);
    // Water-filling: the cut items end up the same length within a word or two.
    const lengths = user.split('\n\n').filter((b) => b.includes('shortened')).map(words);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(2);
  });

  it('leaves the last sources out when even their head lines do not fit', () => {
    const c = chosen();
    const fixed = buildPrompt({ question: 'q', entries: [], budget: 10_000, countTokens: words }).tokens;
    const prompt = buildPrompt({ question: 'q', entries: c.entries, budget: fixed + 14, countTokens: words });
    expect(prompt.omitted.length).toBeGreaterThan(0);
    expect(prompt.note).toMatch(/left out to fit the model's context\.$/);
    expect(prompt.tokens).toBeLessThanOrEqual(fixed + 14);
  });

  it('drops the oldest history first, and fails clearly when the question alone is too long', () => {
    const history = [
      { role: 'user' as const, content: 'old question '.repeat(150) },
      { role: 'assistant' as const, content: 'old answer '.repeat(150) },
      { role: 'user' as const, content: 'recent' },
      { role: 'assistant' as const, content: 'reply' },
    ];
    const prompt = buildPrompt({ question: 'q', entries: chosen().entries, history, budget: 400, countTokens: words });
    expect(prompt.droppedHistory).toBe(2);
    expect(prompt.messages.map((m) => m.content).slice(1, 3)).toEqual(['recent', 'reply']);
    expect(() => buildPrompt({ question: 'word '.repeat(500), entries: [], budget: 300, countTokens: words })).toThrow(/more than the prompt budget of 300/);
  });
});
