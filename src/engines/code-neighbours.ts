import type { TaskOptions } from '../core/abort';
import type { SimilarityBackend } from '../core/backend';
import { meanOfPatentVectors } from '../core/code-vectors';
import { codeAt } from '../core/codes';
import { neighbourLists } from '../core/neighbours';
import { noEmbeddings, type NoEmbeddings } from '../core/outcomes';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Neighbour } from '../core/types';
import { techTokenKey } from '../ml/vector-keys';
import { gpuOf, LazyStore, type ComputeEngineOptions } from './engine-context';
import { SimilarityEngine } from './similarity-engine';

export type CodeVectorMethod = 'mean-of-patents' | 'techtoken';

export interface CodeNeighbourResult {
  level: CodeLevel;
  method: CodeVectorMethod;
  codes: string[];
  counts: number[];
  neighbours: Record<string, Neighbour[]>;
  backend: SimilarityBackend;
}

/**
 * Reads a dataset's patents and stored embeddings, builds code vectors at the chosen level and
 * finds each code's nearest codes with the similarity engine. Runs in the compute worker.
 */
export class CodeNeighbourEngine {
  private readonly similarity: SimilarityEngine;
  private readonly store: LazyStore;

  constructor(options: ComputeEngineOptions = {}) {
    this.similarity = new SimilarityEngine(gpuOf(options));
    this.store = new LazyStore(options.dbName);
  }

  init(options: { preferGpu: boolean }): Promise<SimilarityBackend> {
    return this.similarity.init(options);
  }

  /** Each code's nearest codes, or NoEmbeddings when the dataset has no vectors of the model. */
  async neighbours(
    datasetId: string,
    modelId: string,
    options: TaskOptions & { level: CodeLevel; k: number; method: CodeVectorMethod },
    onProgress?: ProgressCallback,
  ): Promise<CodeNeighbourResult | NoEmbeddings> {
    const store = await this.store.get();
    const patents = await store.getPatents(datasetId);
    if (options.method === 'techtoken') {
      // TechToken vectors are one per code, read whole; counts come from the patents.
      const embeddings = await store.getEmbeddings(datasetId, techTokenKey(modelId));
      if (!embeddings) return noEmbeddings(modelId, patents.length, patents.length, 'TechToken code vectors');
      const counts = codeCounts(patents, options.level);
      const { topK, backend } = await this.similarity.topK(embeddings.vectors, embeddings.ids.length, embeddings.dim, options, onProgress);
      return {
        level: options.level, method: 'techtoken', codes: embeddings.ids,
        counts: embeddings.ids.map((code) => counts.get(code) ?? 0),
        neighbours: neighbourLists(embeddings.ids, topK), backend,
      };
    }
    const aligned = await store.getAlignedEmbeddings(datasetId, modelId, patents.map((p) => p.id));
    if (!aligned) return noEmbeddings(modelId, patents.length);
    const embedded = patents.filter((_, i) => aligned.found[i] === 1);
    const codeVectors = meanOfPatentVectors(embedded, aligned.vectors, aligned.dim, options.level);
    const { topK, backend } = await this.similarity.topK(codeVectors.vectors, codeVectors.codes.length, aligned.dim, options, onProgress);
    return {
      level: options.level,
      method: 'mean-of-patents',
      codes: codeVectors.codes,
      counts: Array.from(codeVectors.counts),
      neighbours: neighbourLists(codeVectors.codes, topK),
      backend,
    };
  }

  abort(taskId: string): void {
    this.similarity.abort(taskId);
  }

  async destroy(): Promise<void> {
    this.similarity.destroy();
    await this.store.close();
  }
}

/** Patents per code at `level`. */
function codeCounts(patents: { codes: string[] }[], level: CodeLevel): Map<string, number> {
  const counts = new Map<string, number>();
  for (const patent of patents) {
    for (const code of new Set(patent.codes.map((c) => codeAt(level, c)).filter((c): c is string => c !== null))) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return counts;
}
