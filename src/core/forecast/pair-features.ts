import type { CodeLevel } from '../types';
import { baselineScores, cooccurrenceGraph, type CooccurrenceGraph } from './baselines';
import { candidateCosines, type CandidateCosineOptions, type CodeEmbedding } from './candidate-cosine';
import { selectCandidates, type CandidatePairs } from './candidates';
import { countWindow, indexPatents, type ForecastPatent, type IndexedPatents, type WindowCounts } from './cooccurrence';
import { labelCandidates, type CandidateLabels, type LabelRule } from './null-model';
import type { ForecastWindows } from './windows';

/** Everything a forecast needs of its three windows, before any method scores a pair. */
export interface ForecastStage {
  windows: ForecastWindows;
  indexed: IndexedPatents;
  candidates: CandidatePairs;
  embedCodes: Uint32Array;
  history: WindowCounts;
  scoreWindow: WindowCounts;
  labelled: CandidateLabels;
  graph: CooccurrenceGraph;
}

export function prepareStage(patents: readonly ForecastPatent[], level: CodeLevel, windows: ForecastWindows, rule: LabelRule): ForecastStage {
  const indexed = indexPatents(patents, level);
  const { pairs: candidates, embedCodes, history } = selectCandidates(indexed, windows);
  const past = countWindow(indexed, { from: windows.learn.from, to: windows.embed.to });
  const scoreWindow = countWindow(indexed, windows.score);
  const labelled = labelCandidates(candidates, scoreWindow, rule);
  return { windows, indexed, candidates, embedCodes, history, scoreWindow, labelled, graph: cooccurrenceGraph(past, indexed.codes.length) };
}

/**
 * The graph features of the hybrid. Counts and sums are skewed (a few pairs share hundreds of
 * neighbours), so they enter as log(1 + x): a logistic model is linear in its inputs.
 * Degrees enter as the smaller and the larger of the two codes' log-degrees (a pair is unordered).
 */
export const GRAPH_FEATURES = [
  'resource-allocation',
  'adamic-adar',
  'common-neighbours',
  'preferential-attachment',
  'log-degree-min',
  'log-degree-max',
] as const;

export interface PairFeatures {
  names: string[];
  columns: Float32Array[];
}

export async function pairFeatures(
  stage: ForecastStage,
  embeddings: Readonly<Record<string, CodeEmbedding>>,
  options: CandidateCosineOptions = {},
): Promise<PairFeatures> {
  const names: string[] = [];
  const columns: Float32Array[] = [];
  const { candidates, graph, indexed } = stage;
  for (const [name, embedding] of Object.entries(embeddings)) {
    names.push(`cosine:${name}`);
    columns.push((await candidateCosines(embedding, indexed.codes, candidates, options)).scores);
  }
  for (const name of ['resource-allocation', 'adamic-adar', 'common-neighbours', 'preferential-attachment'] as const) {
    const scores = baselineScores(graph, candidates, name);
    for (let c = 0; c < scores.length; c++) scores[c] = Math.log1p(scores[c]);
    names.push(name);
    columns.push(scores);
  }
  const low = new Float32Array(candidates.length);
  const high = new Float32Array(candidates.length);
  const logDegree = (i: number): number => Math.log1p(graph.offsets[i + 1] - graph.offsets[i]);
  for (let c = 0; c < candidates.length; c++) {
    const a = logDegree(candidates.first[c]);
    const b = logDegree(candidates.second[c]);
    low[c] = Math.min(a, b);
    high[c] = Math.max(a, b);
  }
  names.push('log-degree-min', 'log-degree-max');
  columns.push(low, high);
  return { names, columns };
}
