import { describe, expect, it } from 'vitest';
import { baselineScores, cooccurrenceGraph, type BaselineName } from '../../../src/core/forecast/baselines';
import { countWindow, indexPatents } from '../../../src/core/forecast/cooccurrence';

// Codes 0..4 = A01A..A01E. Weighted edges: 0–1 ×2, 0–2, 1–2, 1–3, 2–3 ×3, 3–4.
const names = ['A01A', 'A01B', 'A01C', 'A01D', 'A01E'];
const edges: [number, number][] = [[0, 1], [0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [2, 3], [2, 3], [3, 4]];
const patents = edges.map(([a, b], p) => ({ id: `P${p}`, year: 2000, codes: [names[a], names[b]] }));
const graph = cooccurrenceGraph(countWindow(indexPatents(patents, 'subclass'), { from: 2000, to: 2000 }), 5);
// The unconnected pairs: (0,3), (0,4), (1,4), (2,4).
const candidates = { codeCount: 5, first: Uint32Array.of(0, 0, 1, 2), second: Uint32Array.of(3, 4, 4, 4), length: 4 };
const score = (name: BaselineName): number[] => [...baselineScores(graph, candidates, name, 42)];
const f32 = (values: number[]): number[] => [...Float32Array.from(values)];

describe('link-prediction baselines on a hand-checked graph', () => {
  it('builds sorted weighted adjacency lists', () => {
    expect([...graph.offsets]).toEqual([0, 2, 5, 8, 11, 12]);
    expect([...graph.neighbours.subarray(graph.offsets[3], graph.offsets[4])]).toEqual([1, 2, 4]);
    expect([...graph.weights.subarray(graph.offsets[3], graph.offsets[4])]).toEqual([1, 3, 1]);
  });

  it('common neighbours, Jaccard, Adamic–Adar, resource allocation', () => {
    // N(0)={1,2} N(1)={0,2,3} N(2)={0,1,3} N(3)={1,2,4} N(4)={3}
    expect(score('common-neighbours')).toEqual([2, 0, 1, 1]);
    expect(score('jaccard')).toEqual(f32([2 / 3, 0, 1 / 3, 1 / 3]));
    expect(score('adamic-adar')).toEqual(f32([2 / Math.log(3), 0, 1 / Math.log(3), 1 / Math.log(3)]));
    expect(score('resource-allocation')).toEqual(f32([2 / 3, 0, 1 / 3, 1 / 3]));
  });

  it('preferential attachment and co-occurrence profile cosine', () => {
    expect(score('preferential-attachment')).toEqual([6, 2, 3, 3]);
    // w0 = {1:2, 2:1}, w3 = {1:1, 2:3, 4:1}, w1 = {0:2, 2:1, 3:1}, w2 = {0:1, 1:1, 3:3}, w4 = {3:1}.
    expect(score('profile-cosine')).toEqual(f32([5 / Math.sqrt(55), 0, 1 / Math.sqrt(6), 3 / Math.sqrt(11)]));
  });

  it('random is seeded, uniform and independent of the graph', () => {
    const first = score('random');
    expect(score('random')).toEqual(first);
    expect(new Set(first).size).toBe(4);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
    expect([...baselineScores(graph, candidates, 'random', 43)]).not.toEqual(first);
  });
});
