import type { TaskOptions } from '../core/abort';
import { patentText } from '../core/patent-text';
import type { ProgressCallback } from '../core/progress';
import { DatasetStore } from '../store/dataset-store';
import type { CodeLevel } from '../core/types';
import { EncoderEngine, type EncoderInfo, type EncoderLoadOptions } from '../ml/encoder';
import { sharedLoader } from '../ml/runtime';
import { techTokenKey, techTokenWindowKey } from '../ml/vector-keys';

export interface DatasetEmbedding {
  modelId: string;
  dim: number;
  count: number;
  /** True when stored embeddings of this dataset and model were reused. */
  reused: boolean;
  paddingFraction: number | null;
}

/**
 * Embeds a stored dataset's patents and keeps the vectors in IndexedDB, so the similarity worker
 * reads them from the store and a reload does not embed again. Runs in the encoder worker.
 */
export class DatasetEmbedder {
  private readonly encoder = new EncoderEngine();
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  load(options: EncoderLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<EncoderInfo> {
    return this.encoder.load(options, task, onProgress);
  }

  async embedDataset(datasetId: string, options: TaskOptions & { reuse?: boolean } = {}, onProgress?: ProgressCallback): Promise<DatasetEmbedding> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedDataset()');
    const store = await this.store();
    const patents = await store.getPatents(datasetId);
    if (options.reuse !== false) {
      const stored = await store.getEmbeddings(datasetId, info.modelId);
      if (stored && stored.ids.length === patents.length) {
        onProgress?.({ stage: 'embed', done: patents.length, total: patents.length, unit: 'patents' });
        return { modelId: info.modelId, dim: stored.dim, count: stored.ids.length, reused: true, paddingFraction: null };
      }
    }
    const result = await this.encoder.embed(patents.map(patentText), options, onProgress);
    await store.putEmbeddings(datasetId, info.modelId, patents.map((p) => p.id), result.vectors, result.dim);
    return { modelId: info.modelId, dim: result.dim, count: patents.length, reused: false, paddingFraction: result.paddingFraction };
  }

  /**
   * TechToken code vectors of a dataset, stored under `<model>#techtoken`, when the loaded model
   * has tokens for the dataset's codes at `level`; null (nothing stored) when it has not.
   */
  async embedDatasetCodes(datasetId: string, level: CodeLevel, options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<{ codes: number; level: CodeLevel } | null> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedDatasetCodes()');
    const store = await this.store();
    const patents = await store.getPatents(datasetId);
    const vocabulary = this.encoder.codeTokens(patents.flatMap((p) => p.codes));
    if (!vocabulary || vocabulary.level !== level) return null;
    const key = techTokenKey(info.modelId);
    const stored = await store.getEmbeddings(datasetId, key);
    if (stored && stored.ids.length === vocabulary.tokens.size) return { codes: stored.ids.length, level };
    const result = await this.encoder.embedCodeTokens(patents, vocabulary, options, onProgress);
    await store.putEmbeddings(datasetId, key, result.codes, result.vectors, result.dim);
    return { codes: result.codes.length, level };
  }

  /**
   * TechToken code vectors from the patents whose year lies in `range` only (a forecast's
   * embedding window), stored under `<model>#techtoken@<from>-<to>`; null (nothing stored) when the
   * loaded model has no code tokens at `level` for those patents' codes.
   */
  async embedWindowCodes(
    datasetId: string,
    level: CodeLevel,
    range: { from: number; to: number },
    options: TaskOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<{ codes: number; patents: number; level: CodeLevel; key: string; reused: boolean } | null> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedWindowCodes()');
    const store = await this.store();
    const patents = (await store.getPatents(datasetId)).filter((p) => p.year >= range.from && p.year <= range.to);
    const vocabulary = patents.length > 0 ? this.encoder.codeTokens(patents.flatMap((p) => p.codes)) : null;
    if (!vocabulary || vocabulary.level !== level) return null;
    const key = techTokenWindowKey(info.modelId, range);
    const stored = await store.getEmbeddings(datasetId, key);
    if (stored && stored.ids.length === vocabulary.tokens.size) {
      onProgress?.({ stage: 'embed', done: patents.length, total: patents.length, unit: 'patents' });
      return { codes: stored.ids.length, patents: patents.length, level, key, reused: true };
    }
    const result = await this.encoder.embedCodeTokens(patents, vocabulary, options, onProgress);
    await store.putEmbeddings(datasetId, key, result.codes, result.vectors, result.dim);
    return { codes: result.codes.length, patents: patents.length, level, key, reused: false };
  }

  /** Makes a directory the user picked loadable as `folder:<name>` in this worker. */
  registerFolder(name: string, appBase: string, files: { path: string; file: Blob }[]): string {
    sharedLoader(appBase).registerFolder(name, new Map(files.map((f) => [f.path, f.file])));
    return `folder:${name}`;
  }

  abort(taskId: string): void {
    this.encoder.abort(taskId);
  }

  async destroy(): Promise<void> {
    await this.encoder.destroy();
    (await this.storePromise)?.close();
    this.storePromise = null;
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
