import { describe, expect, it } from 'vitest';
import { ChatContext } from '../../../src/core/chat/context';
import { patentItem } from '../../../src/core/chat/items';
import { decideRefusal, NO_SOURCE_MESSAGE } from '../../../src/core/chat/refusal';
import { type RetrieveOptions, Retriever } from '../../../src/core/chat/retrieve';
import { contentTerms } from '../../../src/core/chat/terms';
import { catalogue, PATENTS, SECTION_TEXTS } from './fixture';

/** The fixture corpus, with a text that mentions France in passing, as real BREF texts do. */
const retriever = new Retriever({
  sections: catalogue.sections,
  sectionText: (id) => (id === 'AA:::2' ? 'Plants in France report capital costs of scrubbers.' : SECTION_TEXTS[id]),
  patents: PATENTS,
  subjects: catalogue.pollutants.map((p) => p.name),
});

async function decide(question: string, context: ChatContext = new ChatContext(), options: RetrieveOptions = {}) {
  const retrieval = await retriever.retrieve(question, options);
  return decideRefusal({ question, context: context.entries, retrieval, isSubject: (t) => retriever.isSubject(t) });
}

describe('refusal before any model call', () => {
  it('refuses an off-topic question although a text mentions its words, also with chips in the context', async () => {
    expect((await retriever.retrieve('What is the capital of France?')).items.length).toBeGreaterThan(0);
    const c = new ChatContext();
    c.add(patentItem(PATENTS[0]));
    for (const context of [new ChatContext(), c]) {
      const refusal = await decide('What is the capital of France?', context);
      expect(refusal).toEqual({
        reason: 'off-topic',
        message: 'I have no source for that: none of the patents, BREF sections or other items available here is about "capital", "france", so I will not answer it.',
        unknownTerms: ['capital', 'france'],
      });
    }
    expect(contentTerms('What is the capital of France?')).toEqual(['capital', 'france']);
    // One subject word among four is not enough.
    expect((await decide('Who won the ammonia football world cup?'))?.reason).toBe('off-topic');
  });

  it('refuses when the context is empty and retrieval finds nothing above its threshold', async () => {
    const retrieval = await retriever.retrieve('gas?', { minBm25: 5 });
    expect(retrieval.items).toEqual([]);
    const refusal = decideRefusal({ question: 'gas?', context: [], retrieval, isSubject: (t) => retriever.isSubject(t) });
    expect(refusal).toEqual({ reason: 'no-source', message: NO_SOURCE_MESSAGE, unknownTerms: [] });
    expect((await decide('Summarise these.'))?.reason).toBe('no-source');
  });

  it('refuses on the encoder\'s word when the nearest source is far, with an empty context only', async () => {
    const far = async () => [{ kind: 'patent' as const, id: 'P1', score: 0.12 }];
    expect((await decide('How is ammonia absorbed in spray towers?', new ChatContext(), { embedding: far }))?.message).toBe(
      'I have no source for that: none of the patents, BREF sections or other items available here is close to the question, so I will not answer it.',
    );
    const c = new ChatContext();
    c.add(patentItem(PATENTS[0]));
    expect(await decide('How is ammonia absorbed in spray towers?', c, { embedding: far })).toBeNull();
  });

  it('answers an on-topic question, a question about the chips and one citing a tag', async () => {
    expect(await decide('How is ammonia absorbed in spray towers?')).toBeNull();
    const c = new ChatContext();
    c.add(patentItem(PATENTS[4]));
    expect(await decide('Summarise these.', c)).toBeNull();
    // "planetary" is only in the chip's abstract, not in the retrieval corpus's subjects.
    const onlyChip = decideRefusal({ question: 'Is the hub planetary?', context: c.entries, retrieval: { items: [], bestSimilarity: null }, isSubject: () => false });
    expect(onlyChip).toBeNull();
    expect(await decide('What is the capital of [P1]?', c)).toBeNull();
  });
});
