/**
 * A chat question does not wait on a busy encoder: past the wait it is answered from words, and
 * says why; a ranking in time is used as it is; a failing one is named.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rankWithin } from '../../src/clients/chat-grounding-client';
import type { SemanticRanking } from '../../src/engines/semantic-ranker';

const RANKED = { used: true, modelId: 'bundled:m', separation: 0.95, reason: null } as unknown as SemanticRanking;

describe('the chat waits for the encoder only so long', () => {
  afterEach(() => vi.useRealTimers());

  it('uses a ranking that comes in time', async () => {
    await expect(rankWithin(async () => RANKED, 1_000)).resolves.toBe(RANKED);
  });

  it('goes on with words when the encoder is busy past the wait, saying so', async () => {
    vi.useFakeTimers();
    const never = new Promise<SemanticRanking>(() => undefined);
    const answer = rankWithin(() => never, 20_000);
    await vi.advanceTimersByTimeAsync(19_999);
    let settled = false;
    void answer.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toMatchObject({ used: false, modelId: null, reason: expect.stringMatching(/^the encoder was busy for over 20 s/) });
  });

  it('names a ranking that fails', async () => {
    await expect(rankWithin(async () => { throw new Error('worker gone'); }, 1_000)).resolves
      .toMatchObject({ used: false, reason: "the encoder's ranking failed (worker gone)" });
  });
});
