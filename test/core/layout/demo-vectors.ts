/**
 * The demo corpus as vectors for layout evaluation: L2-normalised TF-IDF of each patent's title and
 * abstract (the text the app embeds), and each patent's planted theme, read from the ground truth.
 */
import { readFileSync } from 'node:fs';
import { technologyPatents, type DemoGroundTruth } from '../../../src/core/demo/generate';
import { topicTerms } from '../../../src/core/layout/topic-labels';
import { patentText } from '../../../src/core/patent-text';
import type { NeighbourSearch, SpaceInput } from '../../../src/core/layout/space';
import { similarityTopK } from '../../../src/core/similarity';
import type { Patent } from '../../../src/core/types';

export interface DemoVectors {
  patents: Patent[];
  texts: string[];
  n: number;
  dim: number;
  vectors: Float32Array;
  /** Planted theme of each patent's first (primary) code, as an index into `themes`. */
  themeOf: Int32Array;
  themes: string[];
}

export function loadDemoVectors(): DemoVectors {
  const truth = JSON.parse(readFileSync('public/demo/ground-truth.json', 'utf8')) as DemoGroundTruth;
  // The planted themes are the technology corpus's; the pollution patents have BREF words, not theme words.
  const patents = technologyPatents(readFileSync('public/demo/patents.jsonl', 'utf8').split('\n').filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Patent), truth);
  const texts = patents.map(patentText);
  const tokens = texts.map((text) => topicTerms(text));
  const vocabulary = new Map<string, number>();
  const documentFrequency: number[] = [];
  for (const terms of tokens) {
    for (const term of new Set(terms)) {
      if (!vocabulary.has(term)) {
        vocabulary.set(term, vocabulary.size);
        documentFrequency.push(0);
      }
      documentFrequency[vocabulary.get(term) as number]++;
    }
  }
  const n = patents.length;
  const dim = vocabulary.size;
  const vectors = new Float32Array(n * dim);
  tokens.forEach((terms, i) => {
    const row = new Float64Array(dim);
    // Smoothed idf as scikit-learn's TfidfVectorizer: ln((1 + n)/(1 + df)) + 1.
    for (const term of terms) {
      const column = vocabulary.get(term) as number;
      row[column] += Math.log((1 + n) / (1 + documentFrequency[column])) + 1;
    }
    const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0)) || 1;
    row.forEach((v, column) => { vectors[i * dim + column] = v / norm; });
  });
  const themes = [...new Set(Object.values(truth.themeOfSubclass))].sort();
  const themeOf = Int32Array.from(patents, (p) => themes.indexOf(truth.themeOfSubclass[p.codes[0].slice(0, 4)]));
  return { patents, texts, n, dim, vectors, themeOf, themes };
}

/** Nearest codes on the CPU twin, the search the space's maths is tested with. */
export const cpuSearch: NeighbourSearch = async (v, n, dim, k) => ({ topK: similarityTopK(v, n, dim, k, true), backend: { kind: 'cpu' } });

/** The demo as the technology space's input, at subclass level. */
export function spaceInputOf(demo: DemoVectors): SpaceInput {
  return { patents: demo.patents, vectors: demo.vectors, dim: demo.dim, level: 'subclass' };
}
