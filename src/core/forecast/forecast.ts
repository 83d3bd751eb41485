import { throwIfAborted, type TaskOptions } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';
import type { CodeLevel } from '../types';
import { BASELINES, baselineScores, type BaselineName } from './baselines';
import type { PairCosineFn } from '../pair-cosine';
import { candidateCosines, type CodeEmbedding, type CosineBlockFn } from './candidate-cosine';
import type { CandidatePairs } from './candidates';
import { countWindow, type ForecastPatent } from './cooccurrence';
import { applyHybrid, fitHybrid, HybridUnavailableError, type HybridFit } from './hybrid';
import type { LogisticOptions } from './logistic';
import { bootstrapAucInterval, classBalance, type AucInterval, type BootstrapOptions, type ClassBalance } from './metrics';
import type { LabelRule } from './null-model';
import { pairedAucDifference, type PairedBootstrapOptions, type PairedDifference } from './paired-bootstrap';
import { pairFeatures, prepareStage, type ForecastStage } from './pair-features';
import { rankScoresChunked, type PrecisionAtK, type RocCurve } from './ranking';
import { TEXT_TFIDF, tfidfCodeVectors, type TfidfOptions } from './text-tfidf';
import { formatRange, inRange, validateWindows, type ForecastWindows } from './windows';

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
  /**
   * Adds the `text-tfidf` method: TF-IDF code vectors of the embedding window's patents
   * (title + abstract), no model. `true` for the default vocabulary cap.
   */
  textTfidf?: boolean | TfidfOptions;
  /**
   * Adds the `hybrid` method (a logistic model fitted on the backtest windows, see hybrid.ts).
   * `backtestEmbeddings`: vectors of the same embedding methods from the backtest's embedding
   * window; a method of `embeddings` without them is left out of the hybrid. text-tfidf, when on,
   * is computed for both.
   */
  hybrid?: { backtestEmbeddings?: Readonly<Record<string, CodeEmbedding>>; logistic?: LogisticOptions };
  /** Paired bootstrap of hybrid − best baseline and best embedding − best baseline. */
  paired?: PairedBootstrapOptions;
}

export interface ForecastRunOptions extends TaskOptions {
  /** Block scorer for the cosines: the CPU twin by default. */
  cosineBlock?: CosineBlockFn;
  /** Pair scorer for the cosines (the GPU's gpuPairCosines); see candidateCosines. */
  pairCosines?: PairCosineFn;
  maxBlockBytes?: number;
}

export interface PredictedPair {
  /** Index of the pair among the candidates. */
  candidate: number;
  codes: [string, string];
  score: number;
  /** 1 = highest score among all candidates (ties: lower candidate index first). */
  rank: number;
  cameTrue: boolean;
  /** Co-occurrences in the scoring window. */
  observed: number;
  /** Hybrid: the pair's feature values (graph scores as log(1 + x), cosines as they are). */
  features?: Record<string, number>;
}

export interface MethodReport {
  method: string;
  /** text-tfidf is an embedding: code vectors compared by cosine, only made without a model. */
  kind: 'embedding' | 'baseline' | 'hybrid';
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
  /** The hybrid's fit: windows and years read, standardised coefficients (absent without the hybrid). */
  hybrid?: HybridReport;
  /** Why the hybrid asked for was left out (its backtest has no candidate or no positive pair). */
  hybridSkipped?: string;
  /** Paired AUC differences on the same candidates (resampling codes). */
  paired: PairedDifference[];
}

export interface HybridReport extends Omit<HybridFit, 'model'> {
  intercept: number;
  /** On standardised features: the change in log-odds per standard deviation. */
  coefficients: { feature: string; coefficient: number; mean: number; sd: number }[];
  iterations: number;
  converged: boolean;
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
  const stage = prepareStage(input.patents, level, windows, input.labels);
  const { indexed, candidates, embedCodes, history, scoreWindow, labelled, graph } = stage;
  const n = indexed.codes.length;
  const { labels, observed } = labelled;
  const ks = input.ks ?? DEFAULT_KS;
  const topN = input.topN ?? DEFAULT_TOP_N;
  const cosineOptions = { cosineBlock: options.cosineBlock, pairCosines: options.pairCosines, maxBlockBytes: options.maxBlockBytes, signal: options.signal };
  const embeddings: Record<string, CodeEmbedding> = { ...input.embeddings };
  if (input.textTfidf) embeddings[TEXT_TFIDF] = textEmbedding(input.patents, stage, input.textTfidf);
  const methodNames = [...Object.keys(embeddings), ...(input.baselines ?? BASELINES), ...(input.hybrid ? ['hybrid'] : [])];
  const tracker = new ProgressTracker('similarity', 'rows', methodNames.length, onProgress);
  tracker.report(0);

