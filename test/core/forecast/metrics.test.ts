import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/auc';
import { candidateCosines, cpuCosineBlock, type CosineBlockFn } from '../../../src/core/forecast/candidate-cosine';
import { aucOfRankCounts, bootstrapAucInterval, classBalance, sampleWithoutReplacement } from '../../../src/core/forecast/metrics';
import { mulberry32, randomNormalMatrix } from '../../../src/core/random';
import { naiveCosineMatrix } from '../../../src/core/similarity';

function noisyScores(seed: number, n: number): { scores: Float32Array; labels: Uint8Array } {
  const rng = mulberry32(seed);
  const labels = Uint8Array.from({ length: n }, () => (rng() < 0.2 ? 1 : 0));
  const scores = Float32Array.from(labels, (label) => Math.round((rng() + 0.3 * label) * 40) / 40);
  return { scores, labels };
}

describe('AUC interval, class balance, candidate cosines', () => {
  it('bootstraps a seeded interval around the AUC that narrows with more pairs', () => {
    const small = noisyScores(1, 2_000);
    const large = noisyScores(1, 40_000);
    const aucSmall = rocAuc(small.scores, small.labels);
    const a = bootstrapAucInterval(small.scores, small.labels, aucSmall, { seed: 5, replicates: 300 });
    expect(bootstrapAucInterval(small.scores, small.labels, aucSmall, { seed: 5, replicates: 300 })).toEqual(a);
    expect(a.method).toBe('bootstrap-percentile');
    expect(a.low).toBeLessThan(aucSmall);
    expect(a.high).toBeGreaterThan(aucSmall);
    const aucLarge = rocAuc(large.scores, large.labels);
    const b = bootstrapAucInterval(large.scores, large.labels, aucLarge, { seed: 5, replicates: 300 });
    // Standard error ∝ 1/√n: 20× the pairs → about √20 ≈ 4.5× narrower.
    const ratio = (a.high - a.low) / (b.high - b.low);
    expect(ratio).toBeGreaterThan(3.2);
    expect(ratio).toBeLessThan(6.5);
  });

  it('a rescaled subsample bootstrap agrees with the full bootstrap', () => {
    const { scores, labels } = noisyScores(2, 60_000);
    const auc = rocAuc(scores, labels);
    const full = bootstrapAucInterval(scores, labels, auc, { seed: 3, replicates: 300 });
    const sub = bootstrapAucInterval(scores, labels, auc, { seed: 3, replicates: 300, maxPairs: 6_000 });
    expect(sub.method).toBe('subsample-bootstrap-rescaled');
    expect(sub.resampledPairs).toBe(6_000);
    const width = full.high - full.low;
    expect(Math.abs(sub.low - full.low)).toBeLessThan(0.25 * width);
    expect(Math.abs(sub.high - full.high)).toBeLessThan(0.25 * width);
  });

  it('computes AUC from per-rank counts and samples without replacement', () => {
    // ranks ascending: (neg 1), (pos 1, neg 1), (pos 1) → (1 + ½ + 2)/(2·2)
    expect(aucOfRankCounts([0, 1, 1], [1, 1, 0])).toBe(0.875);
    const sample = sampleWithoutReplacement(mulberry32(4), 100, 30);
    expect(new Set(sample).size).toBe(30);
    expect([...sample]).toEqual([...sample].sort((x, y) => x - y));
    expect(classBalance(Uint8Array.of(1, 0, 0, 1, 0))).toEqual({ pairs: 5, positives: 2, negatives: 3, positiveShare: 0.4 });
  });

  it('scores candidates block by block like a full cosine matrix, 0 for codes without a vector', async () => {
    const dim = 16;
    const codes = Array.from({ length: 40 }, (_, i) => `C${i}`);
    const vectors = randomNormalMatrix(mulberry32(8), codes.length, dim);
    const embedding = { codes: codes.filter((c) => c !== 'C7'), dim, vectors: new Float32Array(0) };
    embedding.vectors = Float32Array.from(codes.flatMap((c, i) => (c === 'C7' ? [] : [...vectors.subarray(i * dim, (i + 1) * dim)])));
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < codes.length; i++) for (let j = i + 1; j < codes.length; j++) if ((i * 7 + j) % 3 !== 0) { first.push(i); second.push(j); }
    const candidates = { codeCount: codes.length, first: Uint32Array.from(first), second: Uint32Array.from(second), length: first.length };
    let blocks = 0;
    const counting: CosineBlockFn = (...args) => { blocks++; return cpuCosineBlock(...args); };
    const { scores, missingPairs } = await candidateCosines(embedding, codes, candidates, { cosineBlock: counting, maxBlockBytes: 5 * 39 * 4 });
    expect(blocks).toBe(8);
    const reference = naiveCosineMatrix(vectors, codes.length, vectors, codes.length, dim);
    let expectedMissing = 0;
    for (let c = 0; c < candidates.length; c++) {
      if (first[c] === 7 || second[c] === 7) {
        expectedMissing++;
        expect(scores[c]).toBe(0);
      } else {
        expect(Math.abs(scores[c] - reference[first[c] * codes.length + second[c]])).toBeLessThan(1e-5);
      }
    }
    expect(missingPairs).toBe(expectedMissing);
  });
});
