import { describe, expect, it } from 'vitest';
import { tokenize, topicLabels, topicTerms } from '../../../src/core/layout/topic-labels';

describe('c-TF-IDF topic labels', () => {
  it('drops stop words and boilerplate', () => {
    expect(tokenize('A Li-ion battery, 5G!')).toEqual(['a', 'li-ion', 'battery', 'g']);
    expect(topicTerms('The invention provides a method comprising a battery wherein the anode')).toEqual(['battery', 'anode']);
  });

  it('scores a toy corpus as computed by hand', () => {
    const texts = [
      'A battery comprising an anode.',
      'Method for a battery cathode',
      'Wireless antenna device',
      'The invention: battery antenna, wherein 5G',
    ];
    // Terms: cluster 0 battery 2, anode 1, cathode 1 (4 words); cluster 1 wireless 1, antenna 2,
    // battery 1 (4 words). Totals: battery 3, antenna 2, the rest 1; A = 8 words / 2 clusters = 4.
    const labels = topicLabels(texts, [0, 0, 1, 1], { topTerms: 3 });
    const expected0 = [
      { term: 'battery', score: (2 / 4) * Math.log(1 + 4 / 3) }, // 0.4236
      { term: 'anode', score: (1 / 4) * Math.log(1 + 4 / 1) }, // 0.4024, tied with cathode: alphabetical
      { term: 'cathode', score: (1 / 4) * Math.log(5) },
    ];
    const expected1 = [
      { term: 'antenna', score: (2 / 4) * Math.log(1 + 4 / 2) }, // 0.5493
      { term: 'wireless', score: (1 / 4) * Math.log(5) }, // 0.4024
      { term: 'battery', score: (1 / 4) * Math.log(1 + 4 / 3) }, // 0.2118
    ];
    expect(labels.map((l) => [l.cluster, l.size, l.label])).toEqual([
      [0, 2, 'battery · anode · cathode'],
      [1, 2, 'antenna · wireless · battery'],
    ]);
    labels[0].terms.forEach((t, i) => {
      expect(t.term).toBe(expected0[i].term);
      expect(t.score).toBeCloseTo(expected0[i].score, 12);
    });
    labels[1].terms.forEach((t, i) => {
      expect(t.term).toBe(expected1[i].term);
      expect(t.score).toBeCloseTo(expected1[i].score, 12);
    });
  });

  it('skips negative (noise) clusters and ignores text order', () => {
    const a = topicLabels(['laser optics', 'noise words here', 'laser lens'], [3, -1, 3]);
    const b = topicLabels(['laser lens', 'laser optics'], [3, 3]);
    expect(a).toEqual(b);
    expect(a[0].label).toBe('laser · lens · optics');
  });
});
