import { describe, expect, it } from 'vitest';
import { parseAnswer, sentenceText } from '../../../src/core/chat/citations';
import { ChatContext } from '../../../src/core/chat/context';
import { patentItem, sectionItem } from '../../../src/core/chat/items';
import { catalogue, PATENTS } from './fixture';

function context(): ChatContext {
  const c = new ChatContext();
  c.add(patentItem(PATENTS[0]));
  c.add(patentItem(PATENTS[1]));
  c.add(sectionItem(catalogue.section('AA:::1.1.1')!));
  return c;
}

describe('citation parsing', () => {
  it('resolves tags to items, marks tags not in the context and sentences without any', () => {
    const c = context();
    const answer = 'P1 absorbs ammonia in a spray tower [P1][B1]. It also removes zinc [P9]. Scrubbers are common! Both recirculate the liquid [P1, P2].';
    const parsed = parseAnswer(answer, (t) => c.byTag(t));
    expect(parsed.sentences.map(sentenceText)).toEqual([
      'P1 absorbs ammonia in a spray tower [P1][B1].',
      'It also removes zinc [P9].',
      'Scrubbers are common!',
      'Both recirculate the liquid [P1][P2].',
    ]);
    expect(parsed.sentences.map((s) => s.tags)).toEqual([['P1', 'B1'], ['P9'], [], ['P1', 'P2']]);
    expect(parsed.sentences.map((s) => s.uncited)).toEqual([false, false, true, false]);
    expect(parsed.supported).toEqual(['P1', 'B1', 'P2']);
    expect(parsed.unsupported).toEqual(['P9']);
    expect(parsed.uncited).toBe(1);
    const first = parsed.sentences[0].parts;
    expect(first[0]).toEqual({ kind: 'text', text: 'P1 absorbs ammonia in a spray tower ' });
    expect(first[1]).toMatchObject({ kind: 'citation', tag: 'P1', entry: { tag: 'P1', item: { id: 'P1' } } });
    expect(parsed.sentences[1].parts[1]).toEqual({ kind: 'citation', tag: 'P9', entry: null });
  });

  it('gives tags after the full stop to the sentence before, and keeps abbreviations and numbers whole', () => {
    const c = context();
    const parsed = parseAnswer('Scores are e.g. 0.9 for P1. [P1] The tower is 2.5 m tall. [B1]', (t) => c.byTag(t));
    expect(parsed.sentences.map(sentenceText)).toEqual(['Scores are e.g. 0.9 for P1. [P1]', 'The tower is 2.5 m tall. [B1]']);
    expect(parsed.uncited).toBe(0);
  });

  it('splits lines and paragraphs, and leaves brackets that are no tags as text', () => {
    const c = context();
    const parsed = parseAnswer('Findings:\n- zinc removal [P2]\n- see note [1] and [X2]\n\nNo source says more.', (t) => c.byTag(t));
    expect(parsed.sentences.map((s) => [sentenceText(s), s.breakBefore, s.uncited])).toEqual([
      ['Findings:', 'none', true],
      ['- zinc removal [P2]', 'line', false],
      ['- see note [1] and [X2]', 'line', true],
      ['No source says more.', 'paragraph', true],
    ]);
    expect(parsed.unsupported).toEqual([]);
  });
});
