/**
 * The chat's embedding ranking in the ML worker, over a stored dataset (fake-indexeddb) with two
 * stand-in encoders that compute real vectors: a bag-of-words encoder, which knows what a text is
 * about and passes calibration, and a hash encoder, whose vectors are noise and must be turned away
 * with the reason. (The bundled demo encoders are of the second sort for questions: see
 * src/core/chat/semantic.ts.)
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MIN_SEPARATION } from '../../src/core/chat/semantic';
import { tokenize } from '../../src/core/prefilter/tokenize';
import type { Patent } from '../../src/core/types';
import { SemanticRanker } from '../../src/engines/semantic-ranker';
import type { EncoderInfo } from '../../src/ml/encoder';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const DIM = 256;

function hash(text: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function normalise(v: Float32Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/** Words hashed into buckets: texts sharing content words have high cosines, others near 0. */
function bagOfWords(text: string): Float32Array {
  const v = new Float32Array(DIM);
  for (const word of tokenize(text)) v[hash(word, 1) % DIM] += 1;
  return normalise(v);
}

/** A pseudo-random unit vector per text: no meaning at all. */
function noise(text: string): Float32Array {
  return normalise(Float32Array.from({ length: DIM }, (_, d) => (hash(text, d) / 2 ** 32) - 0.5));
}

function encoder(modelId: string, embed: (text: string) => Float32Array) {
  const calls: string[][] = [];
  return {
    calls,
    // The ranker reads the model id alone; the rest of a loaded encoder's info does not matter here.
    encoderInfo: () => ({ modelId, dim: DIM }) as EncoderInfo,
    embedTexts: async (texts: string[]) => {
      calls.push(texts);
      const vectors = new Float32Array(texts.length * DIM);
      texts.forEach((t, i) => vectors.set(embed(t), i * DIM));
      return { vectors, dim: DIM, paddingFraction: 0 };
    },
  };
}

const TOPICS = ['wet scrubber ammonia', 'lithium battery anode', 'bicycle gear hub', 'solar panel mounting', 'dental implant screw', 'coffee roasting drum',
  'wind turbine blade', 'catalytic converter exhaust', 'printer ink cartridge', 'knee brace hinge', 'fishing reel drag', 'violin string tuning'];

async function storedDataset(modelId: string, embed: (text: string) => Float32Array): Promise<string> {
  const patents: Patent[] = TOPICS.flatMap((topic, t) => [0, 1, 2].map((n) => ({ id: `P${t}-${n}`, year: 2000 + n, title: `${topic} ${['device', 'method', 'system'][n]}`, codes: ['A01B'] })));
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'd', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, patents);
  await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
  const vectors = new Float32Array(patents.length * DIM);
  patents.forEach((p, i) => vectors.set(embed(p.title), i * DIM));
  await store.putEmbeddings(dataset.id, modelId, patents.map((p) => p.id), vectors, DIM);
  store.close();
  return dataset.id;
}

describe('SemanticRanker', () => {
  it('ranks the dataset\'s patents for a question with an encoder that passes calibration, calibrating once', async () => {
    useFreshIndexedDb();
    const words = encoder('bag-of-words', bagOfWords);
    const datasetId = await storedDataset('bag-of-words', bagOfWords);
    const ranker = new SemanticRanker(words);
    try {
      const first = await ranker.rank(datasetId, 'Which patents clean ammonia with a wet scrubber?');
      expect(first.used).toBe(true);
      if (!first.used) return;
      expect(first.separation).toBeGreaterThanOrEqual(MIN_SEPARATION);
      expect(first.ranking.slice(0, 3).map((r) => r.id).sort()).toEqual(['P0-0', 'P0-1', 'P0-2']);
      expect(first.ranking[0].score).toBeGreaterThan(0);
      // Sorted by excess, best first, patents only.
      expect(first.ranking.every((r, i) => r.kind === 'patent' && (i === 0 || first.ranking[i - 1].score >= r.score))).toBe(true);
      const second = await ranker.rank(datasetId, 'bicycle gear hub');
      expect(second.used && second.ranking[0].id.startsWith('P2-')).toBe(true);
      // Off-topic and probe questions are embedded once; later questions alone.
      expect(words.calls.map((c) => c.length)).toEqual([10 + 24, 1, 1]);
    } finally {
      await ranker.destroy();
    }
  });

  it('turns an encoder away, with its separation, when its vectors do not tell questions from small talk', async () => {
    useFreshIndexedDb();
    const datasetId = await storedDataset('noise', noise);
    const ranker = new SemanticRanker(encoder('noise', noise));
    try {
      const result = await ranker.rank(datasetId, 'Which patents clean ammonia with a wet scrubber?');
      expect(result.used).toBe(false);
      expect(result.separation).toBeLessThan(MIN_SEPARATION);
      expect(!result.used && result.reason).toMatch(/^noise tells this dataset's questions from off-topic ones in \d+ % of cases \(90 % needed\)$/);
    } finally {
      await ranker.destroy();
    }
  });

  it('says why when no encoder is loaded or the dataset has no vectors of it', async () => {
    useFreshIndexedDb();
    const datasetId = await storedDataset('bag-of-words', bagOfWords);
    const none = new SemanticRanker({ encoderInfo: () => null, embedTexts: () => Promise.reject(new Error('not loaded')) });
    await expect(none.rank(datasetId, 'ammonia')).resolves.toMatchObject({ used: false, reason: expect.stringMatching(/no encoder is loaded/) });
    const other = new SemanticRanker(encoder('another-model', bagOfWords));
    await expect(other.rank(datasetId, 'ammonia')).resolves.toMatchObject({ used: false, modelId: 'another-model', reason: 'this dataset has no another-model vectors yet' });
    await none.destroy();
    await other.destroy();
  });
});
