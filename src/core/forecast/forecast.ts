import { throwIfAborted, type TaskOptions } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';
import type { CodeLevel } from '../types';
import { BASELINES, baselineScores, cooccurrenceGraph, type BaselineName } from './baselines';
import type { PairCosineFn } from '../pair-cosine';
import { candidateCosines, type CodeEmbedding, type CosineBlockFn } from './candidate-cosine';
import { selectCandidates, type CandidatePairs } from './candidates';
import { countWindow, indexPatents, type ForecastPatent } from './cooccurrence';
import { bootstrapAucInterval, classBalance, type AucInterval, type BootstrapOptions, type ClassBalance } from './metrics';
import { labelCandidates, type LabelRule } from './null-model';
import { rankScoresChunked, type PrecisionAtK, type RocCurve } from './ranking';
import { formatRange, validateWindows, type ForecastWindows } from './windows';

export interface ForecastSettings {
  level: CodeLevel;
  windows: ForecastWindows;
  labels: LabelRule;
  /** Default: all of BASELINES. */
  baselines?: readonly BaselineName[];
  /** Default [10, 100, 1000]. */
  ks?: readonly number[];
  /** Predicted new pairs listed per method (default 20). */
  topN?: number;
  rocPoints?: number;
  bootstrap?: BootstrapOptions;
  /** Seed of the random baseline. */
  seed?: number;
}

export interface ForecastInput extends ForecastSettings {
  patents: readonly ForecastPatent[];
  /** Method name (e.g. `mean-of-patents`) → code vectors from the embedding window. */
  embeddings: Readonly<Record<string, CodeEmbedding>>;
  /**
   * Codes at the level in the whole dataset, when `patents` holds only the years the windows
   * cover (for counts.codes); default: the codes of `patents`.
   */
  codesInData?: number;
}

export interface ForecastRunOptions extends TaskOptions {
  /** Block scorer for the cosines: the CPU twin by default. */
  cosineBlock?: CosineBlockFn;
  /** Pair scorer for the cosines (the GPU's gpuPairCosines); see candidateCosines. */
  pairCosines?: PairCosineFn;
  maxBlockBytes?: number;
}

export interface PredictedPair {
  codes: [string, string];
  score: number;
  /** 1 = highest score among all candidates (ties: lower candidate index first). */
  rank: number;
  cameTrue: boolean;
  /** Co-occurrences in the scoring window. */
  observed: number;
}

export interface MethodReport {
  method: string;
  kind: 'embedding' | 'baseline';
  auc: number;
  ci: AucInterval;
  roc: RocCurve;
  precisionAtK: PrecisionAtK[];
  top: PredictedPair[];
  /** Embedding methods: candidates with a code the embedding lacks (scored 0). */
  missingPairs?: number;
}

export interface ForecastReport {
  level: CodeLevel;
  windows: { learn: string; embed: string; score: string };
  labels: LabelRule;
  counts: {
    /** Patents with a code at the level, in each window and up to the embedding window's end. */
    patents: { learn: number; embed: number; score: number; upToEmbedEnd: number };
    /** Codes at the level in the data, and in the embedding window (candidate codes). */
    codes: number;
    embedCodes: number;
    /** Pairs of embedding-window codes already combined up to the end of the embedding window. */
    knownPairs: number;
    candidates: number;
  };
  balance: ClassBalance;
  nullModel: { stubs: number; orderedPairStubs: number; pairScale: number };
  methods: MethodReport[];
}

const DEFAULT_KS = [10, 100, 1000];
const DEFAULT_TOP_N = 20;

/**
 * The one forecasting pipeline: candidates from the embedding window, labels from the scoring
 * window, a score per candidate for every embedding (cosine) and baseline, and per method the
 * exact AUC, its bootstrap interval, ROC curve, precision@k and the top predicted new pairs.
 * Methods are scored one at a time so only one score array per method exists at once.
 */
