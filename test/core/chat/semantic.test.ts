/**
 * The calibrated embedding side of chat retrieval on constructed vectors: ceilings are the best
 * off-topic cosine per source, the ranking orders by excess over them, and the separation is the
 * share of (probe, off-topic) pairs the probes win.
 */
import { describe, expect, it } from 'vitest';
import { bestExcess, calibrate, ceilings, excessRanking, probePatents, probeQuestion, separation, titleFrequencies, type VectorSet } from '../../../src/core/chat/semantic';

/** Unit vectors from rows of numbers. */
function unit(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((r) => { const n = Math.hypot(...r); return r.map((x) => x / n); }));
}

// Three patents along axes x, y, z of a 4-d space; off-topic questions live near axis w.
const SOURCES: VectorSet = { ids: ['X', 'Y', 'Z'], vectors: unit([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]), dim: 4 };
const OFF_TOPIC = unit([[0.2, 0, 0, 1], [0, 0.5, 0, 1]]);

describe('semantic calibration', () => {
  it('takes each source\'s ceiling from the off-topic question nearest to it, one left out on request', () => {
    const c = ceilings(SOURCES, OFF_TOPIC);
    expect(c[0]).toBeCloseTo(0.2 / Math.hypot(0.2, 1), 6);
    expect(c[1]).toBeCloseTo(0.5 / Math.hypot(0.5, 1), 6);
    expect(c[2]).toBeCloseTo(0, 6);
    const without1 = ceilings(SOURCES, OFF_TOPIC, 1);
    expect(without1[1]).toBeCloseTo(0, 6);
  });

  it('ranks by excess over the ceiling, not by raw cosine', () => {
    const c = ceilings(SOURCES, OFF_TOPIC);
    // Raw cosine prefers Y (0.8 vs 0.6), but Y's ceiling (0.447) is far higher than X's (0.196).
    const query = unit([[0.6, 0.8, 0, 0]]);
    const ranking = excessRanking(query, SOURCES, c, 2);
    expect(ranking.map((r) => r.id)).toEqual(['X', 'Y']);
    expect(ranking[0].score).toBeCloseTo(0.6 - c[0], 5);
    expect(bestExcess(query, 0, SOURCES, c, 'X')).toBeCloseTo(0.8 - c[1], 5);
  });

  it('counts the share of probe–off-topic pairs the probes win, ties half', () => {
    expect(separation([3, 2], [1, 0])).toBe(1);
    expect(separation([1, 0], [3, 2])).toBe(0);
    expect(separation([1, 1], [1, 1])).toBe(0.5);
    expect(separation([2, 0], [1])).toBe(0.5);
    expect(separation([], [1])).toBeNaN();
  });

  it('separates probes that point at their own topic from off-topic questions', () => {
    // The first probe, made from Y, lies between X and Y: Y left out, it still finds X (excess 0.51);
    // the second, made from X, points at Z (excess 1). Each off-topic question, scored against the
    // other's ceiling, reaches 0.20 and 0.45.
    const probes = { ids: ['Y', 'X'], vectors: unit([[0.9, 0.9, 0, 0], [0, 0, 1, 0]]) };
    const good = calibrate(SOURCES, OFF_TOPIC, probes);
    expect(good.separation).toBe(1);
    expect(good.probes).toBe(2);
    // Probes that look like the off-topic questions do not separate.
    const bad = calibrate(SOURCES, OFF_TOPIC, { ids: ['Y', 'X'], vectors: unit([[0.9, 0.9, 0, 0], [0, 0, 0, 1]]) });
    expect(bad.separation).toBe(0.5);
  });

  it('words probes as questions and spreads them over the titled patents', () => {
    const frequency = titleFrequencies(['Wet scrubber for ammonia', 'Wet scrubber for dust', 'Dry scrubber', 'Wet cooling tower']);
    expect(frequency('scrubber')).toBe(3);
    // ammonia is in one title; wet and scrubber in three each, the longer word first.
    expect(probeQuestion('Wet scrubber for ammonia', frequency)).toBe('Which patents are about ammonia and scrubber?');
    expect(probeQuestion('The', frequency)).toBe('Which patents are about The?');
    const patents = Array.from({ length: 10 }, (_, i) => ({ id: `P${i}`, title: i === 3 ? ' ' : `t${i}` }));
    expect(probePatents(patents, 3).map((p) => p.id)).toEqual(['P0', 'P4', 'P7']);
    expect(probePatents(patents.slice(0, 2), 3).map((p) => p.id)).toEqual(['P0', 'P1']);
  });
});