  const methods: MethodReport[] = [];
  const kept = new Map<string, Float32Array>();
  const report = async (method: string, kind: MethodReport['kind'], scores: Float32Array, extra: Partial<MethodReport> = {}, top?: PredictedPair[]) => {
    const ranking = await rankScoresChunked(scores, labels, { ks, rocPoints: input.rocPoints, signal: options.signal });
    kept.set(method, scores);
    methods.push({
      method,
      kind,
      auc: ranking.auc,
      ci: bootstrapAucInterval(scores, labels, ranking.auc, input.bootstrap),
      roc: ranking.roc,
      precisionAtK: ranking.precisionAtK,
      top: top ?? topPairs(scores, candidates, indexed.codes, labels, observed, topN),
      ...extra,
    });
    tracker.report(methods.length);
  };
  for (const method of methodNames) {
    throwIfAborted(options.signal);
    const embedding = embeddings[method];
    if (embedding) {
      const result = await candidateCosines(embedding, indexed.codes, candidates, cosineOptions);
      await report(method, 'embedding', result.scores, { missingPairs: result.missingPairs });
    } else if (method !== 'hybrid') {
      await report(method, 'baseline', baselineScores(graph, candidates, method as BaselineName, input.seed ?? 1));
    }
  }

  let hybrid: HybridReport | undefined;
  let hybridSkipped: string | undefined;
  let fit: HybridFit | null = null;
  const given = input.hybrid?.backtestEmbeddings ?? {};
  const featureMethods = Object.keys(embeddings).filter((m) => m === TEXT_TFIDF || given[m]);
  if (input.hybrid) {
    fit = await fitHybrid({
      patents: input.patents,
      level,
      windows,
      labels: input.labels,
      logistic: input.hybrid.logistic,
      backtestEmbeddings: (backtest) => ({
        ...Object.fromEntries(featureMethods.filter((m) => m !== TEXT_TFIDF).map((m) => [m, given[m]])),
        ...(featureMethods.includes(TEXT_TFIDF) && input.textTfidf ? { [TEXT_TFIDF]: textEmbedding(input.patents, backtest, input.textTfidf) } : {}),
      }),
    }, cosineOptions).catch((error: unknown) => {
      // Too little backtest for a fit: say why and keep the other methods' results.
      if (!(error instanceof HybridUnavailableError)) throw error;
      hybridSkipped = error.message;
      tracker.report(methodNames.length);
      return null;
    });
  }
  if (fit) {
    fit.excluded = Object.keys(embeddings).filter((m) => !featureMethods.includes(m));
    const features = await pairFeatures(stage, Object.fromEntries(featureMethods.map((m) => [m, embeddings[m]])), cosineOptions);
    const scores = applyHybrid(fit.model, features);
    const top = topPairs(scores, candidates, indexed.codes, labels, observed, topN).map((pair) => ({
      ...pair,
      features: Object.fromEntries(features.names.map((name, f) => [name, features.columns[f][pair.candidate]])),
    }));
    await report('hybrid', 'hybrid', scores, {}, top);
    const { model, ...rest } = fit;
    hybrid = {
      ...rest,
      intercept: model.intercept,
      coefficients: model.features.map((feature, f) => ({ feature, coefficient: model.coefficients[f], mean: model.means[f], sd: model.sds[f] })),
      iterations: model.iterations,
      converged: model.converged,
    };
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
      knownPairs: knownPairs(stage),
      candidates: candidates.length,
    },
    balance: classBalance(labels),
    nullModel: { stubs: labelled.model.stubs, orderedPairStubs: labelled.model.orderedPairStubs, pairScale: labelled.model.pairScale },
    methods,
    ...(hybrid ? { hybrid } : {}),
    ...(hybridSkipped ? { hybridSkipped } : {}),
    paired: pairedDifferences(methods, kept, labels, candidates, input.paired),
  };
}

/** TF-IDF code vectors of the stage's embedding window (patents without text add nothing). */
function textEmbedding(patents: readonly ForecastPatent[], stage: ForecastStage, options: boolean | TfidfOptions): CodeEmbedding {
  return tfidfCodeVectors(patents.filter((p) => inRange(p.year, stage.windows.embed)), stage.indexed.level, typeof options === 'object' ? options : {});
}

function knownPairs(stage: ForecastStage): number {
  const n = stage.indexed.codes.length;
  let count = 0;
  const isEmbedCode = new Uint8Array(n);
  for (const i of stage.embedCodes) isEmbedCode[i] = 1;
  for (const key of stage.history.pairs.keys()) {
    const i = Math.floor(key / n);
    if (isEmbedCode[i] && isEmbedCode[key - i * n]) count++;
  }
  return count;
}

/** The best method of a kind by AUC; the random baseline is a reference, not a contender. */
export function bestOf(methods: readonly MethodReport[], kind: MethodReport['kind']): MethodReport | undefined {
  return methods.filter((m) => m.kind === kind && m.method !== 'random' && !Number.isNaN(m.auc)).sort((a, b) => b.auc - a.auc)[0];
}

function pairedDifferences(
  methods: readonly MethodReport[],
  scores: ReadonlyMap<string, Float32Array>,
  labels: Uint8Array,
  candidates: CandidatePairs,
  options?: PairedBootstrapOptions,
): PairedDifference[] {
  const baseline = bestOf(methods, 'baseline');
  if (!baseline) return [];
  const out: PairedDifference[] = [];
  for (const kind of ['hybrid', 'embedding'] as const) {
    const best = bestOf(methods, kind);
    if (!best) continue;
    out.push(pairedAucDifference([best.method, baseline.method], scores.get(best.method) as Float32Array, scores.get(baseline.method) as Float32Array, labels, candidates, options));
  }
  return out;
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
    candidate: c,
    codes: [codeNames[candidates.first[c]], codeNames[candidates.second[c]]],
    score: scores[c],
    rank: r + 1,
    cameTrue: labels[c] === 1,
    observed: observed[c],
  }));
}
