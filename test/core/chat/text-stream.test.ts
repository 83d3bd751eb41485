import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/core/chat/citations';
import { ChatContext } from '../../../src/core/chat/context';
import type { ChatChunk } from '../../../src/core/chat/engine';
import { composeReport } from '../../../src/core/chat/reports';
import { reportAnswer, streamText, wordPieces } from '../../../src/core/chat/text-stream';
import { AMMONIA } from '../dashboard/fixture';
import { patentById, smallDashboard } from './fixture';

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('streamText (report mode and sources-only answers)', () => {
  const report = composeReport(smallDashboard(), { report: 'bref-pollutant', pollutant: AMMONIA }, { patent: patentById });
  const text = reportAnswer(report);

  it('streams a report in whole-word chunks that add up to its text, then ends with stop', async () => {
    expect(text).toBe('Ammonia is linked to 2 BREF sections, and 2 patents abate it at relevance 0.5 [L1].\n\n'
      + 'AA 1.1.1 Spray towers (Document A) matches 2 patents [B1]. AA 1.1 Scrubbing (Document A) matches 1 patent [B2].');
    let waits = 0;
    const chunks = await collect(streamText(text, { words: 2, wait: async () => { waits++; } }));
    const body = chunks.filter((c) => c.finish_reason === null);
    expect(body.map((c) => c.delta).join('')).toBe(text);
    expect(body.length).toBe(Math.ceil(wordPieces(text).length / 2));
    expect(waits).toBe(body.length - 1);
    // No chunk splits a tag, and every chunk ends at a word break.
    for (const c of body) expect(c.delta).not.toMatch(/\[[A-Z]?\d*$|^\d*\]/);
    expect(chunks.at(-1)).toEqual({ delta: '', finish_reason: 'stop', usage: { prompt_tokens: 0, completion_tokens: wordPieces(text).length, total_tokens: wordPieces(text).length } });
    // Every sentence of the streamed report is cited and every tag resolves.
    const context = new ChatContext();
    for (const e of report.context) context.add(e.item, 'report');
    const parsed = parseAnswer(body.map((c) => c.delta).join(''), (t) => context.byTag(t));
    expect(parsed.uncited).toBe(0);
    expect(parsed.unsupported).toEqual([]);
    expect(parsed.supported).toEqual(['L1', 'B1', 'B2']);
  });

  it('stops mid-stream: the chunks sent are a prefix of the text and the stream ends with abort', async () => {
    const controller = new AbortController();
    let waits = 0;
    const chunks = await collect(streamText(text, { words: 1, signal: controller.signal, wait: async () => { if (++waits === 5) controller.abort(); } }));
    const sent = chunks.filter((c) => c.finish_reason === null).map((c) => c.delta).join('');
    expect(chunks.filter((c) => c.finish_reason === null)).toHaveLength(5);
    expect(text.startsWith(sent)).toBe(true);
    expect(sent).toBe('Ammonia is linked to 2 ');
    expect(chunks.at(-1)).toMatchObject({ delta: '', finish_reason: 'abort', usage: { completion_tokens: 5 } });
  });

  it('sends nothing when stopped before it starts, and an empty text ends at once', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await collect(streamText(text, { signal: controller.signal }))).toEqual([{ delta: '', finish_reason: 'abort', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }]);
    expect((await collect(streamText(''))).map((c) => c.finish_reason)).toEqual(['stop']);
    expect(wordPieces('  a  b\n')).toEqual(['  a  ', 'b\n']);
  });
});
