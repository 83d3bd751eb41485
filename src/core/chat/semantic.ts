/**
 * The embedding side of chat retrieval, calibrated so that an encoder which cannot tell a data
 * question from small talk does not take part.
 *
 * A raw cosine means little on its own: the bundled demo encoders give "what is the capital of
 * France?" a cosine of 0.85–0.97 with their nearest demo patent, as high as a real question gets
 * (they were trained on titles, not questions). So similarities are measured against a ceiling:
 * for each source, the highest cosine any of a fixed set of off-topic questions reaches with it.
 * A question is semantically close to a source only by its *excess* over that ceiling.
 *
 * And the encoder must earn its place on the user's own data: probe questions made from the
 * dataset's patent titles ("Which patents are about X and Y?" with the title's two rarest words,
 * the patent itself left out) must stand
 * out from the off-topic questions (each scored against the ceiling of the others). The share of
 * (probe, off-topic) pairs the probe wins is the encoder's *separation*; below `MIN_SEPARATION`
 * retrieval stays lexical (BM25) and says why. Measured on the bundled demo (1,240 patents, 24
 * probes): ps-techtoken-tiny separates 0.84, ps-encoder-tiny 0.54 — both trained on titles, not
 * questions — so the demo chat retrieves by words; a sentence encoder loaded from the hub is what
 * this is for.
 */
import { tokenize } from '../prefilter/tokenize';
import type { RankedSource } from './retrieve';

/** Everyday questions no patent dataset is about: the ceiling each source's similarity must beat. */
export const OFF_TOPIC_QUESTIONS: readonly string[] = [
  'What is the capital of France?',
  'Recipe for a chocolate cake',
  'What will the weather be like tomorrow?',
  'Who won the football match last night?',
  'Recommend a good film to watch tonight',
  'How old is the universe?',
  'Translate hello into Spanish',
  'What time is it in Tokyo?',
  'Tell me a joke about cats',
  'Which song topped the charts this week?',
];

/**
 * A probe question made from a patent title as users ask: its two rarest content words (by how
 * many of the dataset's titles hold them), not the whole title. A question that repeats a title
 * finds that title's near-twins by shared tokens alone; one that names the topic in two words
 * needs the encoder to know what the words are about.
 */
export function probeQuestion(title: string, titleFrequency: (word: string) => number): string {
  const words = [...new Set(tokenize(title))]
    .sort((a, b) => titleFrequency(a) - titleFrequency(b) || b.length - a.length || (a < b ? -1 : 1))
    .slice(0, 2);
  return `Which patents are about ${words.length ? words.join(' and ') : title.trim()}?`;
}

/** How many of the titles hold each content word: the rarity probeQuestion reads. */
export function titleFrequencies(titles: Iterable<string>): (word: string) => number {
  const counts = new Map<string, number>();
  for (const title of titles) for (const word of new Set(tokenize(title))) counts.set(word, (counts.get(word) ?? 0) + 1);
  return (word) => counts.get(word) ?? 0;
}

/** Probes sampled per dataset: enough for a stable share, few enough to embed in a moment. */
export const PROBE_COUNT = 24;
/** Share of (probe, off-topic) pairs the probes must win for the encoder to take part. */
export const MIN_SEPARATION = 0.9;
/** Lowest excess over the ceiling that keeps a source by similarity alone. */
export const MIN_EXCESS = 0.05;

/** Row-major unit vectors with the id of each row. */
export interface VectorSet {
  ids: readonly string[];
  vectors: Float32Array;
  dim: number;
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[ai * dim + d] * b[bi * dim + d];
  return s;
}

/**
 * Per source, the highest cosine of any off-topic question (`skip`: a question left out, for
 * scoring that question against the others' ceiling).
 */
export function ceilings(sources: VectorSet, offTopic: Float32Array, skip = -1): Float32Array {
  const n = sources.ids.length;
  const m = offTopic.length / sources.dim;
  const out = new Float32Array(n).fill(-Infinity);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      if (i === skip) continue;
      const s = dot(offTopic, i, sources.vectors, j, sources.dim);
      if (s > out[j]) out[j] = s;
    }
  }
  return out;
}

/** The query's best excess over the sources' ceilings, `exclude` (a source id) left out. */
export function bestExcess(query: Float32Array, at: number, sources: VectorSet, ceiling: Float32Array, exclude?: string): number {
  let best = -Infinity;
  for (let j = 0; j < sources.ids.length; j++) {
    if (sources.ids[j] === exclude) continue;
    const e = dot(query, at, sources.vectors, j, sources.dim) - ceiling[j];
    if (e > best) best = e;
  }
  return best;
}

/** The `k` sources with the highest excess for the query (row 0 of `query`), best first. */
export function excessRanking(query: Float32Array, sources: VectorSet, ceiling: Float32Array, k: number, kind: RankedSource['kind'] = 'patent'): RankedSource[] {
  const scored: RankedSource[] = [];
  for (let j = 0; j < sources.ids.length; j++) {
    scored.push({ kind, id: sources.ids[j], score: dot(query, 0, sources.vectors, j, sources.dim) - ceiling[j] });
  }
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k);
}

/**
 * Share of (probe, off-topic) pairs in which the probe's best excess is higher (ties count half):
 * the Mann–Whitney statistic, 0.5 for an encoder that cannot tell them apart.
 */
export function separation(probes: readonly number[], offTopic: readonly number[]): number {
  if (probes.length === 0 || offTopic.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of probes) for (const o of offTopic) wins += p > o ? 1 : p === o ? 0.5 : 0;
  return wins / (probes.length * offTopic.length);
}

export interface Calibration {
  ceiling: Float32Array;
  separation: number;
  probes: number;
}

/**
 * Calibrates an encoder on a dataset: `probes` are the probe questions' vectors with the id of the
 * patent each was made from (left out of its own score), `offTopic` the off-topic questions'.
 */
export function calibrate(sources: VectorSet, offTopic: Float32Array, probes: { ids: readonly string[]; vectors: Float32Array }): Calibration {
  const ceiling = ceilings(sources, offTopic);
  const probeScores = probes.ids.map((id, i) => bestExcess(probes.vectors, i, sources, ceiling, id));
  const m = offTopic.length / sources.dim;
  const offScores: number[] = [];
  for (let i = 0; i < m; i++) offScores.push(bestExcess(offTopic, i, sources, ceilings(sources, offTopic, i)));
  return { ceiling, separation: separation(probeScores, offScores), probes: probes.ids.length };
}

/** Picks `count` probe patents spread over the dataset (every n-th of those with a title), deterministic. */
export function probePatents<T extends { id: string; title: string }>(patents: readonly T[], count = PROBE_COUNT): T[] {
  const titled = patents.filter((p) => p.title.trim() !== '');
  if (titled.length <= count) return titled;
  const step = titled.length / count;
  return Array.from({ length: count }, (_, i) => titled[Math.floor(i * step)]);
}