export async function runForecast(input: ForecastInput, options: ForecastRunOptions = {}, onProgress?: ProgressCallback): Promise<ForecastReport> {
  validateWindows(input.windows);
  const { windows, level } = input;
  const indexed = indexPatents(input.patents, level);
  const n = indexed.codes.length;
  const { pairs: candidates, embedCodes, history } = selectCandidates(indexed, windows);
  const past = countWindow(indexed, { from: windows.learn.from, to: windows.embed.to });
  const scoreWindow = countWindow(indexed, windows.score);
  const labelled = labelCandidates(candidates, scoreWindow, input.labels);
  const { labels, observed } = labelled;
  const graph = cooccurrenceGraph(past, n);
  const ks = input.ks ?? DEFAULT_KS;
  const topN = input.topN ?? DEFAULT_TOP_N;
  const methodNames = [...Object.keys(input.embeddings), ...(input.baselines ?? BASELINES)];
  const tracker = new ProgressTracker('similarity', 'rows', methodNames.length, onProgress);
  tracker.report(0);

  const methods: MethodReport[] = [];
  for (const [index, method] of methodNames.entries()) {
    throwIfAborted(options.signal);
    const embedding = input.embeddings[method];
    let scores: Float32Array;
    let missingPairs: number | undefined;
    if (embedding) {
      const result = await candidateCosines(embedding, indexed.codes, candidates, {
        cosineBlock: options.cosineBlock,
        pairCosines: options.pairCosines,
        maxBlockBytes: options.maxBlockBytes,
        signal: options.signal,
      });
      scores = result.scores;
      missingPairs = result.missingPairs;
    } else {
      scores = baselineScores(graph, candidates, method as BaselineName, input.seed ?? 1);
    }
    const ranking = await rankScoresChunked(scores, labels, { ks, rocPoints: input.rocPoints, signal: options.signal });
    methods.push({
      method,
      kind: embedding ? 'embedding' : 'baseline',
      auc: ranking.auc,
      ci: bootstrapAucInterval(scores, labels, ranking.auc, input.bootstrap),
      roc: ranking.roc,
      precisionAtK: ranking.precisionAtK,
      top: topPairs(scores, candidates, indexed.codes, labels, observed, topN),
      ...(missingPairs === undefined ? {} : { missingPairs }),
    });
    tracker.report(index + 1);
  }

  let knownPairs = 0;
  const isEmbedCode = new Uint8Array(n);
  for (const i of embedCodes) isEmbedCode[i] = 1;
  for (const key of history.pairs.keys()) {
    const i = Math.floor(key / n);
    if (isEmbedCode[i] && isEmbedCode[key - i * n]) knownPairs++;
  }
  return {
    level,
    windows: { learn: formatRange(windows.learn), embed: formatRange(windows.embed), score: formatRange(windows.score) },
    labels: input.labels,
    counts: {
      patents: {
        learn: countWindow(indexed, windows.learn).patents,
        embed: countWindow(indexed, windows.embed).patents,
        score: scoreWindow.patents,
        upToEmbedEnd: history.patents,
      },
      codes: input.codesInData ?? n,
      embedCodes: embedCodes.length,
      knownPairs,
      candidates: candidates.length,
    },
    balance: classBalance(labels),
    nullModel: { stubs: labelled.model.stubs, orderedPairStubs: labelled.model.orderedPairStubs, pairScale: labelled.model.pairScale },
    methods,
  };
}

/** The `count` highest-scoring candidates, descending; equal scores keep candidate order. */
export function topPairs(
  scores: Float32Array,
  candidates: CandidatePairs,
  codeNames: readonly string[],
  labels: Uint8Array,
  observed: Uint32Array,
  count: number,
): PredictedPair[] {
  const best: number[] = [];
  for (let c = 0; c < scores.length; c++) {
    if (best.length === count && !(scores[c] > scores[best[best.length - 1]])) continue;
    let slot = best.length === count ? count - 1 : best.length;
    best[slot] = c;
    while (slot > 0 && scores[best[slot - 1]] < scores[c]) {
      best[slot] = best[slot - 1];
      best[--slot] = c;
    }
  }
  return best.map((c, r) => ({
    codes: [codeNames[candidates.first[c]], codeNames[candidates.second[c]]],
    score: scores[c],
    rank: r + 1,
    cameTrue: labels[c] === 1,
    observed: observed[c],
  }));
}
