import { describe, expect, it } from 'vitest';
import { batchRequestLine, customIdOf, pairOfCustomId, parseBatchOutput, yesProbability } from '../../../src/core/batch/openai-batch';

/** An output line as OpenAI's Batch API and vLLM's run_batch write it. */
function outputLine(customId: string, top: { token: string; logprob: number }[]): string {
  return JSON.stringify({
    id: 'batch_req_1', custom_id: customId, error: null,
    response: { status_code: 200, request_id: 'r1', body: { object: 'chat.completion', choices: [{ index: 0, finish_reason: 'length',
      message: { role: 'assistant', content: top[0].token }, logprobs: { content: [{ token: top[0].token, logprob: top[0].logprob, top_logprobs: top }] } }] } },
  });
}

describe('OpenAI-style batch files for the verify stage', () => {
  it('writes one chat-completions request per pair: the messages, one output token, top logprobs', () => {
    const line = JSON.parse(batchRequestLine({ patent: 'EP1|A', section: 'CWW:::3.1' }, [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }], { model: 'm' })) as {
      custom_id: string; method: string; url: string; body: { model: string; max_tokens: number; logprobs: boolean; top_logprobs: number; messages: unknown[] };
    };
    expect(line.method).toBe('POST');
    expect(line.url).toBe('/v1/chat/completions');
    expect(line.body).toMatchObject({ model: 'm', max_tokens: 1, logprobs: true, top_logprobs: 20 });
    expect(line.body.messages).toHaveLength(2);
    // Ids with any character survive the round trip.
    expect(pairOfCustomId(line.custom_id)).toEqual({ patent: 'EP1|A', section: 'CWW:::3.1' });
    expect(pairOfCustomId('req-1')).toBeNull();
  });

  it('P(Yes) is p(Yes) / (p(Yes) + p(No)), summing the spellings of each answer', () => {
    expect(yesProbability([{ token: 'Yes', logprob: Math.log(0.6) }, { token: 'No', logprob: Math.log(0.2) }])).toBeCloseTo(0.75, 10);
    expect(yesProbability([{ token: ' yes', logprob: Math.log(0.1) }, { token: 'Yes', logprob: Math.log(0.1) }, { token: 'No', logprob: Math.log(0.6) }, { token: 'Maybe', logprob: Math.log(0.2) }]))
      .toBeCloseTo(0.25, 10);
    expect(yesProbability([{ token: 'Perhaps', logprob: -0.1 }])).toEqual({ reason: expect.stringMatching(/neither Yes nor No/) });
  });

  it('reads an output file: scores, failed requests and unreadable lines with their line numbers', () => {
    const a = customIdOf({ patent: 'P1', section: 'S1' });
    const b = customIdOf({ patent: 'P2', section: 'S1' });
    const c = customIdOf({ patent: 'P3', section: 'S2' });
    const text = [
      outputLine(a, [{ token: 'No', logprob: Math.log(0.9) }, { token: 'Yes', logprob: Math.log(0.1) }]),
      JSON.stringify({ id: 'x', custom_id: b, response: { status_code: 500, body: { error: { message: 'overloaded' } } }, error: null }),
      '{not json',
      JSON.stringify({ custom_id: c, response: { status_code: 200, body: { choices: [{ message: { content: 'Yes' } }] } }, error: null }),
      JSON.stringify({ custom_id: 'other', response: null, error: null }),
      '',
    ].join('\n');
    const out = parseBatchOutput(text);
    expect(out.results[0]).toEqual({ pair: { patent: 'P1', section: 'S1' }, pYes: expect.closeTo(0.1, 10) });
    expect(out.results[1]).toMatchObject({ pair: { patent: 'P2', section: 'S1' }, pYes: null, reason: 'request failed (status 500): overloaded' });
    expect(out.results[2]).toMatchObject({ pYes: null, reason: expect.stringMatching(/no logprobs/) });
    expect(out.errors).toEqual([{ line: 3, reason: 'not valid JSON' }, { line: 5, reason: 'no custom_id of a (patent, section) pair' }]);
  });
});
