/**
 * The stored vectors a forecast reads, as code vectors: mean-of-patents from the patent vectors
 * the encoder worker stored, TechToken from the window's code vectors it stored. Nothing is
 * embedded here (the forecast engine runs in the compute worker, the model in the encoder's).
 */
import { meanOfPatentVectors } from '../core/code-vectors';
import { codeAt } from '../core/codes';
import type { CodeEmbedding } from '../core/forecast/candidate-cosine';
import { formatRange, type YearRange } from '../core/forecast/windows';
import { noEmbeddings, type NoEmbeddings } from '../core/outcomes';
import type { CodeLevel, Patent } from '../core/types';
import { techTokenWindowKey } from '../ml/vector-keys';
import type { DatasetStore } from '../store/dataset-store';

/** Mean-of-patents code vectors from the stored vectors of a window's patents: no re-embedding. */
export async function meanOfPatents(
  store: DatasetStore, datasetId: string, modelId: string, windowPatents: readonly Patent[], level: CodeLevel,
): Promise<{ kind: 'embedding'; embedding: CodeEmbedding } | NoEmbeddings> {
  const aligned = await store.getAlignedEmbeddings(datasetId, modelId, windowPatents.map((p) => p.id));
  const missing = windowPatents.length - (aligned?.ids.length ?? 0);
  if (!aligned || missing > 0) return noEmbeddings(modelId, windowPatents.length, missing);
  const codeVectors = meanOfPatentVectors(windowPatents, aligned.vectors, aligned.dim, level);
  return { kind: 'embedding', embedding: { codes: codeVectors.codes, dim: aligned.dim, vectors: codeVectors.vectors } };
}

/** TechToken code vectors of a window's patents, as the encoder worker stored them (null: none stored). */
export async function techTokenVectors(store: DatasetStore, datasetId: string, modelId: string, range: YearRange): Promise<CodeEmbedding | null> {
  const stored = await store.getEmbeddings(datasetId, techTokenWindowKey(modelId, range));
  return stored ? { codes: stored.ids, dim: stored.dim, vectors: stored.vectors } : null;
}

export interface BacktestVectors {
  embeddings: Record<string, CodeEmbedding>;
  /** Methods of the forecast the hybrid cannot use as features, and why. */
  leftOut: { method: string; reason: string }[];
}

/**
 * The same model methods' code vectors from the backtest's embedding window, for the hybrid's
 * fit (a method's cosine is a feature only when the fit has it too). A method whose backtest
 * vectors are not all stored is left out of the hybrid, not the forecast.
 */
export async function backtestVectors(
  store: DatasetStore, datasetId: string, modelId: string, methods: readonly string[], windowPatents: readonly Patent[], range: YearRange, level: CodeLevel,
): Promise<BacktestVectors> {
  const embeddings: Record<string, CodeEmbedding> = {};
  const leftOut: BacktestVectors['leftOut'] = [];
  const years = formatRange(range);
  // No patent there: the fit has no candidate pair either, and the core says so as the hybrid's skip reason.
  if (windowPatents.length === 0) return { embeddings, leftOut };
  for (const method of methods) {
    if (method === 'mean-of-patents') {
      const mean = await meanOfPatents(store, datasetId, modelId, windowPatents, level);
      if (mean.kind === 'embedding') embeddings[method] = mean.embedding;
      else leftOut.push({ method, reason: `${mean.missing} of ${mean.patents} patents of ${years} have no stored vector with ${modelId}` });
    } else if (method === 'techtoken') {
      const vectors = await techTokenVectors(store, datasetId, modelId, range);
      if (vectors) embeddings[method] = vectors;
      else leftOut.push({ method, reason: `${modelId} has no code tokens stored for the patents of ${years}` });
    }
  }
  return { embeddings, leftOut };
}

/** Codes at `level` in the whole dataset, from its code counts (no patent is read). */
export async function codesAtLevel(store: DatasetStore, datasetId: string, level: CodeLevel): Promise<number> {
  const codes = new Set<string>();
  for (const code of (await store.getCodes(datasetId)).keys()) {
    const atLevel = codeAt(level, code);
    if (atLevel !== null) codes.add(atLevel);
  }
  return codes.size;
}
