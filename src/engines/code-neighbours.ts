import type { TaskOptions } from '../core/abort';
import { meanOfPatentVectors } from '../core/code-vectors';
import { neighbourLists } from '../core/neighbours';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Neighbour } from '../core/types';
import { codeAt } from '../core/codes';
import { techTokenKey } from '../ml/vector-keys';
import { DatasetStore } from '../store/dataset-store';
import type { SimilarityBackend } from '../core/backend';
import { SimilarityEngine } from '../gpu/similarity-engine';

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
 * finds each code's nearest codes with the similarity engine. Runs in the similarity worker.
 */
export class CodeNeighbourEngine {
  private readonly similarity = new SimilarityEngine();
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  init(options: { preferGpu: boolean }): Promise<SimilarityBackend> {
    return this.similarity.init(options);
  }

  async neighbours(
    datasetId: string,
    modelId: string,
    options: TaskOptions & { level: CodeLevel; k: number; method: CodeVectorMethod },
    onProgress?: ProgressCallback,
  ): Promise<CodeNeighbourResult> {
    const store = await this.store();
    const key = options.method === 'techtoken' ? techTokenKey(modelId) : modelId;
    const [patents, embeddings] = await Promise.all([store.getPatents(datasetId), store.getEmbeddings(datasetId, key)]);
    if (!embeddings) throw new Error(`No ${options.method} vectors of this dataset with ${modelId}: embed it first.`);
    if (options.method === 'techtoken') {
      const counts = codeCounts(patents, options.level);
      const { topK, backend } = await this.similarity.topK(embeddings.vectors, embeddings.ids.length, embeddings.dim, options, onProgress);
      return {
        level: options.level, method: 'techtoken', codes: embeddings.ids,
        counts: embeddings.ids.map((code) => counts.get(code) ?? 0),
        neighbours: neighbourLists(embeddings.ids, topK), backend,
      };
    }
    const rowOf = new Map(embeddings.ids.map((id, row) => [id, row]));
    const aligned = patents.filter((p) => rowOf.has(p.id));
    const vectors = new Float32Array(aligned.length * embeddings.dim);
    aligned.forEach((p, i) => {
      const row = rowOf.get(p.id) as number;
      vectors.set(embeddings.vectors.subarray(row * embeddings.dim, (row + 1) * embeddings.dim), i * embeddings.dim);
    });
    const codeVectors = meanOfPatentVectors(aligned, vectors, embeddings.dim, options.level);
    const { topK, backend } = await this.similarity.topK(codeVectors.vectors, codeVectors.codes.length, embeddings.dim, options, onProgress);
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

  destroy(): void {
    this.similarity.destroy();
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
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
