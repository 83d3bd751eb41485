/**
 * The forecast engine tests' fixture: the demo corpus stored as a dataset with seeded random
 * "patent vectors" under model-x, and TechToken-like code vectors under the windows asked for.
 */
import { readFileSync } from 'node:fs';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import type { CodeEmbedding } from '../../src/core/forecast/candidate-cosine';
import { inRange, scaledDefaultWindows, type YearRange } from '../../src/core/forecast/windows';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import type { Patent } from '../../src/core/types';
import { techTokenWindowKey } from '../../src/ml/vector-keys';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

export const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Patent);
export const windows = scaledDefaultWindows(1980, 2020);
export const DIM = 61; // not a multiple of 4: the GPU pads rows to vec4s

/** Random "patent embeddings" (unit rows, seeded) of the demo patents. */
export function patentVectors(seed: number): Float32Array {
  const x = randomNormalMatrix(mulberry32(seed), patents.length, DIM);
  for (let r = 0; r < patents.length; r++) {
    let norm = 0;
    for (let d = 0; d < DIM; d++) norm += x[r * DIM + d] ** 2;
    for (let d = 0; d < DIM; d++) x[r * DIM + d] /= Math.sqrt(norm);
  }
  return x;
}

/** Mean-of-patents code vectors of a window's demo patents (default: the default embedding window). */
export function embeddingOfWindow(vectors: Float32Array, level: 'subclass' | 'main_group', range: YearRange = windows.embed): CodeEmbedding {
  const rows = patents.map((p, i) => ({ p, i })).filter(({ p }) => inRange(p.year, range));
  const window = new Float32Array(rows.length * DIM);
  rows.forEach(({ i }, r) => window.set(vectors.subarray(i * DIM, (i + 1) * DIM), r * DIM));
  const codeVectors = meanOfPatentVectors(rows.map(({ p }) => p), window, DIM, level);
  return { codes: codeVectors.codes, dim: DIM, vectors: codeVectors.vectors };
}

/**
 * A fresh database holding the demo (plus `extra` patents, without vectors) as one dataset:
 * patent vectors of seed 7 under model-x, and "TechToken" vectors of seed 9 for each window of
 * `techTokenWindows` under its techTokenWindowKey.
 */
export async function storeDemo(extra: Patent[] = [], techTokenWindows: readonly YearRange[] = [windows.embed], data: readonly Patent[] = patents): Promise<string> {
  useFreshIndexedDb();
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [{ name: 'patents.jsonl', bytes: 1 }] });
  const all = [...data, ...extra];
  await store.putPatents(dataset.id, all);
  await store.finishImport(dataset.id, makeReport(all.length), countCodes(all));
  // Only the demo's patents have vectors (extra ones and other data none).
  const vectors = patentVectors(7);
  const rowOf = new Map(patents.map((p, i) => [p.id, i]));
  const stored = (await store.getPatents(dataset.id)).filter((p) => rowOf.has(p.id) && !extra.some((e) => e.id === p.id));
  const aligned = new Float32Array(stored.length * DIM);
  stored.forEach((p, r) => aligned.set(vectors.subarray((rowOf.get(p.id) as number) * DIM, ((rowOf.get(p.id) as number) + 1) * DIM), r * DIM));
  await store.putEmbeddings(dataset.id, 'model-x', stored.map((p) => p.id), aligned, DIM);
  for (const range of techTokenWindows) {
    const techtoken = embeddingOfWindow(patentVectors(9), 'subclass', range);
    await store.putEmbeddings(dataset.id, techTokenWindowKey('model-x', range), [...techtoken.codes], techtoken.vectors, DIM);
  }
  store.close();
  return dataset.id;
}
